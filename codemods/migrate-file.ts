import * as path from 'node:path';
import type { AnalysisContext } from '../src/core/analyze.js';
import { analyzeFile } from '../src/core/analyze.js';
import { toPosix } from '../src/core/classify.js';
import { applyEdits, planFileRewrite, type PlanOptions } from '../src/core/rewrite/plan.js';
import { verifyRewrite } from '../src/core/rewrite/verify.js';
import type { ClassifiedSite } from '../src/core/types.js';

/** A refused site as reported: where, what, why. */
export interface RefusedSite {
  line: number;
  column: number;
  form: ClassifiedSite['form'];
  specifier: string;
  reason: string;
}

export interface TextMigration {
  /** 'changed': `output` differs; 'unchanged': nothing to do; 'failed': the change was refused for the file. */
  status: 'changed' | 'unchanged' | 'failed';
  parsed: boolean;
  output?: string;
  error?: string;
  sitesRewritten: number;
  /** Legacy sites that stay on the legacy module although they hold concept names. */
  refused: RefusedSite[];
  /** Legacy sites that stay because none of their names is part of the concept. */
  kept: number;
  notes: string[];
}

/**
 * One file's migration from its text, shared by `ssot migrate` (in worker threads) and the
 * jscodeshift transform, so both produce the same bytes: core analysis (prefilter, parse,
 * classification) -> the core's rewrite plan -> splice -> re-parse and check the output.
 */
export function migrateText(ctx: AnalysisContext, file: string, text: string, options: PlanOptions = {}): TextMigration {
  const analysis = analyzeFile(ctx, file, text);
  const base = { parsed: analysis.parsed, sitesRewritten: 0, refused: [] as RefusedSite[], kept: 0, notes: [] as string[] };
  if (!analysis.parsed || !analysis.sites.some((s) => s.target.kind === 'legacy')) return { status: 'unchanged', ...base };
  const plan = planFileRewrite(ctx, analysis, text, options);
  const refused = plan.refused.map(({ site, reason }) => ({ line: site.line, column: site.column, form: site.form, specifier: site.specifier, reason }));
  const result = { ...base, refused, kept: plan.kept.length, notes: plan.notes };
  if (plan.edits.length === 0) return { status: 'unchanged', ...result };
  let output: string;
  try {
    output = applyEdits(text, plan.edits);
  } catch (error) {
    return { status: 'failed', ...result, error: `internal: ${(error as Error).message}` };
  }
  if (output === text) return { status: 'unchanged', ...result };
  const verdict = verifyRewrite(ctx, file, text, output);
  if (!verdict.ok) return { status: 'failed', ...result, error: `refused: ${verdict.error}` };
  return { status: 'changed', ...result, output, sitesRewritten: plan.rewritten.length };
}

export function displayPath(rootDir: string, file: string): string {
  const rel = path.relative(rootDir, file);
  return rel.startsWith('..') ? toPosix(file) : toPosix(rel);
}
