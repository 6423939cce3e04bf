import * as path from 'node:path';
import type { AnalysisContext } from '../analyze.js';
import { collectImportSites } from '../inventory.js';
import { hasSyntaxErrors, parseFile, syntaxErrors } from '../parse.js';
import ts from '../typescript.cjs';
import type { ImportForm, ParseProblem, TextEdit } from '../types.js';

function selfImports(ctx: AnalysisContext, file: string, text: string): { specifier: string; line: number }[] {
  const { sourceFile } = parseFile(file, text, { skipJsDoc: true });
  const out: { specifier: string; line: number }[] = [];
  for (const site of collectImportSites(sourceFile)) {
    const r = ctx.resolver.resolve(site.specifier, file, site.form);
    if (r.kind === 'file' && path.resolve(r.path) === file) out.push({ specifier: site.specifier, line: site.line });
  }
  return out;
}

/**
 * The one span of the old text that `edits` touched, with the length of its replacement: what
 * TypeScript's incremental parser needs to reparse `after` from the tree of `before`.
 */
export function changeRangeOf(edits: readonly TextEdit[]): ts.TextChangeRange | undefined {
  if (edits.length === 0) return undefined;
  let start = Infinity;
  let end = -Infinity;
  let delta = 0;
  for (const e of edits) {
    if (e.start < start) start = e.start;
    if (e.end > end) end = e.end;
    delta += e.text.length - (e.end - e.start);
  }
  return ts.createTextChangeRange(ts.createTextSpan(start, end - start), end - start + delta);
}

/** A string literal of the original text: offsets including its quotes, and its quote character. */
export interface LiteralSpan {
  specifierStart: number;
  specifierEnd: number;
  quote: "'" | '"' | '`';
}

/**
 * True when every edit replaces text inside one string literal of the original (between its
 * quotes) with characters that cannot end it, escape or continue it: no quote of that literal, no
 * backslash, no line terminator, and in a template literal no backtick and no `${`. Then TypeScript's
 * scanner produces the same tokens as before, at the same places up to the length change, but for
 * that literal's value; and its parser never decides by a module specifier's value (it is not a
 * directive: a specifier is the operand of an import, export, require, import() or mock). So the
 * rewritten text has exactly the syntax errors of the original, and a re-parse would only say so.
 */
export function editsKeepSyntax(edits: readonly TextEdit[], literals: readonly LiteralSpan[]): boolean {
  return edits.every((e) => {
    const literal = literals.find((l) => e.start >= l.specifierStart + 1 && e.end <= l.specifierEnd - 1);
    if (!literal) return false;
    if (/[\\\r\n\u2028\u2029]/.test(e.text) || e.text.includes(literal.quote)) return false;
    return literal.quote !== '`' || !e.text.includes('${');
  });
}

/**
 * The syntax errors of `after`. With `previous` (the tree of the text the edits were made to, and
 * their change range) TypeScript's incremental parser reparses it, as editors do on every
 * keystroke: everything inside the changed span is parsed again, and the nodes outside it are
 * reused, so the errors are those of a full parse, at the same places (tests compare the two).
 * Only from a tree without syntax errors: from a broken original the incremental parser can miss
 * errors a full parse reports (an edit that opens a string at the start of a file whose import
 * list is broken, found by the property test), so such an output is parsed in full. An empty
 * original is parsed in full by TypeScript itself. It consumes the old tree: TypeScript moves its
 * reused nodes into the new one.
 */
export function rewrittenSyntaxErrors(
  file: string,
  after: string,
  previous?: { sourceFile: ts.SourceFile; change: ts.TextChangeRange },
): ParseProblem[] {
  if (previous && !hasSyntaxErrors(previous.sourceFile)) {
    try {
      return syntaxErrors(ts.updateSourceFile(previous.sourceFile, after, previous.change));
    } catch (error) {
      // TypeScript's incremental parser walks the old tree recursively: one that is very deep
      // (a long `'a' + 'a' + ...` chain) overflows the stack. A full parse has no such limit.
      if (!(error instanceof RangeError)) throw error;
    }
  }
  return parseFile(file, after, { skipJsDoc: true, parents: false }).errors;
}

/**
 * Checks a rewritten text before it is written: it must parse (TypeScript's parser, by the
 * file's extension) and must not make the module import itself (the core's resolver decides).
 * Pass `specifiers` (FilePlan.specifiers: what the edits wrote) for the fast check: only those
 * are resolved; without it every import site of the output is. Pass `previous` to reparse
 * incrementally (the tree of `before` must not be used afterwards; see rewrittenSyntaxErrors).
 */
export function verifyRewrite(
  ctx: AnalysisContext,
  file: string,
  before: string,
  after: string,
  options: {
    specifiers?: readonly string[];
    /** Reparse incrementally from the tree of `before` (consumed; see rewrittenSyntaxErrors). */
    previous?: { sourceFile: ts.SourceFile; change: ts.TextChangeRange };
    /**
     * The edits that made `after`, the string literals of `before` and whether `before` parsed
     * without errors: when editsKeepSyntax holds, `after` parses as `before` did, with no re-parse.
     */
    proof?: { edits: readonly TextEdit[]; literals: readonly LiteralSpan[]; beforeParses: boolean };
  } = {},
): { ok: true } | { ok: false; error: string } {
  const self = path.resolve(file);
  const proven =
    options.proof !== undefined &&
    options.proof.beforeParses &&
    editsKeepSyntax(options.proof.edits, options.proof.literals);
  const errors = proven ? [] : rewrittenSyntaxErrors(self, after, options.previous);
  const firstError = errors[0];
  if (firstError) {
    return {
      ok: false,
      error: `the rewritten file would not parse (line ${firstError.line}, column ${firstError.column}: ${firstError.message})`,
    };
  }
  if (options.specifiers) {
    const forms: ImportForm[] = ['import', 'require'];
    for (const specifier of options.specifiers) {
      for (const form of forms) {
        const r = ctx.resolver.resolve(specifier, self, form);
        if (r.kind === 'file' && path.resolve(r.path) === self)
          return { ok: false, error: `the rewritten file would import itself ('${specifier}')` };
      }
    }
    return { ok: true };
  }
  const now = selfImports(ctx, self, after);
  if (now.length > 0 && now.length > selfImports(ctx, self, before).length) {
    return {
      ok: false,
      error: `the rewritten file would import itself ('${now[0]!.specifier}' at line ${now[0]!.line})`,
    };
  }
  return { ok: true };
}
