import { createMigrationContext, migrateText, type MigrationContext, type RefusedSite, type SiteRef } from '../../codemods/import-migration.js';
import type { ResolvedConfig } from '../core/config/types.js';
import { defineWorker } from '../engine/pool.js';
import { writeFileAtomic } from '../shared/atomic-write.js';
import { displayPath } from '../shared/paths.js';
import { readSourceFile } from '../shared/source-file.js';
import { unifiedDiff } from './diff.js';

export interface MigrateWorkerInit {
  config: ResolvedConfig;
  rename: boolean;
  mergeImports: boolean;
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
  /** Skipped because it could not be read (readSourceFile's reason). */
  unreadable?: boolean;
  error?: string;
  /** Sites rewritten: in write mode only once written; a file that failed or was skipped has none. */
  rewritten: SiteRef[];
  refused: RefusedSite[];
  kept: SiteRef[];
  notes: string[];
  diff?: string;
}

/**
 * Writes one file atomically; throws if it failed. A write-behind writer (write-behind.ts)
 * returns at once instead and reports failures when flushed: its caller patches the outcomes.
 */
export type WriteFile = (file: string, data: string) => void;

/** Reads, plans, verifies and (in write mode) atomically writes one file. */
export function migrateWorker(init: MigrateWorkerInit, context?: MigrationContext, writeFile: WriteFile = writeFileAtomic): (item: MigrateItem) => FileOutcome {
  const mctx = context ?? createMigrationContext(init.config);
  const options = {
    rename: init.rename,
    mergeImports: init.mergeImports,
    ...(init.concepts ? { concepts: init.concepts } : {}),
  };
  return ({ file, mode }) => {
    const empty = { file, parsed: false, rewritten: [], refused: [], kept: [], notes: [] };
    const source = readSourceFile(file);
    if (!source.ok) return { ...empty, status: 'skipped', reason: source.reason, unreadable: true };
    const text = source.text;
    let result;
    try {
      result = migrateText(mctx, file, text, options);
    } catch (error) {
      return { ...empty, status: 'failed', error: `internal error: ${(error as Error).message}` };
    }
    const { output, ...rest } = result;
    const outcome: FileOutcome = { file, ...rest };
    if (result.status !== 'changed' || output === undefined) return outcome;
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
  return { ...outcome, status: 'failed', error: `write failed: ${reason}`, rewritten: [] };
}

defineWorker<MigrateWorkerInit, MigrateItem, FileOutcome>(import.meta.url, (init) => migrateWorker(init));
