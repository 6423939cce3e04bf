import * as fs from 'node:fs';
import type { ResolvedConfig } from '../src/core/config/types.js';
import { defineWorker } from '../src/engine/pool.js';
import { writeFileAtomic } from './atomic.js';
import { unifiedDiff } from './diff.js';
import { createMigrationContext, displayPath, migrateText, type MigrationContext, type RefusedSite } from './migrate-file.js';

export interface MigrateWorkerInit {
  config: ResolvedConfig;
  rename: boolean;
  concepts?: string[];
}

/** One file to migrate (a path, never its content). 'plan': decide only; 'diff': decide and return a unified diff; 'write': decide and write. */
export interface MigrateItem {
  file: string;
  mode: 'plan' | 'diff' | 'write';
}

/** What a worker reports for one file (never its content, except a diff in `diff` mode). */
export interface FileOutcome {
  file: string;
  status: 'changed' | 'unchanged' | 'skipped' | 'failed';
  parsed: boolean;
  reason?: string;
  error?: string;
  sitesRewritten: number;
  refused: RefusedSite[];
  kept: number;
  notes: string[];
  diff?: string;
}

/**
 * Writes one file atomically; throws if it failed. A write-behind writer (codemods/write-behind.ts)
 * returns at once instead and reports failures when flushed: its caller patches the outcomes.
 */
export type WriteFile = (file: string, data: string) => void;

/** Reads, plans, verifies and (in write mode) atomically writes one file. */
export function migrateWorker(init: MigrateWorkerInit, context?: MigrationContext, writeFile: WriteFile = writeFileAtomic): (item: MigrateItem) => FileOutcome {
  const mctx = context ?? createMigrationContext(init.config);
  const options = { rename: init.rename, ...(init.concepts ? { concepts: init.concepts } : {}) };
  return ({ file, mode }) => {
    const empty = { file, parsed: false, sitesRewritten: 0, refused: [], kept: 0, notes: [] };
    let buffer: Buffer;
    try {
      buffer = fs.readFileSync(file);
    } catch (error) {
      return { ...empty, status: 'skipped', reason: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
    }
    if (buffer.includes(0)) return { ...empty, status: 'skipped', reason: 'binary file (contains a NUL byte)' };
    const text = buffer.toString('utf8');
    let result;
    try {
      result = migrateText(mctx, file, text, options);
    } catch (error) {
      return { ...empty, status: 'failed', error: `internal error: ${(error as Error).message}` };
    }
    const { output, ...rest } = result;
    const outcome: FileOutcome = { file, ...rest };
    if (result.status !== 'changed' || output === undefined) return outcome;
    // Bytes we cannot reproduce (invalid UTF-8) would be damaged by a text round trip.
    if (!Buffer.from(text, 'utf8').equals(buffer)) return { ...outcome, status: 'failed', error: 'refused: the file is not valid UTF-8' };
    if (mode === 'diff') outcome.diff = unifiedDiff(displayPath(init.config.rootDir, file), text, output);
    if (mode === 'write') {
      try {
        writeFile(file, output);
      } catch (error) {
        return writeFailed(outcome, (error as NodeJS.ErrnoException).code ?? (error as Error).message);
      }
    }
    return outcome;
  };
}

/** The outcome of a file whose write failed: nothing of it was rewritten. */
export function writeFailed(outcome: FileOutcome, reason: string): FileOutcome {
  return { ...outcome, status: 'failed', error: `write failed: ${reason}`, sitesRewritten: 0 };
}

defineWorker<MigrateWorkerInit, MigrateItem, FileOutcome>(import.meta.url, (init) => migrateWorker(init));
