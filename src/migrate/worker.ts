import * as fs from 'node:fs';
import {
  createMigrationContext,
  migrateText,
  type MigrationContext,
  type RefusedSite,
  type SiteRef,
  type TextMigration,
} from '../../codemods/import-migration.js';
import type { ResolvedConfig } from '../core/config/types.js';
import { defineWorker } from '../engine/pool.js';
import {
  contentHash,
  writeFailureOf,
  writeFileAtomic,
  type ExpectedFile,
  type WriteFailure,
} from '../shared/atomic-write.js';
import { displayPath } from '../shared/paths.js';
import { readSourceFile, sourceFromScannedText } from '../shared/source-file.js';
import { unifiedDiff } from './diff.js';
import { projectRealRoot } from './start-scan.js';

export { projectRealRoot } from './start-scan.js';

export interface MigrateWorkerInit {
  config: ResolvedConfig;
  rename: boolean;
  mergeImports: boolean;
  concepts?: string[];
  /** A two-phase run (--limit, --typecheck): each 'plan' is kept for the 'write' that follows it. */
  keepPlans?: boolean;
}

/** One file to migrate (a path, never its content). 'plan': decide only; 'diff': decide and return a unified diff; 'write': decide and write. */
export interface MigrateItem {
  file: string;
  mode: 'plan' | 'diff' | 'write';
  /**
   * Write only if the file still holds what an earlier 'plan' decided on (its `readSha256`):
   * a two-phase run (--limit, --typecheck) must write what it planned and type-checked.
   */
  expectSha256?: string;
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
  /** The file changed while the run was at it: left as it was, nothing counted for it. */
  changedDuringRun?: boolean;
  /** 'plan' of a changed file: the hash of the text the decision was made on. */
  readSha256?: string;
  /** 'write' with `expectSha256`: the hash of what was written (a rollback restores only that). */
  writtenSha256?: string;
}

/**
 * Writes one file atomically, inside the project, if it is still as `expect` says; throws if it
 * failed. A write-behind writer (write-behind.ts) returns at once instead and reports failures
 * when flushed: its caller patches the outcomes.
 */
export type WriteFile = (file: string, data: string, expect: ExpectedFile) => void;

/**
 * Reads, plans, verifies and (in write mode) atomically writes one file. `scanned`: the text the
 * run's prefilter decoded from a file's bytes, taken (once) instead of reading the file again
 * (sourceFromScannedText); the main thread's run has it, a helper thread reads.
 */
export function migrateWorker(
  init: MigrateWorkerInit,
  context?: MigrationContext,
  writer?: WriteFile,
  scanned?: (file: string) => string | undefined,
): (item: MigrateItem) => FileOutcome {
  const mctx = context ?? createMigrationContext(init.config);
  const within = projectRealRoot(init.config);
  const writeFile: WriteFile = writer ?? ((file, data, expect) => writeFileAtomic(file, data, { within, expect }));
  const options = {
    rename: init.rename,
    mergeImports: init.mergeImports,
    ...(init.concepts ? { concepts: init.concepts } : {}),
  };
  // A two-phase run plans every file, then writes the chosen ones only if each still holds the text
  // planned on (`expectSha256`): the plan of that text is the same, so a 'plan' keeps its result
  // here, by file and hash, for the 'write' of the same thread to take instead of planning again.
  const planned = new Map<string, { sha256: string; result: TextMigration }>();
  const keepPlans = Boolean(init.keepPlans);
  return ({ file, mode, expectSha256 }) => {
    const empty = { file, parsed: false, rewritten: [], refused: [], kept: [], notes: [] };
    const scannedText = scanned?.(file);
    const source = scannedText === undefined ? readSourceFile(file) : sourceFromScannedText(file, scannedText);
    if (!source.ok) return { ...empty, status: 'skipped', reason: source.reason, unreadable: true };
    const text = source.text;
    // Hashed only for a two-phase write (the compare-and-swap below compares the text itself).
    const readSha256 = expectSha256 !== undefined ? contentHash(text) : undefined;
    if (expectSha256 !== undefined && readSha256 !== expectSha256) {
      return changedDuringRun({ ...empty, status: 'failed' }, 'changed since it was planned');
    }
    const kept = expectSha256 !== undefined ? planned.get(file) : undefined;
    planned.delete(file);
    let result: TextMigration;
    if (kept && kept.sha256 === readSha256) result = kept.result;
    else {
      try {
        result = migrateText(mctx, file, text, options);
      } catch (error) {
        return { ...empty, status: 'failed', error: `internal error: ${(error as Error).message}` };
      }
    }
    const { output, ...rest } = result;
    const outcome: FileOutcome = { file, ...rest };
    if (result.status !== 'changed' || output === undefined) return outcome;
    if (mode === 'plan') {
      outcome.readSha256 = contentHash(text);
      if (keepPlans) planned.set(file, { sha256: outcome.readSha256, result });
    }
    if (mode === 'diff') outcome.diff = unifiedDiff(displayPath(init.config.rootDir, file), text, output);
    if (mode === 'write') {
      try {
        writeFile(file, output, { stamp: source.stamp, content: text });
      } catch (error) {
        return writeFailed(outcome, writeFailureOf(error));
      }
      if (expectSha256 !== undefined) outcome.writtenSha256 = contentHash(output);
    }
    return outcome;
  };
}

/**
 * A file another process changed between the read and the write: left as it is, reported, and
 * nothing of it counted (its sites were found in text that is no longer there).
 */
export function changedDuringRun(outcome: FileOutcome, reason: string): FileOutcome {
  const { file, parsed } = outcome;
  const error = `changed during migration: ${reason}; left as it is`;
  const nothing = { rewritten: [], refused: [], kept: [], notes: [] };
  return { file, parsed, status: 'failed', error, ...nothing, changedDuringRun: true };
}

/** The outcome of a file whose write failed or was refused: nothing of it was rewritten. */
export function writeFailed(outcome: FileOutcome, failure: WriteFailure): FileOutcome {
  if (failure.kind === 'changed') return changedDuringRun(outcome, failure.reason);
  const what = failure.kind === 'refused' ? 'not written' : 'write failed';
  return { ...outcome, status: 'failed', error: `${what}: ${failure.reason}`, rewritten: [] };
}

defineWorker<MigrateWorkerInit, MigrateItem, FileOutcome>(import.meta.url, (init) => migrateWorker(init));
