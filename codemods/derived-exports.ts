import { analyzeFile } from '../src/core/analyze.js';
import { parseFile } from '../src/core/parse.js';
import ts from '../src/core/typescript.cjs';
import type { MigrationContext } from './import-migration.js';

/**
 * Whether a stage-1 rewrite of this file can change the type of anything another file sees from
 * it: the rewrite only re-points legacy imports, so what changes type is what a legacy import binds
 * and whatever is declared from it. Decided from the syntax tree, over-approximating:
 *
 * - a re-export of a legacy module (`export … from`, `export *`) is such an export;
 * - the top-level statements that hold a legacy import site are tainted (an import binds names, a
 *   `const x = require(…)` or a function holding an `import(…)` declares them), and so is every
 *   top-level statement that mentions a tainted name where it can shape the statement's type (any
 *   identifier of that spelling, shadowed or not, in types and values alike; see typeShaping),
 *   until nothing changes; each tainted statement's declared names are tainted in turn;
 * - the file exports something derived when a tainted statement exports (an `export` modifier,
 *   `export default`/`export =`, `export { … }`, an assignment to `exports`/`module.exports`, a
 *   global or module augmentation), or when the file is a script (no import or export: its
 *   top-level declarations are global) and any statement is tainted.
 *
 * False means the file's exports are typed as before whatever the compat layer declares, so no
 * importer of it can break (an importer that breaks does so through its own imports).
 */
export function exportsFromLegacy(mctx: MigrationContext, file: string, text: string): boolean {
  const { sourceFile } = parseFile(file, text, { skipJsDoc: true, parents: 'sites' });
  const analysis = analyzeFile(mctx.ctx, file, text, { sourceFile, skipDuplicates: true });
  const sites = analysis.sites.filter((s) => s.target.kind === 'legacy' && !s.target.internal);
  if (sites.length === 0) return false;
  if (sites.some((s) => s.form === 'export-from' || s.form === 'export-all' || s.form === 'export-all-as')) return true;
  const statements = sourceFile.statements;
  const holds = (st: ts.Statement, offset: number): boolean => st.pos <= offset && offset < st.end;
  const tainted = new Set<ts.Statement>(statements.filter((st) => sites.some((s) => holds(st, s.specifierStart))));
  const names = new Set<string>();
  for (const st of tainted) for (const n of declaredNames(st)) names.add(n);
  const script = isScript(sourceFile);
  const mentions = new Map(statements.map((st) => [st, typeShaping(st)] as const));
  for (let grew = true; grew;) {
    grew = false;
    for (const st of statements) {
      if (tainted.has(st) || ![...mentions.get(st)!].some((id) => names.has(id))) continue;
      tainted.add(st);
      grew = true;
      for (const n of declaredNames(st)) names.add(n);
    }
  }
  for (const st of tainted) if (script || exportsSomething(st)) return true;
  return false;
}

/** A file whose top-level declarations are global: no import or export, and in JavaScript no CommonJS either. */
function isScript(sf: ts.SourceFile): boolean {
  if (ts.isExternalModule(sf)) return false;
  if (!/\.[cm]?jsx?$/.test(sf.fileName)) return true;
  const ids = identifiersOf(sf);
  return !ids.has('require') && !ids.has('exports') && !ids.has('module');
}

function identifiersOf(node: ts.Node, out = new Set<string>()): Set<string> {
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) out.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

