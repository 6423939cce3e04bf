import { createHash } from 'node:crypto';
import { analyzeFile, createAnalysisContext } from '../core/analyze.js';
import type { ResolvedConfig } from '../core/config/types.js';
import type { FileAnalysis } from '../core/types.js';
import { defineWorker } from './pool.js';
import { readSourceFile } from '../shared/source-file.js';

/**
 * What the report keeps per file: the core's FileAnalysis, plus the statement text of every
 * site that refers to a legacy module (the report fingerprints it and shows it). This is the
 * unit the content-hash cache stores.
 */
export interface FileRecord {
  /** Absolute path. */
  file: string;
  /** sha256 of the file's bytes (hex, 32 chars); absent when the file could not be read. */
  hash?: string;
  analysis?: FileAnalysis;
  /** Reason the file could not be read (never a parse error: those are in `analysis`). */
  skipped?: string;
  /** Statement text of each legacy-target site, by index into `analysis.sites`. */
  code?: Record<number, string>;
  /** Content hashes of `analysis.dependencies` when the record was cached (the cache checks them). */
  dependencyHashes?: Record<string, string>;
}

export interface ReportWorkerInit {
  config: ResolvedConfig;
  /** false: no content hash in the records (only the cache keys on it; without one, hashing is wasted). */
  hashes?: boolean;
}

/** Builds a FileRecord from a file's text: the one place the report calls the core's analyzeFile. */
export function recordFromText(
  ctx: ReturnType<typeof createAnalysisContext>,
  file: string,
  text: string,
  hash: string | undefined,
): FileRecord {
  // The report shows no `builtOnLegacy` (subclasses and wrappers of legacy implementations): not computed.
  const analysis = analyzeFile(ctx, file, text, { builtOnLegacy: false });
  const code: Record<number, string> = {};
  analysis.sites.forEach((site, i) => {
    if (site.target.kind === 'legacy') code[i] = text.slice(site.nodeStart, site.nodeEnd);
  });
  return {
    file,
    ...(hash !== undefined ? { hash } : {}),
    analysis,
    ...(Object.keys(code).length > 0 ? { code } : {}),
  };
}

/** recordFromText, but a file the analysis crashes on is a skip with the reason, not a failed run. */
export function safeRecord(
  ctx: ReturnType<typeof createAnalysisContext>,
  file: string,
  text: string,
  hash: string | undefined,
): FileRecord {
  try {
    return recordFromText(ctx, file, text, hash);
  } catch (error) {
    return { file, skipped: `analysis failed: ${(error as Error)?.message ?? String(error)}` };
  }
}

defineWorker<ReportWorkerInit, string, FileRecord>(import.meta.url, ({ config, hashes }) => {
  const ctx = createAnalysisContext(config);
  return (file) => {
    const source = readSourceFile(file, { allowInvalidUtf8: true });
    if (!source.ok) return { file, skipped: source.reason };
    return safeRecord(ctx, file, source.text, hashes === false ? undefined : hashText(source.text));
  };
});

/** The content hash the cache keys on (of the decoded text, so the worker and the main thread agree). */
export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
