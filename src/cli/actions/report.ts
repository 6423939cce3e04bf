import * as fs from 'node:fs';
import * as path from 'node:path';
import { currentCommit, gitPrefix } from '../../engine/collect.js';
import { derive } from '../../report/derive.js';
import { FORMATS, formatReport } from '../../report/formatters/index.js';
import { appendHistory, historyEntry, readHistory, type HistoryEntry } from '../../report/history.js';
import { mergeReports } from '../../report/merge.js';
import { runReport } from '../../report/run.js';
import type { Report } from '../../report/types.js';
import { EXIT_OK } from '../exit-codes.js';
import { writeFileAtomic } from '../../shared/atomic-write.js';
import { UsageError } from '../../shared/errors.js';
import { parseShard } from '../../shared/shard.js';
import { createProgress, useColor } from '../../shared/terminal.js';
import { parseChoice, parseInteger } from '../options.js';

export interface ReportFlags {
  config?: string;
  format: string;
  output?: string;
  jobs?: string;
  cache?: boolean;
  cacheLocation?: string;
  changedSince?: string;
  shard?: string;
  merge?: string[];
  history?: string;
  concept?: string;
}

/** Keeps one concept (`--concept id`) and derives the totals again from what is left. */
function selectConcept(report: Report, id: string): Report {
  const concept = report.concepts.find((c) => c.id === id);
  if (!concept)
    throw new UsageError(
      `--concept: no concept "${id}" in the config (known: ${report.concepts.map((c) => c.id).join(', ')})`,
    );
  return derive({ ...report, concepts: [concept] });
}

function readReportFile(file: string): Report {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--merge: cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as Report;
  } catch (error) {
    throw new UsageError(`--merge: ${file} is not JSON: ${(error as Error).message}`);
  }
}

/** Writes the output atomically to --output (a file system error is a usage error naming it), or to stdout. */
function emit(text: string, output: string | undefined): void {
  if (output) writeFileAtomic(path.resolve(output), text, { createDirs: true, removeLeftovers: true });
  else process.stdout.write(text);
}

export async function reportAction(paths: string[], flags: ReportFlags): Promise<number> {
  const format = parseChoice('--format', flags.format, FORMATS);
  const jobs = parseInteger('--jobs', flags.jobs, 1);
  let report: Report;
  const warnings: string[] = [];
  {
    if (flags.merge && flags.merge.length > 0) {
      if (paths.length > 0 || flags.shard || flags.changedSince)
        throw new UsageError('--merge combines shard reports; it takes no paths, --shard or --changed-since');
      report = mergeReports(flags.merge.map((name) => ({ name, report: readReportFile(name) })));
    } else {
      const progress = createProgress('ssot report');
      const result = await runReport({
        paths,
        ...(flags.config !== undefined ? { configPath: flags.config } : {}),
        ...(jobs !== undefined ? { jobs } : {}),
        ...(flags.cache || flags.cacheLocation ? { cache: true } : {}),
        ...(flags.cacheLocation !== undefined ? { cacheLocation: flags.cacheLocation } : {}),
        ...(flags.changedSince !== undefined ? { changedSince: flags.changedSince } : {}),
        ...(flags.shard !== undefined ? { shard: parseShard(flags.shard) } : {}),
        onProgress: (done, total) => progress.update(done, total),
      });
      progress.finish();
      report = result.report;
      warnings.push(...result.warnings);
    }
  }
  if (flags.concept !== undefined) report = selectConcept(report, flags.concept);

  let history: HistoryEntry[] | undefined;
  if (flags.history) {
    const entry = historyEntry(report, currentCommit(report.scope.root));
    appendHistory(flags.history, entry);
    const read = readHistory(flags.history);
    warnings.push(...read.problems);
    history = read.entries;
  }
  for (const w of warnings) process.stderr.write(`ssot: warning: ${w}\n`);
  const color = format === 'text' && !flags.output && useColor(process.stdout);
  const prefix = format === 'sarif' || format === 'github' ? gitPrefix(report.scope.root) : undefined;
  const text = formatReport(report, format, {
    color,
    ...(history ? { history } : {}),
    ...(prefix !== undefined ? { srcRootPrefix: prefix } : {}),
  });
  emit(text, flags.output);
  if (flags.output) process.stderr.write(`ssot: wrote ${format} report to ${flags.output}\n`);
  return EXIT_OK;
}
