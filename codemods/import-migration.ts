import * as path from 'node:path';
import type { AnalysisContext } from '../src/core/analyze.js';
import { analyzeFile, createAnalysisContext } from '../src/core/analyze.js';
import type { ResolvedConfig } from '../src/core/config/types.js';
import { parseFile } from '../src/core/parse.js';
import { createPrefilter, type Prefilter } from '../src/core/prefilter.js';
import { applyEdits, planFileRewrite, type PlanOptions } from '../src/core/rewrite/plan.js';
import { changeRangeOf, verifyRewrite } from '../src/core/rewrite/verify.js';
import type { ClassifiedSite } from '../src/core/types.js';

/** A legacy import site as a migration reports it: where and what. */
export interface SiteRef {
  line: number;
  column: number;
  form: ClassifiedSite['form'];
  specifier: string;
}

/** A refused site as reported: where, what, why. */
export interface RefusedSite extends SiteRef {
  reason: string;
}

/**
 * One file's migration. Its counts are the lengths of its lists (`rewritten`, `refused`,
 * `kept`): a summary adds lists up and never carries a number of its own.
 */
export interface TextMigration {
  /** 'changed': `output` differs; 'unchanged': nothing to do; 'failed': the change was refused for the file. */
  status: 'changed' | 'unchanged' | 'failed';
  parsed: boolean;
  output?: string;
  error?: string;
  /** Legacy sites the output moves; empty unless `status` is 'changed'. */
  rewritten: SiteRef[];
  /** Legacy sites that stay on the legacy module although they hold concept names. */
  refused: RefusedSite[];
  /** Legacy sites that stay because none of their names is part of the concept. */
  kept: SiteRef[];
  notes: string[];
}

function siteRef(site: ClassifiedSite): SiteRef {
  return { line: site.line, column: site.column, form: site.form, specifier: site.specifier };
}

/** The core's analysis context plus the narrow prefilter of legacy import sites. */
export interface MigrationContext {
  ctx: AnalysisContext;
  prefilter: Prefilter;
}

export function createMigrationContext(config: ResolvedConfig): MigrationContext {
  const ctx = createAnalysisContext(config);
  return { ctx, prefilter: createPrefilter(config, ctx.resolver, { legacyImportsOnly: true }) };
}

/**
 * One file's migration from its text, shared by `ssot migrate` (in worker threads) and the
 * jscodeshift transform, so both produce the same bytes: core analysis (prefilter, parse,
 * classification) -> the core's rewrite plan -> splice -> re-parse and check the output.
 */
export function migrateText(
  mctx: MigrationContext,
  file: string,
  text: string,
  options: PlanOptions = {},
): TextMigration {
  const { ctx } = mctx;
  const base = {
    parsed: false,
    rewritten: [] as SiteRef[],
    refused: [] as RefusedSite[],
    kept: [] as SiteRef[],
    notes: [] as string[],
  };
  // The text prefilter first: a file that spells no legacy module cannot hold a legacy site.
  if (!mctx.prefilter.mayMatch(text)) return { status: 'unchanged', ...base };
  const absolute = path.resolve(file);
  // Parent pointers only where the inventory walks (all the planner reads; see parseFile).
  const parsed = parseFile(absolute, text, { skipJsDoc: true, parents: 'sites' });
  const analysis = analyzeFile(ctx, absolute, text, { sourceFile: parsed.sourceFile, skipDuplicates: true });
  base.parsed = true;
  if (!analysis.sites.some((s) => s.target.kind === 'legacy' && !s.target.internal))
    return { status: 'unchanged', ...base };
  const plan = planFileRewrite(ctx, analysis, text, { ...options, sourceFile: parsed.sourceFile });
  const refused = plan.refused.map(({ site, reason }) => ({ ...siteRef(site), reason }));
  const result = { ...base, refused, kept: plan.kept.map(siteRef), notes: plan.notes };
  if (plan.edits.length === 0) return { status: 'unchanged', ...result };
  let output: string;
  try {
    output = applyEdits(text, plan.edits);
  } catch (error) {
    return { status: 'failed', ...result, error: `internal: ${(error as Error).message}` };
  }
  if (output === text) return { status: 'unchanged', ...result };
  // Nothing reads the tree after this point, so the check may reparse incrementally from it.
  const change = changeRangeOf(plan.edits);
  const verdict = verifyRewrite(ctx, absolute, text, output, {
    specifiers: plan.specifiers,
    ...(change ? { previous: { sourceFile: parsed.sourceFile, change } } : {}),
  });
  if (!verdict.ok) return { status: 'failed', ...result, error: `refused: ${verdict.error}` };
  return { status: 'changed', ...result, output, rewritten: plan.rewritten.map(siteRef) };
}
