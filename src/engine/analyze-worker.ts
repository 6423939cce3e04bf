import { analyzeFile, createAnalysisContext } from '../core/analyze.js';
import type { ResolvedConfig } from '../core/config/types.js';
import { readSource } from '../core/project.js';
import type { FileAnalysis } from '../core/types.js';
import { defineWorker } from './pool.js';

export type AnalyzeOutcome = { file: string; analysis: FileAnalysis; text?: undefined } | { file: string; skipped: string };

/** Reads and analyses one file; an unreadable file becomes a skip with its reason. */
defineWorker<{ config: ResolvedConfig }, string, AnalyzeOutcome>(import.meta.url, ({ config }) => {
  const ctx = createAnalysisContext(config);
  return (file) => {
    const source = readSource(file);
    if ('error' in source) return { file, skipped: source.error };
    return { file, analysis: analyzeFile(ctx, file, source.text) };
  };
});
