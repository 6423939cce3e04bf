import * as fs from 'node:fs';
import ts from '../typescript.cjs';
import type { AnalysisContext } from '../analyze.js';
import { parseFile } from '../parse.js';

/** The names a module exports, or `unknown` when it cannot be listed (unreadable, `export =`, a cycle). */
export type ExportList = { names: string[] } | { unknown: string };

const cache = new WeakMap<AnalysisContext, Map<string, ExportList>>();

function hasExportModifier(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function hasDefaultModifier(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)
  );
}

function bindingNames(name: ts.BindingName, out: string[]): void {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, out);
}

/**
 * Lists what a module file exports (parsing it; `export *` followed through the core's
 * resolver). Used to decide whether a whole-module rewrite (`export *`, an untraced dynamic
 * import) is safe: it is when every export maps to the same name in the target.
 */
export function listExports(ctx: AnalysisContext, file: string, seen: Set<string> = new Set()): ExportList {
  let perCtx = cache.get(ctx);
  if (!perCtx) cache.set(ctx, (perCtx = new Map()));
  const hit = perCtx.get(file);
  if (hit) return hit;
  if (seen.has(file)) return { unknown: `export * cycle through ${file}` };
  seen.add(file);
  const result = listUncached(ctx, file, seen);
  perCtx.set(file, result);
  return result;
}

function parseModule(file: string): { sf: ts.SourceFile } | { unknown: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { unknown: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  return { sf: parseFile(file, text, { skipJsDoc: true }).sourceFile };
}

/**
 * The name of the declaration a module exports as its default (`export default MessageRouter;`,
 * `export default class MessageRouter {}`, `export { MessageRouter as default }`, followed through
 * `export { default } from` and an imported binding): the core's defaultExportName, read once per
 * file by the context's classifier, so the planner and the classification agree.
 */
export function defaultExportName(ctx: AnalysisContext, file: string): string | undefined {
  return ctx.classifier.defaultOf(file);
}

function listUncached(ctx: AnalysisContext, file: string, seen: Set<string>): ExportList {
  const parsed = parseModule(file);
  if ('unknown' in parsed) return parsed;
  const { sf } = parsed;
  const names = new Set<string>();
  for (const st of sf.statements) {
    if (ts.isExportAssignment(st)) {
      if (st.isExportEquals) return { unknown: `${file} uses \`export =\`` };
      names.add('default');
    } else if (ts.isExportDeclaration(st)) {
      const clause = st.exportClause;
      if (!clause) {
        const spec = st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
        if (!spec) continue;
        const r = ctx.resolver.resolve(spec, file, 'export-all');
        if (r.kind !== 'file') return { unknown: `${file} re-exports '${spec}', which does not resolve` };
        const inner = listExports(ctx, r.path, seen);
        if ('unknown' in inner) return inner;
        for (const n of inner.names) if (n !== 'default') names.add(n);
      } else if (ts.isNamespaceExport(clause)) names.add(clause.name.text);
      else for (const el of clause.elements) names.add(el.name.text);
    } else if (hasExportModifier(st)) {
      if (hasDefaultModifier(st)) names.add('default');
      else if (ts.isVariableStatement(st)) {
        const out: string[] = [];
        for (const d of st.declarationList.declarations) bindingNames(d.name, out);
        for (const n of out) names.add(n);
      } else if (
        (ts.isFunctionDeclaration(st) ||
          ts.isClassDeclaration(st) ||
          ts.isInterfaceDeclaration(st) ||
          ts.isTypeAliasDeclaration(st) ||
          ts.isEnumDeclaration(st)) &&
        st.name
      ) {
        names.add(st.name.text);
      } else if (ts.isModuleDeclaration(st) && ts.isIdentifier(st.name)) names.add(st.name.text);
    }
  }
  return { names: [...names].sort() };
}
