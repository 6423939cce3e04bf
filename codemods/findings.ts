/** A diagnostic as plain data (from the type checker of a codemod run, or of `--typecheck`). */
export interface Finding {
  file: string;
  /** Offset in the file's text, when the diagnostic has a position. */
  start?: number;
  line: number;
  column: number;
  code: number;
  message: string;
}

/**
 * Diagnostics present after but not before (by message, as a multiset). TypeScript's "Did you mean
 * ...?" hint is left out of the comparison, and with it the code (a hint has a code of its own:
 * TS2552 is TS2304 with a hint): it names whatever is in scope, which an import rewrite changes
 * without changing the error.
 */
export function newFindings<T extends { code: number; message: string }>(
  before: readonly T[],
  after: readonly T[],
): T[] {
  const key = (d: T): string => d.message.replace(/ Did you mean [^\n]*\?/g, '');
  const old = new Map<string, number>();
  for (const d of before) old.set(key(d), (old.get(key(d)) ?? 0) + 1);
  const fresh: T[] = [];
  for (const d of after) {
    const n = old.get(key(d)) ?? 0;
    if (n > 0) old.set(key(d), n - 1);
    else fresh.push(d);
  }
  return fresh;
}
