import { loadConfigFor } from '../core/config/load.js';
import type { ResolvedConfig } from '../core/config/types.js';
import { collectRecords } from '../engine/collect.js';
import type { Shard } from '../shared/shard.js';
import { packageVersion } from '../shared/version.js';
import { buildReport } from './build.js';
import type { Report } from './types.js';

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

/** Config -> files -> analyses (workers, cache) -> report model. */
export async function runReport(
  options: RunReportOptions,
): Promise<{ report: Report; config: ResolvedConfig; warnings: string[] }> {
  const started = performance.now();
  const { config, paths } = loadConfigFor(options);
  const version = packageVersion();
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
    jobs: collected.threads,
    cacheHits: collected.cache?.hits ?? 0,
    cacheMisses: collected.cache?.misses ?? 0,
    analysedFiles: collected.analysedFiles,
  };
  return { report, config, warnings: collected.cache?.warnings ?? [] };
}
