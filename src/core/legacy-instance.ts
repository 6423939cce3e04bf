import ts from './typescript.cjs';
import type { ResolvedConcept, ResolvedLegacyModule } from './config/types.js';
import { mapLegacyName } from './mapping.js';
import type { SymbolResolver } from './symbols.js';
import type { LegacyInstance } from './types.js';
import { unwrapExpression } from './walk.js';

/**
 * Is an export of a legacy module an instance of the concept's legacy class? `export const
 * messageRouter = new MessageRouter()` is the legacy implementation itself, running: its importers
 * use the concept although `messageRouter` is no concept name, and the compat layer has nothing of
 * that name to move them to. Decided from declarations, never from text: the export is followed
 * to its declaration (re-exports included, SymbolResolver), whose initializer must construct
 * (`new C(...)`) or whose declared type must name (`: C`) a class C that is one of the concept's
 * legacy classes, that is a class declared in a legacy module under a name the module maps, or a
 * name imported from a legacy module that maps.
 */

/** The answers a lookup needs from the classifier, for one concept and one site. */
export interface InstanceQuery {
  symbols: SymbolResolver;
  /** The concept's legacy module that `specifier`, imported from `fromFile`, refers to (the classifier's decision). */
  legacyOfImport(specifier: string, fromFile: string): ResolvedLegacyModule | undefined;
  /** The concept's legacy module `file` is part of, if any. */
  legacyOfFile(file: string): ResolvedLegacyModule | undefined;
}

/** A class named in a value's declaration: `C` or `ns.C`. */
type ClassRef = { local: string } | { namespace: string; member: string };

interface ExportedValue {
  node: ts.Node;
  type?: ts.TypeNode;
  initializer?: ts.Expression;
}

/** The top-level value `name` of a file: a variable declaration, or for `default` an exported expression. */
function valueDeclaration(sf: ts.SourceFile, name: string): ExportedValue | undefined {
  for (const st of sf.statements) {
    if (name === 'default' && ts.isExportAssignment(st) && !st.isExportEquals) {
      return { node: st, initializer: st.expression };
    }
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.name.text === name) {
        return {
          node: d,
          ...(d.type ? { type: d.type } : {}),
          ...(d.initializer ? { initializer: d.initializer } : {}),
        };
      }
    }
  }
  return undefined;
}

function refOfEntity(name: ts.EntityName | ts.Expression): ClassRef | undefined {
  if (ts.isIdentifier(name)) return { local: name.text };
  if (ts.isQualifiedName(name) && ts.isIdentifier(name.left))
    return { namespace: name.left.text, member: name.right.text };
  if (ts.isPropertyAccessExpression(name) && ts.isIdentifier(name.expression))
    return { namespace: name.expression.text, member: name.name.text };
  return undefined;
}

/** The classes a value's declaration says it is an instance of: `new C(...)` first, then its declared type. */
function classRefs(value: ExportedValue): { ref: ClassRef; evidence: LegacyInstance['evidence'] }[] {
  const out: { ref: ClassRef; evidence: LegacyInstance['evidence'] }[] = [];
  const init = value.initializer ? unwrapExpression(value.initializer) : undefined;
  if (init && ts.isNewExpression(init)) {
    const ref = refOfEntity(init.expression);
    if (ref) out.push({ ref, evidence: 'new' });
  }
  if (value.type && ts.isTypeReferenceNode(value.type)) {
    const ref = refOfEntity(value.type.typeName);
    if (ref) out.push({ ref, evidence: 'type' });
  }
  return out;
}

/** What a local name of `sf` is bound to by an import: the specifier and the imported name ('default', '*' or an export). */
function importBinding(sf: ts.SourceFile, local: string): { specifier: string; imported: string } | undefined {
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !st.importClause || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const specifier = st.moduleSpecifier.text;
    const clause = st.importClause;
    if (clause.name?.text === local) return { specifier, imported: 'default' };
    const bindings = clause.namedBindings;
    if (!bindings) continue;
    if (ts.isNamespaceImport(bindings)) {
      if (bindings.name.text === local) return { specifier, imported: '*' };
      continue;
    }
    const el = bindings.elements.find((e) => e.name.text === local);
    if (el) return { specifier, imported: (el.propertyName ?? el.name).text };
  }
  return undefined;
}

/** True when `file` declares a class `name` at its top level (`class C`, `declare class C`). */
function declaresClass(sf: ts.SourceFile, name: string): boolean {
  return sf.statements.some((st) => ts.isClassDeclaration(st) && st.name?.text === name);
}

/** The concept name of the class `ref` names in `sf`, when it is one of the concept's legacy classes. */
function legacyClassOf(
  q: InstanceQuery,
  concept: ResolvedConcept,
  sf: ts.SourceFile,
  ref: ClassRef,
): string | undefined {
  const local = 'local' in ref ? ref.local : ref.namespace;
  const binding = importBinding(sf, local);
  if (!binding) {
    if (!('local' in ref) || !declaresClass(sf, ref.local)) return undefined;
    const legacy = q.legacyOfFile(sf.fileName);
    return legacy && mapLegacyName(concept, legacy, ref.local) ? ref.local : undefined;
  }
  const imported = 'local' in ref ? binding.imported : binding.imported === '*' ? ref.member : undefined;
  if (imported === undefined || imported === '*') return undefined;
  // Imported from a legacy module under a concept name: the legacy module's own class.
  const legacy = q.legacyOfImport(binding.specifier, sf.fileName);
  if (legacy && imported !== 'default' && mapLegacyName(concept, legacy, imported)) return imported;
  // Otherwise where it is declared decides (an alias, a barrel, a module of the legacy folder).
  const chased = q.symbols.chase(sf.fileName, binding.specifier, imported);
  if (!chased) return undefined;
  const declaring = q.symbols.source(chased.declaration.file);
  const name = chased.declaration.name;
  if (!declaring || !declaresClass(declaring, name)) return undefined;
  const home = q.legacyOfFile(chased.declaration.file);
  return home && mapLegacyName(concept, home, name) ? name : undefined;
}

/**
 * The legacy instance `moduleFile` exports as `exportName`, if it is one (see above). `moduleFile`
 * is the file an import site resolved to.
 */
export function findLegacyInstance(
  q: InstanceQuery,
  concept: ResolvedConcept,
  moduleFile: string,
  exportName: string,
): LegacyInstance | undefined {
  if (exportName === '*') return undefined;
  const found = q.symbols.exportedDeclaration(moduleFile, exportName);
  if (!found) return undefined;
  const sf = q.symbols.source(found.declaration.file);
  if (!sf) return undefined;
  const value = valueDeclaration(sf, found.declaration.name);
  if (!value) return undefined;
  for (const { ref, evidence } of classRefs(value)) {
    const className = legacyClassOf(q, concept, sf, ref);
    if (className === undefined) continue;
    const line = sf.getLineAndCharacterOfPosition(value.node.getStart(sf)).line + 1;
    return { className, evidence, file: found.declaration.file, line };
  }
  return undefined;
}
