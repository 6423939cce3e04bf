import { setParentPointers } from '../parse.js';
import ts from '../typescript.cjs';
import type { TextEdit } from '../types.js';

/**
 * Scope-aware renaming of one import binding inside one file, with TypeScript's binder and
 * checker over that file alone (no lib, no module resolution: a few milliseconds, no project).
 * A reference is an identifier whose symbol is the import's alias symbol, so a shadowing local
 * of the same name is never touched. Refuses (returns `conflict`) when the new name is already
 * visible at a reference or spelled as an identifier elsewhere in the file.
 */
export function planLocalRename(sf: ts.SourceFile, binding: ts.Identifier, newName: string): { edits: TextEdit[] } | { conflict: string } {
  setParentPointers(sf); // the walk below reads parents everywhere; a 'sites' parse has them only near imports
  const program = singleFileProgram(sf);
  const checker = program.getTypeChecker();
  const target = checker.getSymbolAtLocation(binding);
  if (!target) return { conflict: `no symbol for ${binding.text}` };
  const oldName = binding.text;
  const edits: TextEdit[] = [];
  const references: ts.Identifier[] = [];
  let conflict: string | undefined;

  const visit = (node: ts.Node): void => {
    if (conflict) return;
    if (ts.isIdentifier(node) && node !== binding) {
      if (node.text === newName && !isMemberName(node)) {
        conflict = `'${newName}' is already used in this file (line ${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1})`;
        return;
      }
      if (node.text === oldName) {
        const parent = node.parent;
        let symbol: ts.Symbol | undefined;
        if (parent && ts.isShorthandPropertyAssignment(parent) && parent.name === node) symbol = checker.getShorthandAssignmentValueSymbol(parent);
        else if (parent && ts.isExportSpecifier(parent) && !parent.propertyName && !parent.parent.parent.moduleSpecifier) {
          symbol = checker.getExportSpecifierLocalTargetSymbol(parent);
        } else symbol = checker.getSymbolAtLocation(node);
        if (symbol === target) {
          references.push(node);
          const start = node.getStart(sf);
          if (parent && ts.isShorthandPropertyAssignment(parent)) edits.push({ start, end: node.end, text: `${oldName}: ${newName}` });
          else if (parent && ts.isExportSpecifier(parent) && !parent.propertyName) edits.push({ start, end: node.end, text: `${newName} as ${oldName}` });
          else edits.push({ start, end: node.end, text: newName });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (conflict) return { conflict };
  for (const ref of references) {
    const inScope = checker.getSymbolsInScope(ref, ts.SymbolFlags.Value | ts.SymbolFlags.Type | ts.SymbolFlags.Namespace);
    if (inScope.some((s) => s.name === newName && s !== target)) return { conflict: `'${newName}' is already declared in scope` };
  }
  return { edits };
}

/** True for `x.name`, `{ name: ... }`, `class { name }`: names that are not scope references. */
function isMemberName(node: ts.Identifier): boolean {
  const p = node.parent;
  if (!p) return false;
  if (ts.isPropertyAccessExpression(p) && p.name === node) return true;
  if (ts.isQualifiedName(p) && p.right === node) return true;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p) || ts.isMethodDeclaration(p) || ts.isMethodSignature(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p) || ts.isEnumMember(p)) && p.name === node) {
    return true;
  }
  if (ts.isImportSpecifier(p) && p.propertyName === node) return true;
  if (ts.isExportSpecifier(p) && p.name === node && p.propertyName) return true;
  if (ts.isBindingElement(p) && p.propertyName === node) return true;
  return false;
}

function singleFileProgram(sf: ts.SourceFile): ts.Program {
  const options: ts.CompilerOptions = { noLib: true, noResolve: true, types: [], allowJs: true, noEmit: true, target: ts.ScriptTarget.Latest };
  const host: ts.CompilerHost = {
    getSourceFile: (name) => (name === sf.fileName ? sf : undefined),
    getDefaultLibFileName: () => 'lib.d.ts',
    writeFile: () => undefined,
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (f) => f === sf.fileName,
    readFile: () => undefined,
  };
  return ts.createProgram({ rootNames: [sf.fileName], options, host });
}
