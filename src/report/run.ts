import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../core/config/load.js';
import type { ResolvedConfig } from '../core/config/types.js';
import { collectRecords, type Shard } from '../engine/collect.js';
import { defaultJobs } from '../engine/pool.js';
import { buildReport } from './build.js';
import type { Report } from './types.js';

export function toolVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export interface RunReportOptions {
  /** Files or folders named on the command line (relative to cwd). */
  paths?: readonly string[];
  configPath?: string;
  cwd?: string;
  jobs?: number;
  cache?: boolean;
  cacheLocation?: string;
  changedSince?: string;
  shard?: Shard;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Finds the config the way every command does: `--config`, else walking up from the first path
 * named (or the cwd). A named path that is the project root means "the whole project".
 */
export function loadConfigFor(options: { paths?: readonly string[]; configPath?: string; cwd?: string }): { config: ResolvedConfig; paths: string[] } {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const absPaths = (options.paths ?? []).map((p) => path.resolve(cwd, p));
  let start = cwd;
  const first = absPaths[0];
  if (!options.configPath && first) {
    try {
      start = fs.statSync(first).isDirectory() ? first : path.dirname(first);
    } catch {
      start = path.dirname(first);
    }
  }
  const config = loadConfig({ cwd: options.configPath ? cwd : start, ...(options.configPath ? { configPath: options.configPath } : {}) });
  const paths = absPaths.filter((p) => p !== config.rootDir);
  return { config, paths };
}

/** Config -> files -> analyses (workers, cache) -> report model. */
export async function runReport(options: RunReportOptions): Promise<{ report: Report; config: ResolvedConfig; warnings: string[] }> {
  const started = performance.now();
  const { config, paths } = loadConfigFor(options);
  const version = toolVersion();
  const t0 = performance.now();
  const collected = await collectRecords(config, {
    paths,
    ...(options.jobs !== undefined ? { jobs: options.jobs } : {}),
    ...(options.cache ? { cache: true } : {}),
    ...(options.cacheLocation !== undefined ? { cacheLocation: options.cacheLocation } : {}),
    ...(options.changedSince !== undefined ? { changedSince: options.changedSince } : {}),
    ...(options.shard ? { shard: options.shard } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    toolVersion: version,
  });
  const analyseMs = performance.now() - t0;
  const report = buildReport({
    config,
    toolVersion: version,
    records: collected.records,
    inScope: collected.inScope.length,
    missingPaths: collected.missing,
    paths,
    changedSince: options.changedSince,
    shard: options.shard,
  });
  report.timing = {
    totalMs: Math.round(performance.now() - started),
    analyseMs: Math.round(analyseMs),
    jobs: options.jobs ?? defaultJobs(),
    cacheHits: collected.cache?.hits ?? 0,
    cacheMisses: collected.cache?.misses ?? 0,
    analysedFiles: collected.analysedFiles,
  };
  return { report, config, warnings: collected.cache?.warnings ?? [] };
}
