import type { FitItem } from '../../codemods/compat-fit.js';
import { fitPattern } from '../../codemods/fit-words.js';
import { migrateText, type MigrationContext, type SiteRef } from '../../codemods/import-migration.js';
import { analyzeFile } from '../core/analyze.js';
import type { PlanOptions } from '../core/rewrite/plan.js';
import { contentHash, writeFailureOf, writeFileAtomic } from '../shared/atomic-write.js';
import { displayPath } from '../shared/paths.js';
import { readSourceFile, type FileStamp } from '../shared/source-file.js';
import { unifiedDiff } from './diff.js';
import { changedDuringRun, projectRealRoot, writeFailed, type FileOutcome, type MigrateItem } from './worker.js';

/**
 * The stage-1 files whose rewrite the type checker looks at before it is written (see
 * codemods/compat-fit.ts): those that read or call a member of a class the run moves (or call a
 * moved function), and those that export (their importers may). A text test on the main thread, which read every candidate already; the pool
 * only plans them, this thread writes them.
 */
export function fitSelector(mctx: MigrationContext): (text: string) => boolean {
  const pattern = fitPattern(mctx.ctx.config);
  if (!pattern) return () => false;
  // A member read or a call of a legacy member; a name that is only imported, passed or annotated
  // cannot meet a method the compat layer lacks, except in the files that import what this one
  // exports (compat-fit.ts looks for those that call such members).
  return (text) => pattern.test(text) || /\bexport\b/.test(text);
}

/** The file's legacy import sites (not the modules' own), should the rewrite have listed none. */
function legacySites(mctx: MigrationContext, file: string, text: string): SiteRef[] {
  return analyzeFile(mctx.ctx, file, text, { skipDuplicates: true })
    .sites.filter((s) => s.target.kind === 'legacy' && !s.target.internal)
    .slice(0, 1)
    .map((s) => ({ line: s.line, column: s.column, form: s.form, specifier: s.specifier }));
}

/**
 * Checks the planned outcomes of those files with the type checker (one project for all of them),
 * then writes (mode 'write', compare-and-swap against the text read, and against the text planned
 * when the item says so) or diffs (mode 'diff') what passed; a refused file is left as it is and its
 * reasons are listed as refused sites.
 */
export async function applyFit(
  mctx: MigrationContext,
  outcomes: readonly FileOutcome[],
  items: readonly MigrateItem[],
  mode: MigrateItem['mode'],
  options: PlanOptions,
): Promise<FileOutcome[]> {
  const config = mctx.ctx.config;
  const expected = new Map(items.map((i) => [i.file, i.expectSha256]));
  const fitItems: (FitItem & { stamp: FileStamp })[] = [];
  const early = new Map<string, FileOutcome>();
  for (const o of outcomes) {
    if (o.status !== 'changed') continue;
    const source = readSourceFile(o.file);
    if (!source.ok) continue;
    const expect = expected.get(o.file);
    if (expect !== undefined && contentHash(source.text) !== expect) {
      early.set(o.file, changedDuringRun(o, 'changed since it was planned'));
      continue;
    }
    const migration = migrateText(mctx, o.file, source.text, options);
    if (migration.status === 'changed')
      fitItems.push({ file: o.file, text: source.text, migration, stamp: source.stamp });
  }
  if (fitItems.length === 0) return outcomes.map((o) => early.get(o.file) ?? o);
  // The type checker (ts-morph) is loaded only when a file needs it.
  const { fitToCompat } = await import('../../codemods/compat-fit.js');
  const fit = fitToCompat(mctx, fitItems, options);
  const within = projectRealRoot(config);
  return outcomes.map((o) => {
    const done = early.get(o.file);
    if (done) return done;
    const result = fit.get(o.file);
    const item = fitItems.find((i) => i.file === o.file);
    if (!result || !item) return o;
    if (result.output === undefined) {
      // One refused entry per import site the rewrite would have moved (the counts are of sites,
      // not of type errors), each with every reason, placed where the type checker found it.
      const sites: SiteRef[] =
        item.migration.rewritten.length > 0 ? item.migration.rewritten : legacySites(mctx, o.file, item.text);
      const reason = result.refused
        .map((r) => (r.line === undefined ? r.reason : `${r.line}:${r.column ?? 1}: ${r.reason}`))
        .join('; ');
      const refused = sites.map((site) => ({ ...site, reason }));
      const { diff: _diff, readSha256: _sha, ...rest } = o;
      return { ...rest, status: 'unchanged', rewritten: [], refused: [...o.refused, ...refused] };
    }
    const notes =
      result.adapted > 0
        ? [
            ...o.notes,
            `wrapped ${result.adapted} (userId, message) handler(s) in userIdHandler: ` +
              `a two-parameter handler is otherwise called as (ctx, message)`,
          ]
        : o.notes;
    const outcome: FileOutcome = { ...o, notes };
    if (mode === 'diff') outcome.diff = unifiedDiff(displayPath(config.rootDir, o.file), item.text, result.output);
    if (mode === 'write') {
      try {
        writeFileAtomic(o.file, result.output, { within, expect: { stamp: item.stamp, content: item.text } });
      } catch (error) {
        return writeFailed(outcome, writeFailureOf(error));
      }
      if (expected.get(o.file) !== undefined) outcome.writtenSha256 = contentHash(result.output);
    }
    return outcome;
  });
}
