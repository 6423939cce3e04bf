import { setParentPointers } from '../parse.js';
import { holdsOffset, wordOffsets } from '../text-offsets.js';
import ts from '../typescript.cjs';

/**
 * TypeScript's binder and checker over one file alone (no lib, no module resolution: a few
 * milliseconds, no project). Enough to tell which identifiers refer to one of the file's own
 * bindings: scopes, shadowing and imports are the binder's, not a guess from the text.
 */
export function singleFileChecker(sf: ts.SourceFile): ts.TypeChecker {
  setParentPointers(sf); // the checker reads parents everywhere; a 'sites' parse has them only near imports
  const options: ts.CompilerOptions = {
    noLib: true,
    noResolve: true,
    types: [],
    allowJs: true,
    noEmit: true,
    target: ts.ScriptTarget.Latest,
  };
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
  return ts.createProgram({ rootNames: [sf.fileName], options, host }).getTypeChecker();
}

/** The symbol an identifier refers to; `{ x }` shorthand and a local `export { x }` included. */
export function referencedSymbol(checker: ts.TypeChecker, node: ts.Identifier): ts.Symbol | undefined {
  const parent = node.parent;
  if (parent && ts.isShorthandPropertyAssignment(parent) && parent.name === node)
    return checker.getShorthandAssignmentValueSymbol(parent);
  if (parent && ts.isExportSpecifier(parent) && !parent.propertyName && !parent.parent.parent.moduleSpecifier) {
    return checker.getExportSpecifierLocalTargetSymbol(parent);
  }
  return checker.getSymbolAtLocation(node);
}

/**
 * The references of a binding without the binder, when the text leaves no doubt: the name is
 * declared nowhere else in the file (no parameter, local, import or type of that name could
 * shadow it) and spelled only where a reference or a member name stands. Undefined otherwise.
 */
function referencesByText(sf: ts.SourceFile, binding: ts.Identifier): ts.Identifier[] | undefined {
  const name = binding.text;
  const offsets = wordOffsets(sf.text, [name, '\\u']);
  const out: ts.Identifier[] = [];
  let doubt = false;
  // Parents are set on the way down: a tree parsed with `parents: 'sites'` has them only near
  // import sites, and the checks below read them (the references' parents are read later too).
  const visit = (node: ts.Node, parent: ts.Node): void => {
    (node as { parent: ts.Node }).parent = parent;
    if (doubt || !holdsOffset(offsets, node.pos, node.end)) return;
    if (ts.isIdentifier(node) && node !== binding && node.text === name && !isMemberName(node)) {
      if (declares(node) || notAReference(node)) doubt = true;
      else out.push(node);
    }
    ts.forEachChild(node, (child) => visit(child, node));
  };
  ts.forEachChild(sf, (child) => visit(child, sf));
  return doubt ? undefined : out;
}

/** `node` names a declaration (it could shadow, or be shadowed by, a binding of the same name). */
function declares(node: ts.Identifier): boolean {
  const p = node.parent as ts.Node & { name?: ts.Node };
  if (p.name !== node) return false;
  return (
    ts.isDeclarationStatement(p) ||
    ts.isVariableDeclaration(p) ||
    ts.isParameter(p) ||
    ts.isBindingElement(p) ||
    ts.isFunctionExpression(p) ||
    ts.isClassExpression(p) ||
    ts.isTypeParameterDeclaration(p) ||
    ts.isImportClause(p) ||
    ts.isImportSpecifier(p) ||
    ts.isNamespaceImport(p) ||
    ts.isNamespaceExport(p)
  );
}

/** Spellings that are neither references nor member names: JSX attribute names, labels. */
function notAReference(node: ts.Identifier): boolean {
  const p = node.parent;
  return (
    ts.isJsxAttribute(p) || ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p) || ts.isJsxNamespacedName(p)
  );
}

/**
 * Every identifier of the file that refers to `binding` (the declaration itself left out): by the
 * text when it leaves no doubt (see referencesByText), else by the binder (`checker()`, called
 * only then). A shadowing parameter or local of the same name is never a reference.
 */
export function bindingReferences(
  sf: ts.SourceFile,
  binding: ts.Identifier,
  checker: () => ts.TypeChecker,
): ts.Identifier[] {
  return referencesByText(sf, binding) ?? referencesOf(sf, checker(), binding);
}

/**
 * Every identifier of the file that refers to the symbol `binding` declares (the declaration
 * itself left out). A shadowing parameter or local of the same name is not a reference.
 */
export function referencesOf(sf: ts.SourceFile, checker: ts.TypeChecker, binding: ts.Identifier): ts.Identifier[] {
  const target = checker.getSymbolAtLocation(binding);
  if (!target) return [];
  const name = binding.text;
  // Only subtrees that spell the name (or an escape) can refer to it.
  const offsets = wordOffsets(sf.text, [name, '\\u']);
  const out: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (!holdsOffset(offsets, node.pos, node.end)) return;
    if (ts.isIdentifier(node) && node !== binding && node.text === name && referencedSymbol(checker, node) === target)
      out.push(node);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** True for `x.name`, `{ name: ... }`, `class { name }`: names that are not scope references. */
export function isMemberName(node: ts.Identifier): boolean {
  const p = node.parent;
  if (!p) return false;
  if (ts.isPropertyAccessExpression(p) && p.name === node) return true;
  if (ts.isQualifiedName(p) && p.right === node) return true;
  if (
    (ts.isPropertyAssignment(p) ||
      ts.isPropertyDeclaration(p) ||
      ts.isPropertySignature(p) ||
      ts.isMethodDeclaration(p) ||
      ts.isMethodSignature(p) ||
      ts.isGetAccessor(p) ||
      ts.isSetAccessor(p) ||
      ts.isEnumMember(p)) &&
    p.name === node
  ) {
    return true;
  }
  if (ts.isImportSpecifier(p) && p.propertyName === node) return true;
  if (ts.isExportSpecifier(p) && p.name === node && p.propertyName) return true;
  if (ts.isBindingElement(p) && p.propertyName === node) return true;
  return false;
}

/**
 * Why `newName` cannot be a new binding of this file, if it cannot: it is spelled as an identifier
 * somewhere (other than as a member name), or (with `scope`) visible at one of its references.
 */
export function nameConflict(
  sf: ts.SourceFile,
  newName: string,
  scope?: { checker: ts.TypeChecker; references: readonly ts.Node[]; except?: ts.Symbol },
): string | undefined {
  const offsets = wordOffsets(sf.text, [newName, '\\u']);
  let conflict: string | undefined;
  const visit = (node: ts.Node): void => {
    if (conflict || !holdsOffset(offsets, node.pos, node.end)) return;
    if (ts.isIdentifier(node) && node.text === newName && !isMemberName(node)) {
      const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
      conflict = `'${newName}' is already used in this file (line ${line})`;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (conflict || !scope) return conflict;
  for (const ref of scope.references) {
    const flags = ts.SymbolFlags.Value | ts.SymbolFlags.Type | ts.SymbolFlags.Namespace;
    const inScope = scope.checker.getSymbolsInScope(ref, flags);
    if (inScope.some((s) => s.name === newName && s !== scope.except))
      return `'${newName}' is already declared in scope`;
  }
  return undefined;
}
