import { ignore } from '../shared/cjs-packages.js';
import type { LegacyPatternInput } from './config/types.js';
import { compileUserRegex } from './user-regex.js';

/**
 * Specifier-text matching for legacy modules given as a `pattern` (the shape of ESLint's
 * `no-restricted-imports`): exact specifiers, gitignore-style groups and a regular expression.
 * Used by the classifier; `patternNeedles` gives the prefilter its literals.
 */
export function compileSpecifierPattern(pattern: LegacyPatternInput): (specifier: string) => boolean {
  const caseSensitive = pattern.caseSensitive ?? false;
  const exact = new Set((pattern.exact ?? []).map((e) => (caseSensitive ? e : e.toLowerCase())));
  // As ESLint does: the `ignore` package, relative paths allowed, case-insensitive by default.
  const group =
    pattern.group && pattern.group.length > 0
      ? ignore({ allowRelativePaths: true, ignorecase: !caseSensitive }).add(pattern.group)
      : undefined;
  // Linear-time matching whatever the pattern (see compileUserRegex); the config refused what it cannot run.
  const regex = pattern.regex ? compileUserRegex(pattern.regex, caseSensitive ? '' : 'i') : undefined;
  return (specifier: string): boolean => {
    if (exact.has(caseSensitive ? specifier : specifier.toLowerCase())) return true;
    if (group && group.ignores(specifier)) return true;
    return regex ? regex.test(specifier) : false;
  };
}

/** A readable form of a pattern for messages and reports. */
export function describePattern(pattern: LegacyPatternInput): string {
  const parts = [...(pattern.exact ?? []), ...(pattern.group ?? []), ...(pattern.regex ? [`/${pattern.regex}/`] : [])];
  return parts.join(', ');
}

/** The longest literal run of a regex source (every match contains it), or undefined when none is certain. */
export function regexLiteral(source: string): string | undefined {
  if (/[|]/.test(source)) return undefined;
  const runs = source.replace(/\\[dDwWsSbB]|\[[^\]]*\]|\(\?[:=!<]|[()^$.*+?{}\d,]/g, '\u0000').split('\u0000');
  const best = runs.filter((r) => !r.includes('\\')).sort((a, b) => b.length - a.length)[0];
  return best && best.length >= 3 ? best : undefined;
}

/**
 * Literals every matching specifier contains (any one of them), for a sound text prefilter;
 * undefined when the pattern can match without a known literal (the prefilter then passes all).
 * Case-insensitive patterns yield lower-case needles and `caseInsensitive: true`.
 */
export function patternNeedles(
  pattern: LegacyPatternInput,
): { needles: string[]; caseInsensitive: boolean } | undefined {
  const needles: string[] = [];
  for (const e of pattern.exact ?? []) needles.push(e);
  for (const g of pattern.group ?? []) {
    if (g.startsWith('!')) continue; // negations only remove matches
    const best = g
      .split(/[*?[\]{}/\\]+/)
      .filter(Boolean)
      .sort((a, b) => b.length - a.length)[0];
    if (!best || best.length < 2) return undefined;
    needles.push(best);
  }
  if (pattern.regex) {
    const lit = regexLiteral(pattern.regex);
    if (!lit) return undefined;
    needles.push(lit);
  }
  const caseInsensitive = !(pattern.caseSensitive ?? false);
  return { needles: caseInsensitive ? needles.map((n) => n.toLowerCase()) : needles, caseInsensitive };
}
