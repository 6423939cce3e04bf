import type { ResolvedConfig } from './config/types.js';
import { analyzeFile, createAnalysisContext, type AnalysisContext } from './analyze.js';
import { listFiles } from './files.js';
import type { FileAnalysis } from './types.js';
import { readSourceFile } from '../shared/source-file.js';

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface ProjectAnalysis {
  config: ResolvedConfig;
  /** Every file in scope, in order. */
  files: string[];
  /** Analyses of the files that were read (parsed or proven empty by the prefilter). */
  analyses: FileAnalysis[];
  /** Files that could not be read, with the reason. Parse errors are findings, not skips. */
  skipped: SkippedFile[];
  /** Paths named by the caller that do not exist. */
  missing: string[];
}

export interface AnalyzeProjectOptions {
  paths?: readonly string[];
  /** Called after each file; the CLI draws progress from it on a TTY. */
  onFile?: (done: number, total: number) => void;
  context?: AnalysisContext;
}

/** Analyses every file in scope, one after another (the CLI adds worker threads and a cache). */
export function analyzeProject(config: ResolvedConfig, options: AnalyzeProjectOptions = {}): ProjectAnalysis {
  const ctx = options.context ?? createAnalysisContext(config);
  const { files, missing, refused } = listFiles(config, options.paths);
  const analyses: FileAnalysis[] = [];
  // Named paths that are not project source (outside the root, a FIFO, ...) are never read.
  const skipped: SkippedFile[] = refused.map((r) => ({ file: r.path, reason: r.reason }));
  files.forEach((file, i) => {
    const source = readSourceFile(file, { allowInvalidUtf8: true });
    if (!source.ok) skipped.push({ file, reason: source.reason });
    else analyses.push(analyzeFile(ctx, file, source.text));
    options.onFile?.(i + 1, files.length);
  });
  return { config, files, analyses, skipped, missing };
}
