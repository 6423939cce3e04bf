import type { TSESLint } from '@typescript-eslint/utils';
import type ts from 'typescript';
import type { AnalysisContext, ClassifiedSite, FileAnalysis, TextEdit } from '../../src/core/index.js';
import { core } from './core.js';

/** What the shared rewrite planner proposes for one site, as ESLint fixes. */
export interface SiteFix {
  /** Apply as an autofix (true) or offer as a suggestion (false). */
  safe: boolean;
  reason?: string;
  fix: TSESLint.ReportFixFunction;
}

/** TextEdits are offsets into the original text, which are ESLint's range offsets for the same text. */
function editsToFix(edits: readonly TextEdit[]): TSESLint.ReportFixFunction {
  return (fixer) => edits.map((e) => fixer.replaceTextRange([e.start, e.end], e.text));
}

/**
 * The fix for one legacy site, from the core's rewrite planner (the same decisions as
 * `ssot migrate`). A site the planner refuses gets a suggestion that only changes the specifier
 * (spelled by the core's `specifierFor`), with the planner's reason: the user decides.
 */
export function planSiteFix(
  ctx: AnalysisContext,
  analysis: FileAnalysis,
  site: ClassifiedSite,
  text: string,
  sourceFile?: ts.SourceFile,
): SiteFix | undefined {
  const { planSiteRewrite, specifierFor, mapLegacyName, siteMigrationTarget } = core();
  const plan = planSiteRewrite(ctx, analysis, site, text, sourceFile ? { sourceFile } : {});
  if (plan.edits.length > 0) {
    return { safe: plan.safe, ...(plan.reason ? { reason: plan.reason } : {}), fix: editsToFix(plan.edits) };
  }
  if (site.target.kind !== 'legacy') return undefined;
  const { conceptId, legacyIndex } = site.target;
  const concept = ctx.config.concepts.find((c) => c.id === conceptId);
  const legacy = concept?.legacy[legacyIndex];
  // Nothing of this site belongs to the concept: no suggestion to move it.
  if (!concept || !legacy || !mapLegacyName(concept, legacy, '*')) return undefined;
  // An exported instance of a legacy class (a namespace member, a destructured property): the target
  // has no name for it, so moving the specifier would break the import.
  if (plan.decision === 'non-concept' || plan.decision === 'nothing-to-change' || plan.decision === 'no-counterpart')
    return undefined;
  const spec = specifierFor(ctx, site, siteMigrationTarget(concept, legacy, site.specifier), analysis.sites);
  if ('error' in spec) return undefined;
  // Never suggest that a module import itself.
  const self = ctx.resolver.resolve(spec.specifier, site.file, site.form);
  if (self.kind === 'file' && self.path === site.file) return undefined;
  const edit: TextEdit = { start: site.specifierStart + 1, end: site.specifierEnd - 1, text: spec.specifier };
  return { safe: false, ...(plan.reason ? { reason: plan.reason } : {}), fix: editsToFix([edit]) };
}
