// Where words occur in a source text, to skip syntax subtrees that cannot matter. A node's text is
// `text.slice(node.pos, node.end)` (with its leading trivia), so a subtree whose range holds no
// occurrence of a word cannot contain an identifier or string spelling it.

/** Sorted start offsets of every occurrence of each of `words` in `text`. */
export function wordOffsets(text: string, words: readonly string[]): Int32Array {
  const found: number[] = [];
  for (const word of words) {
    if (word.length === 0) continue;
    for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) found.push(i);
  }
  return Int32Array.from(found).sort();
}

/** True when some offset lies in [pos, end): the range may hold one of the words. */
export function holdsOffset(offsets: Int32Array, pos: number, end: number): boolean {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (offsets[mid]! < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo < offsets.length && offsets[lo]! < end;
}
