import * as path from 'node:path';
import type { AnalysisContext } from '../src/core/analyze.js';
import { analyzeFile, createAnalysisContext } from '../src/core/analyze.js';
import type { ResolvedConfig } from '../src/core/config/types.js';
import { parseHeader } from '../src/core/header.js';
import { migrationTarget } from '../src/core/mapping.js';
import { parseFile, type ParsedFile } from '../src/core/parse.js';
import { endingOf } from '../src/core/spellings.js';
import { createPrefilter, type Prefilter } from '../src/core/prefilter.js';
import { applyEdits, planFileRewrite, type PlanOptions } from '../src/core/rewrite/plan.js';
import { changeRangeOf, verifyRewrite } from '../src/core/rewrite/verify.js';
import type { ClassifiedSite, FileAnalysis } from '../src/core/types.js';

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
  /** How much TypeScript parsed: the import header (parseHeader) or the whole file. */
  tree?: 'header' | 'whole';
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
  /** Parse only a file's import header where that suffices (parseHeader); false: always the whole file. */
  headerParse: boolean;
  /** Strings an import of a migration target holds (a package specifier, a target file's name). */
  targetNeedles: string[];
}

export function createMigrationContext(
  config: ResolvedConfig,
  options: { headerParse?: boolean } = {},
): MigrationContext {
  const ctx = createAnalysisContext(config);
  const targetNeedles = config.concepts
    .map((c) => migrationTarget(c))
    .map((t) => (t.isPath ? endingOf(t.module) : t.module));
  return {
    ctx,
    prefilter: createPrefilter(config, ctx.resolver, { legacyImportsOnly: true }),
    headerParse: options.headerParse ?? true,
    targetNeedles,
  };
}

/** Forms whose rewrite the planner decides from the declaration alone (no use of a binding is traced). */
const DECLARATION_FORMS: ReadonlySet<ClassifiedSite['form']> = new Set([
  'import',
  'import-type',
  'side-effect',
  'export-from',
  'export-all',
  'export-all-as',
]);

/**
 * Whether the planner's plan from the header tree is the plan from the whole tree: without
 * --rename, for legacy sites of declaration forms without a namespace binding, and, when a target
 * is a repo path and a site spells its module by package name, with a relative import in the
 * header (the planner copies the file's first relative specifier's extension style).
 */
function headerSuffices(analysis: FileAnalysis, options: PlanOptions, ctx: AnalysisContext): boolean {
  if (options.rename) return false;
  const legacy = analysis.sites.filter((s) => s.target.kind === 'legacy' && !s.target.internal);
  if (!legacy.every((s) => DECLARATION_FORMS.has(s.form) && !s.names.some((n) => n.imported === '*'))) return false;
  const pathTargets = ctx.config.concepts.some((c) => migrationTarget(c).isPath);
  const bareOwn = legacy.some((s) => !s.specifier.startsWith('.') && !path.isAbsolute(s.specifier));
  return !pathTargets || !bareOwn || analysis.sites.some((s) => s.specifier.startsWith('.'));
}

/**
 * The tree to plan from: the file's import header when it suffices, else the whole file. The
 * header is proven to parse with the rest of the file (oxc reads the whole file; see parseHeader).
 */
function parseForMigration(
  mctx: MigrationContext,
  file: string,
  text: string,
  options: PlanOptions,
): { parsed: ParsedFile; analysis: FileAnalysis; whole: boolean } {
  if (mctx.headerParse) {
    const literals = mctx.prefilter.shapedLiterals(text, file);
    const header = literals && literals.length > 0 ? parseHeader(file, text, literals, mctx.targetNeedles) : undefined;
    if (header && 'parsed' in header) {
      const analysis = analyzeFile(mctx.ctx, file, text, {
        sourceFile: header.parsed.sourceFile,
        skipDuplicates: true,
      });
      if (headerSuffices(analysis, options, mctx.ctx)) return { parsed: header.parsed, analysis, whole: false };
    }
  }
  // Parent pointers only where the inventory walks (all the planner reads; see parseFile).
  const parsed = parseFile(file, text, { skipJsDoc: true, parents: 'sites' });
  return {
    parsed,
    analysis: analyzeFile(mctx.ctx, file, text, { sourceFile: parsed.sourceFile, skipDuplicates: true }),
    whole: true,
  };
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
  const base: Omit<TextMigration, 'status'> = { parsed: false, rewritten: [], refused: [], kept: [], notes: [] };
  const absolute = path.resolve(file);
  // The text prefilter first: a file that spells no legacy module cannot hold a legacy site.
  if (!mctx.prefilter.mayMatch(text, absolute)) return { status: 'unchanged', ...base };
  const { parsed, analysis, whole } = parseForMigration(mctx, absolute, text, options);
  base.parsed = true;
  base.tree = whole ? 'whole' : 'header';
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
  // Nothing reads the tree after this point, so the check may reparse incrementally from it
  // (a header tree is not the whole file's: then any edit the proof does not cover is re-parsed in full).
  const change = whole ? changeRangeOf(plan.edits) : undefined;
  const verdict = verifyRewrite(ctx, absolute, text, output, {
    specifiers: plan.specifiers,
    // Specifier-only edits are proven to keep the syntax (editsKeepSyntax): no re-parse then.
    proof: { edits: plan.edits, literals: analysis.sites, beforeParses: parsed.errors.length === 0 },
    ...(change ? { previous: { sourceFile: parsed.sourceFile, change } } : {}),
  });
  if (!verdict.ok) return { status: 'failed', ...result, error: `refused: ${verdict.error}` };
  return { status: 'changed', ...result, output, rewritten: plan.rewritten.map(siteRef) };
}
