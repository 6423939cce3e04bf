import * as fs from 'node:fs';
import type { ResolvedConfig } from './config/types.js';
import { analyzeFile, createAnalysisContext, type AnalysisContext } from './analyze.js';
import { listFiles } from './files.js';
import type { FileAnalysis } from './types.js';

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

/** Reads a file for analysis; a file that cannot be read is a skip with its reason, not a crash. */
export function readSource(file: string): { text: string } | { error: string } {
  try {
    const buffer = fs.readFileSync(file);
    if (buffer.includes(0)) return { error: 'binary file (contains a NUL byte)' };
    return { text: buffer.toString('utf8') };
  } catch (error) {
    return { error: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}

/** Analyses every file in scope, one after another (the CLI adds worker threads and a cache). */
export function analyzeProject(config: ResolvedConfig, options: AnalyzeProjectOptions = {}): ProjectAnalysis {
  const ctx = options.context ?? createAnalysisContext(config);
  const { files, missing } = listFiles(config, options.paths);
  const analyses: FileAnalysis[] = [];
  const skipped: SkippedFile[] = [];
  files.forEach((file, i) => {
    const source = readSource(file);
    if ('error' in source) skipped.push({ file, reason: source.error });
    else analyses.push(analyzeFile(ctx, file, source.text));
    options.onFile?.(i + 1, files.length);
  });
  return { config, files, analyses, skipped, missing };
}
