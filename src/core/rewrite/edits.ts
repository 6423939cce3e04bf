import ts from '../typescript.cjs';
import type { TextEdit } from '../types.js';

/** Applies non-overlapping edits (offsets into `text`); zero-width inserts keep their order. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = edits
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i);
  let out = '';
  let pos = 0;
  for (const { e } of sorted) {
    if (e.start < pos || e.end < e.start || e.end > text.length) {
      throw new Error(`overlapping or out-of-range edit at ${e.start}..${e.end}`);
    }
    out += text.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + text.slice(pos);
}

export function lineStart(text: string, pos: number): number {
  let i = pos;
  while (i > 0 && text[i - 1] !== '\n') i--;
  return i;
}

/** The whitespace that indents the line holding `pos`. */
export function indentAt(text: string, pos: number): string {
  const ls = lineStart(text, pos);
  return /^[ \t]*/.exec(text.slice(ls, pos))?.[0] ?? '';
}

/** Removes a statement; when it is alone on its line(s), the whole line goes with it. */
export function removeStatement(text: string, start: number, end: number): TextEdit {
  const ls = lineStart(text, start);
  const before = text.slice(ls, start);
  let e = end;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  if (/^[ \t]*$/.test(before)) {
    if (text.startsWith('\r\n', e)) return { start: ls, end: e + 2, text: '' };
    if (text[e] === '\n') return { start: ls, end: e + 1, text: '' };
    if (e === text.length) return { start: ls, end: e, text: '' };
  }
  return { start, end: e, text: '' };
}

/** Removes some elements of a comma list, keeping the others and their separators. */
export function removeListElements(
  elements: readonly { start: number; end: number }[],
  remove: ReadonlySet<number>,
): TextEdit[] {
  const edits: TextEdit[] = [];
  let i = 0;
  while (i < elements.length) {
    if (!remove.has(i)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < elements.length && remove.has(j + 1)) j++;
    const next = elements[j + 1];
    const prev = elements[i - 1];
    if (next) edits.push({ start: elements[i]!.start, end: next.start, text: '' });
    else if (prev) edits.push({ start: prev.end, end: elements[j]!.end, text: '' });
    i = j + 1;
  }
  return edits;
}

/**
 * A statement written right after `statementEnd`, on a line of its own with the original's
 * indentation and the file's line ending: where a split-off import or re-export goes.
 */
export function insertAfterStatement(
  text: string,
  statementStart: number,
  statementEnd: number,
  eol: string,
  statement: string,
): TextEdit {
  return { start: statementEnd, end: statementEnd, text: `${eol}${indentAt(text, statementStart)}${statement}` };
}

/** `;` when the statement text ends with one (new statements copy the original's style). */
export function semicolonOf(text: string, start: number, end: number): string {
  return text.slice(start, end).trimEnd().endsWith(';') ? ';' : '';
}

export function findNode<T extends ts.Node>(
  sf: ts.SourceFile,
  start: number,
  end: number,
  is: (n: ts.Node) => n is T,
): T | undefined {
  let found: T | undefined;
  const visit = (node: ts.Node): void => {
    if (found || node.end < end || node.pos > start) return;
    if (node.getStart(sf) === start && node.end === end && is(node)) {
      found = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}