/** Whether a function body gives the function's type something: a `return x`, a `yield`, an expression body. */
function bodyShapesType(fn: ts.SignatureDeclaration): boolean {
  const body = (fn as { body?: ts.Node }).body;
  if (!body) return false;
  if (!ts.isBlock(body)) return true;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if ((ts.isReturnStatement(n) && n.expression) || ts.isYieldExpression(n)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

/**
 * A function's type: its type parameters, parameters and return type, and, without a declared
 * return type, its whole body when the body gives it a value (the locals a `return` reads are
 * declared there). A body that returns nothing leaves the type as declared: what it does with a
 * legacy value is the file's own affair, checked where the file itself is checked.
 */
function functionShaping(fn: ts.SignatureDeclaration, out: Set<string>): void {
  for (const p of fn.typeParameters ?? []) identifiersOf(p, out);
  for (const p of fn.parameters) identifiersOf(p, out);
  if (fn.type) identifiersOf(fn.type, out);
  else if (bodyShapesType(fn)) identifiersOf((fn as { body?: ts.Node }).body!, out);
  if (ts.isFunctionDeclaration(fn) && fn.name) out.add(fn.name.text);
}

function valueShaping(expr: ts.Expression, out: Set<string>): void {
  let e = expr;
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) functionShaping(e, out);
  else identifiersOf(e, out);
}

/**
 * The identifiers that can shape the types a top-level statement declares or exports: everything
 * in it, except the bodies of functions and methods that return no value (see functionShaping).
 */
function typeShaping(st: ts.Statement): Set<string> {
  const out = new Set<string>();
  if (ts.isFunctionDeclaration(st)) {
    for (const m of ts.getModifiers(st) ?? []) identifiersOf(m, out);
    functionShaping(st, out);
  } else if (ts.isVariableStatement(st)) {
    for (const d of st.declarationList.declarations) {
      identifiersOf(d.name, out);
      if (d.type) identifiersOf(d.type, out);
      else if (d.initializer) valueShaping(d.initializer, out);
    }
  } else if (ts.isClassDeclaration(st)) {
    if (st.name) out.add(st.name.text);
    for (const p of st.typeParameters ?? []) identifiersOf(p, out);
    for (const h of st.heritageClauses ?? []) identifiersOf(h, out);
    for (const m of st.members) {
      if (m.name) identifiersOf(m.name, out);
      if (ts.isMethodDeclaration(m) || ts.isGetAccessor(m) || ts.isSetAccessor(m) || ts.isConstructorDeclaration(m))
        functionShaping(m, out);
      else if (ts.isPropertyDeclaration(m)) {
        if (m.type) identifiersOf(m.type, out);
        else if (m.initializer) valueShaping(m.initializer, out);
      } else identifiersOf(m, out);
    }
  } else if (ts.isExportAssignment(st)) {
    valueShaping(st.expression, out);
  } else {
    identifiersOf(st, out);
  }
  return out;
}

function bindingNames(name: ts.BindingName, out: string[]): void {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const e of name.elements) if (!ts.isOmittedExpression(e)) bindingNames(e.name, out);
}

/** The names a top-level statement declares (those of an import included). */
function declaredNames(st: ts.Statement): string[] {
  const out: string[] = [];
  if (ts.isImportDeclaration(st)) {
    const clause = st.importClause;
    if (clause?.name) out.push(clause.name.text);
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) out.push(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) out.push(e.name.text);
  } else if (ts.isVariableStatement(st)) {
    for (const d of st.declarationList.declarations) bindingNames(d.name, out);
  } else if (
    (ts.isFunctionDeclaration(st) ||
      ts.isClassDeclaration(st) ||
      ts.isInterfaceDeclaration(st) ||
      ts.isTypeAliasDeclaration(st) ||
      ts.isEnumDeclaration(st) ||
      ts.isImportEqualsDeclaration(st) ||
      ts.isModuleDeclaration(st)) &&
    st.name &&
    (ts.isIdentifier(st.name) || ts.isStringLiteral(st.name))
  ) {
    out.push(st.name.text);
  }
  return out;
}

function exportsSomething(st: ts.Statement): boolean {
  if (ts.isExportDeclaration(st) || ts.isExportAssignment(st) || ts.isModuleDeclaration(st)) return true;
  if (ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return true;
  // CommonJS: `exports.x = …`, `module.exports = …`, `Object.defineProperty(exports, …)`.
  return identifiersOf(st).has('exports');
}
