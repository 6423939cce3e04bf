import type { ResolvedConfig } from '../core/config/types.js';
import { listFiles } from '../core/files.js';
import type { ProjectAnalysis } from '../core/project.js';
import type { FileAnalysis } from '../core/types.js';
import type { FileRecord, ReportWorkerInit } from './report-worker.js';
import { mapInPool } from './pool.js';

export interface ParallelAnalyzeOptions {
  paths?: readonly string[];
  /** Explicit file list (already in scope); skips listing. */
  files?: readonly string[];
  jobs?: number;
  /** Below this many files the analysis stays in this thread (see mapInPool). */
  minItemsForHelpers?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * `analyzeProject` over worker threads: same result, same order. It runs the report's worker
 * (one per-file analysis path for the whole CLI), so a file the analysis crashes on is a skip
 * with its reason here too, never a failed run.
 */
export async function analyzeProjectParallel(
  config: ResolvedConfig,
  options: ParallelAnalyzeOptions = {},
): Promise<ProjectAnalysis> {
  const listing = options.files ? { files: [...options.files], missing: [] } : listFiles(config, options.paths);
  const outcomes = await mapInPool<ReportWorkerInit, string, FileRecord>({
    workerUrl: new URL('./report-worker.js', import.meta.url),
    init: { config },
    items: listing.files,
    ...(options.jobs !== undefined ? { jobs: options.jobs } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.minItemsForHelpers !== undefined ? { minItemsForHelpers: options.minItemsForHelpers } : {}),
  });
  const analyses: FileAnalysis[] = [];
  const skipped: { file: string; reason: string }[] = [];
  for (const o of outcomes) {
    if (o.analysis) analyses.push(o.analysis);
    else skipped.push({ file: o.file, reason: o.skipped ?? 'not analysed' });
  }
  return { config, files: listing.files, analyses, skipped, missing: listing.missing };
}
