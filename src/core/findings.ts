import { DUPLICATE_RULE_ID } from './detect.js';
import type { SiteTarget } from './types.js';

/**
 * The rule ids: one vocabulary for the CLI, SARIF, JUnit, GitHub annotations, the baseline and
 * the ESLint plugin (`ssot/<id>`).
 */
export const RULES = {
  duplicate: DUPLICATE_RULE_ID,
  legacy: 'no-legacy-import',
  missing: 'no-missing-legacy-module',
} as const;
export type RuleId = (typeof RULES)[keyof typeof RULES];

export const RULE_IDS: readonly RuleId[] = Object.values(RULES);

/** Ids earlier versions wrote (in baselines): read as today's. */
export const FORMER_RULE_IDS: Readonly<Record<string, RuleId>> = { 'missing-legacy-module': RULES.missing };

/**
 * The rule name a fingerprint is computed with. Baselines key on fingerprints, so a renamed
 * rule keeps hashing under its first name: a baseline written before the rename still matches.
 */
export function fingerprintRuleName(rule: RuleId): string {
  return rule === RULES.missing ? 'missing-legacy-module' : rule;
}

/**
 * The rule a legacy import site breaks, or null when it breaks none. One decision for the
 * report (and everything derived from it) and the ESLint rules:
 * - an import of a legacy module that no longer exists is broken, whatever it imports;
 * - a site inside a legacy module, or the canonical/compat module re-exporting one during the
 *   transition (`internal`), goes with the module: no violation;
 * - otherwise a site that uses the concept (`concept`) must migrate; one that imports only
 *   names outside the concept has nothing to migrate (it still keeps the module alive).
 */
export function legacySiteRule(target: Extract<SiteTarget, { kind: 'legacy' }>): RuleId | null {
  if (target.missing) return RULES.missing;
  if (target.internal) return null;
  return target.concept ? RULES.legacy : null;
}
