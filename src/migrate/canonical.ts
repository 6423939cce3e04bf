import type { CanonicalFileResult } from '../../codemods/canonical-api.js';
import { contentHash, writeFailureOf, writeFileAtomic } from '../shared/atomic-write.js';
import { displayPath } from '../shared/paths.js';
import { readSourceFile } from '../shared/source-file.js';
import { unifiedDiff } from './diff.js';
import { changedDuringRun, writeFailed, type FileOutcome, type MigrateItem } from './worker.js';

/**
 * Stage 2 through the runner's one path (limit, dry run, typecheck and rollback, summary): the
 * codemod planned every file at once on this thread (it needs one type-checked project), and this
 * "worker" only reports, diffs or writes what it planned: atomically, inside the project, and only
 * over the very text it planned on (compare-and-swap).
 */
export function canonicalWorker(
  results: ReadonlyMap<string, CanonicalFileResult>,
  texts: ReadonlyMap<string, string>,
  root: string,
  /** The real path of the project root (projectRealRoot): every write lands inside it. */
  within: string,
): (item: MigrateItem) => FileOutcome {
  return ({ file, mode, expectSha256 }) => {
    const r = results.get(file);
    const planned = texts.get(file) ?? '';
    const base = { file, parsed: true, kept: [], notes: [] as string[] };
    if (!r) return { ...base, status: 'unchanged', rewritten: [], refused: [] };
    const outcome: FileOutcome = {
      ...base,
      status: r.status,
      rewritten: r.rewritten,
      refused: r.refused,
      notes: r.notes,
      ...(r.error ? { error: r.error } : {}),
    };
    if (r.status !== 'changed' || r.output === undefined) return { ...outcome, rewritten: [] };
    if (mode === 'plan') outcome.readSha256 = contentHash(planned);
    if (mode === 'diff') outcome.diff = unifiedDiff(displayPath(root, file), planned, r.output);
    if (mode === 'write') {
      const now = readSourceFile(file);
      if (!now.ok || now.text !== planned || (expectSha256 !== undefined && contentHash(now.text) !== expectSha256)) {
        return changedDuringRun(outcome, 'changed since it was planned');
      }
      try {
        writeFileAtomic(file, r.output, { within, expect: { stamp: now.stamp, content: now.text } });
      } catch (error) {
        return writeFailed(outcome, writeFailureOf(error));
      }
      if (expectSha256 !== undefined) outcome.writtenSha256 = contentHash(r.output);
    }
    return outcome;
  };
}
