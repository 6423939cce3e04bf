import { codeTokens } from './fingerprint.js';

/**
 * Copy detection: how much of two declarations' code is the same, as the share of 5-token
 * sequences (shingles) they have in common (Dice coefficient over the two sets). Comments and
 * layout do not count, and the declaration's own name is blanked, so a renamed copy of a class
 * scores as high as a verbatim one. A small edit changes only the shingles that touch it.
 */

const SHINGLE = 5;
/** Below this many tokens a body is too small to call a copy (a two-line class matches too much). */
export const MIN_COPY_TOKENS = 60;

export interface CodeShingles {
  tokens: number;
  /** The distinct shingles, each its tokens joined. */
  shingles: Set<string>;
}

export function shinglesOf(text: string, ownName?: string): CodeShingles {
  const tokens = codeTokens(text).map((t) => (t === ownName ? '$NAME' : t));
  const shingles = new Set<string>();
  for (let i = 0; i + SHINGLE <= tokens.length; i++) {
    shingles.add(tokens.slice(i, i + SHINGLE).join('\u0000'));
  }
  return { tokens: tokens.length, shingles };
}

/** The Dice coefficient of two shingle sets: 1 for the same code, 0 for nothing in common. */
export function similarity(a: CodeShingles, b: CodeShingles): number {
  if (a.shingles.size === 0 || b.shingles.size === 0) return 0;
  const [small, large] = a.shingles.size <= b.shingles.size ? [a.shingles, b.shingles] : [b.shingles, a.shingles];
  let common = 0;
  for (const s of small) if (large.has(s)) common++;
  return (2 * common) / (a.shingles.size + b.shingles.size);
}

/** Sizes that cannot reach `threshold` need no comparison: Dice <= 2 * min / (min + max). */
export function sizesCanMatch(aTokens: number, bTokens: number, threshold: number): boolean {
  const min = Math.min(aTokens, bTokens);
  const max = Math.max(aTokens, bTokens);
  return max > 0 && (2 * min) / (min + max) >= threshold;
}

const KEYWORD =
  /^(?:abstract|as|async|await|break|case|catch|class|const|constructor|continue|declare|default|delete|do|else|enum|export|extends|false|finally|for|from|function|get|if|implements|import|in|instanceof|interface|let|new|null|of|private|protected|public|readonly|return|set|static|super|switch|this|throw|true|try|type|typeof|undefined|var|void|while|yield)$/;

/**
 * Words at least one of which every copy of `ref` spells, for a sound text prefilter. A copy
 * (similarity >= t) shares at least t·|B| / (2 − t) of the reference's |B| shingles, since
 * 2|A∩B| >= t(|A| + |B|) and |A| >= |A∩B|. So if the chosen identifiers appear in all but fewer
 * than that many shingles, a copy shares a shingle holding one of them, and its text spells it.
 * Long identifiers come first (rarer elsewhere). Undefined when no such set exists.
 */
export function copyNeedles(ref: CodeShingles, threshold: number): string[] | undefined {
  const shared = Math.ceil((threshold * ref.shingles.size) / (2 - threshold));
  const shingles = [...ref.shingles].map(
    (s) => new Set(s.split('\u0000').filter((t) => /^[A-Za-z_$][\w$]*$/.test(t) && t !== '$NAME' && !KEYWORD.test(t))),
  );
  const words = [...new Set(shingles.flatMap((s) => [...s]))].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const chosen: string[] = [];
  let uncovered = shingles;
  for (const word of words) {
    if (uncovered.length < shared) return chosen;
    const next = uncovered.filter((s) => !s.has(word));
    if (next.length === uncovered.length) continue;
    chosen.push(word);
    uncovered = next;
  }
  return uncovered.length < shared ? chosen : undefined;
}
