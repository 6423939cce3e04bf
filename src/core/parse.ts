import * as path from 'node:path';
import ts from './typescript.cjs';
import type { ParseProblem } from './types.js';
import { walkAst } from './walk.js';

const KIND_BY_EXTENSION: Record<string, ts.ScriptKind> = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
};

/** The script kind TypeScript uses for a file name (`<T>x` casts are legal in .ts, JSX in .tsx). */
export function scriptKindFor(file: string): ts.ScriptKind {
  return KIND_BY_EXTENSION[path.extname(file).toLowerCase()] ?? ts.ScriptKind.TS;
}

export interface ParsedFile {
  sourceFile: ts.SourceFile;
  errors: ParseProblem[];
}

/**
 * Parses one file with TypeScript's parser (no program, no type checker): syntax only.
 * `skipJsDoc`: leave JSDoc comments unparsed (about a third faster; the import inventory and the
 * rewrite planner never look into JSDoc). `parents`: true (default) sets every parent pointer;
 * false sets none (a syntax check); 'sites' leaves them to the import inventory
 * (collectImportSites), which sets them on the way to every site and in each site's subtree,
 * all the rewrite planner reads (about a quarter less parse time where little of a file matters).
 */
export function parseFile(
  file: string,
  text: string,
  options: { skipJsDoc?: boolean; parents?: boolean | 'sites' } = {},
): ParsedFile {
  const sourceFile = ts.createSourceFile(
    file,
    text,
    options.skipJsDoc
      ? { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }
      : ts.ScriptTarget.Latest,
    options.parents === undefined || options.parents === true,
    scriptKindFor(file),
  );
  return { sourceFile, errors: syntaxErrors(sourceFile) };
}

/** The parser's diagnostics: TypeScript keeps them on the source file itself. */
function parseDiagnostics(sourceFile: ts.SourceFile): readonly ts.DiagnosticWithLocation[] {
  return (sourceFile as unknown as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
}

/** Whether the parser recorded a syntax error in the file. */
export function hasSyntaxErrors(sourceFile: ts.SourceFile): boolean {
  return parseDiagnostics(sourceFile).length > 0;
}

/** Syntax errors the parser recorded. */
export function syntaxErrors(sourceFile: ts.SourceFile): ParseProblem[] {
  const diagnostics = parseDiagnostics(sourceFile);
  return diagnostics.map((d) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(d.start);
    return {
      file: sourceFile.fileName,
      line: line + 1,
      column: character + 1,
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    };
  });
}

/** Sets the parent pointers of `node`'s whole subtree (what `parents: true` does for a file). */
export function setParentPointers(node: ts.Node): void {
  walkAst(node, (child, parent) => {
    (child as { parent: ts.Node }).parent = parent;
  });
}
