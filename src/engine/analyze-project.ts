import type { ResolvedConfig } from '../core/config/types.js';
import { listFiles } from '../core/files.js';
import type { ProjectAnalysis } from '../core/project.js';
import type { FileAnalysis } from '../core/types.js';
import type { AnalyzeOutcome } from './analyze-worker.js';
import { mapInPool } from './pool.js';

export interface ParallelAnalyzeOptions {
  paths?: readonly string[];
  /** Explicit file list (already in scope); skips listing. */
  files?: readonly string[];
  jobs?: number;
  /** Below this many files the analysis stays in this thread (see mapInPool). */
  minItemsForWorkers?: number;
  onProgress?: (done: number, total: number) => void;
}

/** `analyzeProject` over worker threads: same result, same order. */
export async function analyzeProjectParallel(config: ResolvedConfig, options: ParallelAnalyzeOptions = {}): Promise<ProjectAnalysis> {
  const listing = options.files ? { files: [...options.files], missing: [] } : listFiles(config, options.paths);
  const outcomes = await mapInPool<{ config: ResolvedConfig }, string, AnalyzeOutcome>({
    workerUrl: new URL('./analyze-worker.js', import.meta.url),
    init: { config },
    items: listing.files,
    ...(options.jobs !== undefined ? { jobs: options.jobs } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.minItemsForWorkers !== undefined ? { minItemsForWorkers: options.minItemsForWorkers } : {}),
  });
  const analyses: FileAnalysis[] = [];
  const skipped: { file: string; reason: string }[] = [];
  for (const o of outcomes) {
    if ('skipped' in o) skipped.push({ file: o.file, reason: o.skipped });
    else analyses.push(o.analysis);
  }
  return { config, files: listing.files, analyses, skipped, missing: listing.missing };
}
