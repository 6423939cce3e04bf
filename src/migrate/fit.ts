import type { FitItem, FitScope } from '../../codemods/compat-fit.js';
import type { SourceFileCache } from '../../codemods/checker-program.js';
import { fitPattern, fitWords } from '../../codemods/fit-words.js';
import { usesLegacyMembers } from '../../codemods/member-uses.js';
import { exportsFromLegacy } from '../../codemods/derived-exports.js';
import { memberCallerReach, type MemberCallerReach } from '../../codemods/importers.js';
import { migrateText, type MigrationContext, type SiteRef } from '../../codemods/import-migration.js';
import { analyzeFile } from '../core/analyze.js';
import type { PlanOptions } from '../core/rewrite/plan.js';
import { contentHash, writeFailureOf, writeFileAtomic } from '../shared/atomic-write.js';
import { displayPath } from '../shared/paths.js';
import { readSourceFile, type FileStamp } from '../shared/source-file.js';
import { unifiedDiff } from './diff.js';
import { changedDuringRun, projectRealRoot, writeFailed, type FileOutcome, type MigrateItem } from './worker.js';

/**
 * Which stage-1 files the type checker looks at before they are written (see
 * codemods/compat-fit.ts), decided before the pool plans them (the pool only plans those, applyFit
 * writes them):
 * - a file that reads or calls a member of a class the run moves (or calls a moved function): the
 *   compat layer may lack that member or take that call otherwise (member-uses.ts: a member read
 *   `x.name` or a call `name(…)` of a legacy member name in the syntax tree, after the text test
 *   fitPattern; a file that only imports, passes, constructs or annotates a moved name never meets
 *   a member the compat layer lacks);
 * - a file that such a member caller reaches through imports (importers.ts: resolved import
 *   specifiers, through any files between) and that exports something derived from a legacy import
 *   (derived-exports.ts, from its syntax tree): its rewrite may change the type of what the caller
 *   uses. A file no member caller reaches, or whose exports owe nothing to a legacy import, cannot
 *   break another file.
 * The member callers are looked for in every file of the project (not only the run's paths): an
 * importer outside them breaks as well.
 */
export interface FitSelection extends FitScope {
  needsFit(file: string, text: string): boolean;
}

/**
 * `every`: the reference the selection is tested against (tests/migrate/fit-selection.test.ts):
 * every changed file is inspected and type-checked itself, with every project file that imports
 * it, directly or not, as its importers.
 */
export function fitSelection(
  mctx: MigrationContext,
  projectFiles: () => readonly string[],
  every = false,
): FitSelection {
  const pattern = fitPattern(mctx.ctx.config);
  if (!pattern) return { needsFit: () => false, checksItself: () => false };
  if (every) {
    const reach = memberCallerReach(mctx, projectFiles(), () => true);
    return { needsFit: () => true, checksItself: () => true, reach };
  }
  const words = new Set(fitWords(mctx.ctx.config));
  // The text test first (fitPattern), then the syntax tree (usesLegacyMembers), once per file.
  const known = new Map<string, boolean>();
  const callsMembers = (file: string, text: string): boolean => {
    let uses = known.get(file);
    if (uses === undefined) known.set(file, (uses = pattern.test(text) && usesLegacyMembers(mctx, words, file, text)));
    return uses;
  };
  // The member callers are looked for when the first candidate is (a run without one reads no file twice).
  let reach: MemberCallerReach | undefined;
  const reachNow = (): MemberCallerReach =>
    (reach ??= memberCallerReach(mctx, projectFiles(), callsMembers, [...words]));
  return {
    needsFit: (file, text) =>
      callsMembers(file, text) || (reachNow().reached.has(file) && exportsFromLegacy(mctx, file, text)),
    checksItself: callsMembers,
    get reach() {
      return reachNow();
    },
  };
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
  scope: FitScope,
  sourceFiles?: SourceFileCache,
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
  // The type checker's code is loaded only when a file needs it.
  const { fitToCompat } = await import('../../codemods/compat-fit.js');
  const fit = fitToCompat(mctx, fitItems, options, scope, sourceFiles);
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
