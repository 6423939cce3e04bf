import * as path from 'node:path';
import { readSourceFile } from '../shared/source-file.js';
import { parseFile } from './parse.js';
import type { ModuleResolver } from './resolve.js';
import ts from './typescript.cjs';
import { unwrapExpression } from './walk.js';

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

type Origin = { name: string } | { defaultOf: string } | undefined;

/** What a top-level local name of `sf` is: a declaration of its own, or an import of a named or default export. */
function originOfLocal(sf: ts.SourceFile, local: string): Origin {
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.importClause) {
      const clause = st.importClause;
      if (clause.name?.text === local) return { defaultOf: st.moduleSpecifier.text };
      const named = clause.namedBindings;
      if (named && ts.isNamedImports(named)) {
        const el = named.elements.find((e) => e.name.text === local);
        if (el) {
          const imported = (el.propertyName ?? el.name).text;
          return imported === 'default' ? { defaultOf: st.moduleSpecifier.text } : { name: imported };
        }
      }
    } else if ((ts.isClassDeclaration(st) || ts.isFunctionDeclaration(st)) && st.name?.text === local) {
      return { name: local };
    } else if (
      ts.isVariableStatement(st) &&
      st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === local)
    ) {
      return { name: local };
    }
  }
  return undefined;
}

/** Where `sf`'s default export comes from, before following other modules. */
function defaultOrigin(sf: ts.SourceFile): Origin {
  for (const st of sf.statements) {
    if (ts.isExportAssignment(st) && !st.isExportEquals) {
      const e = unwrapExpression(st.expression);
      return ts.isIdentifier(e) ? originOfLocal(sf, e.text) : undefined;
    }
    if (
      (ts.isClassDeclaration(st) || ts.isFunctionDeclaration(st)) &&
      hasModifier(st, ts.SyntaxKind.ExportKeyword) &&
      hasModifier(st, ts.SyntaxKind.DefaultKeyword)
    ) {
      return st.name ? { name: st.name.text } : undefined;
    }
    if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
      const el = st.exportClause.elements.find((e) => e.name.text === 'default');
      if (!el) continue;
      const inner = (el.propertyName ?? el.name).text;
      if (st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
        return inner === 'default' ? { defaultOf: st.moduleSpecifier.text } : { name: inner };
      }
      return originOfLocal(sf, inner);
    }
  }
  return undefined;
}

/**
 * The name of the declaration a module exports as its default: `export default class X`,
 * `class X {}; export default X`, `export { X as default }`, and re-exports of another module's
 * named or default export (followed through the core's resolver). Undefined when the default is
 * anonymous, an expression, absent, or the file cannot be read. A default import of a legacy
 * module whose default is a concept declaration is a concept site (see mapLegacyName).
 */
export function defaultExportName(
  resolver: ModuleResolver,
  file: string,
  seen: Set<string> = new Set(),
): string | undefined {
  let current = path.resolve(file);
  // A loop, not recursion: each step follows one `export { default } from` to the next module.
  for (;;) {
    if (seen.has(current)) return undefined;
    seen.add(current);
    const source = readSourceFile(current, { allowInvalidUtf8: true });
    if (!source.ok) return undefined;
    const origin = defaultOrigin(parseFile(current, source.text, { parents: false }).sourceFile);
    if (!origin) return undefined;
    if ('name' in origin) return origin.name;
    const next = resolver.resolve(origin.defaultOf, current, 'import');
    if (next.kind !== 'file') return undefined;
    current = next.path;
  }
}
