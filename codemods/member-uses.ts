import { analyzeFile } from '../src/core/analyze.js';
import { parseFile } from '../src/core/parse.js';
import ts from '../src/core/typescript.cjs';
import type { MigrationContext } from './import-migration.js';

/**
 * Whether a file reads or calls one of the legacy members `words` (fit-words.ts), from its syntax
 * tree: a call `name(…)` or `x.name(…)`, or a read `x.name`, of a member name. A declaration of a
 * member of that name (a class of its own with a `register()` method) is no use of one, and
 * neither is `ns.name` read through a namespace of a legacy module that is not called: that reads
 * the module's export `name` by name, as a named import does (and is as safe as one: the rewrite
 * moves it to the compat layer's export of that name; a call of it is a use). The text test
 * (fitPattern) comes first: only a file spelling such a member is parsed.
 */
export function usesLegacyMembers(
  mctx: MigrationContext,
  words: ReadonlySet<string>,
  file: string,
  text: string,
): boolean {
  const { sourceFile: sf } = parseFile(file, text, { skipJsDoc: true, parents: 'sites' });
  let namespaces: Set<string> | undefined;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = skipParentheses(node.expression);
      if (ts.isIdentifier(callee) && words.has(callee.text)) found = true;
      else if (ts.isPropertyAccessExpression(callee) && words.has(callee.name.text)) found = true;
    } else if (ts.isPropertyAccessExpression(node) && words.has(node.name.text)) {
      const receiver = skipParentheses(node.expression);
      // The namespaces are looked for only when a read needs them (an analysis of the file's imports).
      if (!ts.isIdentifier(receiver)) found = true;
      else if (!(namespaces ??= legacyNamespaces(mctx, file, text, sf)).has(receiver.text)) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function skipParentheses(node: ts.Expression): ts.Expression {
  let n = node;
  while (ts.isParenthesizedExpression(n)) n = n.expression;
  return n;
}

/**
 * The local names that hold a legacy module's namespace (`import * as ns`, `import ns = require()`,
 * `const ns = require()`, `const ns = await import()`) and that the file declares nowhere else (a
 * parameter or local of the same name could hold anything).
 */
function legacyNamespaces(mctx: MigrationContext, file: string, text: string, sf: ts.SourceFile): Set<string> {
  const sites = analyzeFile(mctx.ctx, file, text, { sourceFile: sf, skipDuplicates: true }).sites.filter(
    (s) => s.target.kind === 'legacy',
  );
  const names = new Set<string>();
  for (const s of sites) for (const n of s.names) if (n.imported === '*') names.add(n.local);
  const dynamic = new Set(sites.filter((s) => s.form === 'dynamic-import').map((s) => s.specifierStart));
  const declarations = new Map<string, number>();
  const visit = (node: ts.Node): void => {
    const name = (node as { name?: ts.Node }).name;
    if (
      name &&
      ts.isIdentifier(name) &&
      (ts.isVariableDeclaration(node) ||
        ts.isParameter(node) ||
        ts.isBindingElement(node) ||
        ts.isFunctionDeclaration(node) ||
        ts.isFunctionExpression(node) ||
        ts.isClassDeclaration(node) ||
        ts.isClassExpression(node) ||
        ts.isEnumDeclaration(node) ||
        ts.isModuleDeclaration(node) ||
        ts.isImportClause(node) ||
        ts.isNamespaceImport(node) ||
        ts.isImportSpecifier(node) ||
        ts.isImportEqualsDeclaration(node))
    )
      declarations.set(name.text, (declarations.get(name.text) ?? 0) + 1);
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      let init = skipParentheses(node.initializer);
      if (ts.isAwaitExpression(init)) init = skipParentheses(init.expression);
      const literal =
        ts.isCallExpression(init) && init.expression.kind === ts.SyntaxKind.ImportKeyword && init.arguments[0];
      if (literal && dynamic.has(literal.getStart(sf))) names.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  for (const n of names) if ((declarations.get(n) ?? 0) !== 1) names.delete(n);
  return names;
}
