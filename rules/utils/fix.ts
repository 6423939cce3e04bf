import type { TSESLint } from '@typescript-eslint/utils';
import type { AnalysisContext, ClassifiedSite, FileAnalysis, TextEdit } from '../../src/core/index.js';

/** What the shared rewrite planner proposes for one site, as ESLint fixes. */
export interface SiteFix {
  /** Apply as an autofix (true) or offer as a suggestion (false). */
  safe: boolean;
  reason?: string;
  fix: TSESLint.ReportFixFunction;
}

export function editsToFix(edits: readonly TextEdit[]): TSESLint.ReportFixFunction {
  return (fixer) => edits.map((e) => fixer.replaceTextRange([e.start, e.end], e.text));
}

/** Placeholder until src/core/rewrite lands: no fix. */
export function planSiteFix(_ctx: AnalysisContext, _analysis: FileAnalysis, _site: ClassifiedSite, _text: string): SiteFix | undefined {
  return undefined;
}
