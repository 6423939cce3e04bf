import ts from './typescript.cjs';
import { unwrapExpression, walkAst } from './walk.js';
import type { RegistryProfile } from './config/types.js';
import { findRegistries, propertyNameText, type Registry } from './registry.js';
import type { DeclarationKind } from './types.js';

/**
 * The public shape of a canonical implementation, read from its AST: its name and kind, its public
 * members, what it extends, and the registries it (or a helper class of its module it uses, such
 * as a listener list) owns. From those registries come the profiles the detector looks for in
 * other code: what owning the concept's state and behaviour looks like.
 */
export interface CanonicalShape {
  name: string;
  kind: DeclarationKind;
  /** Public members (not private, protected, `#x` or `_x`). */
  members: string[];
  /** Base types as written, with their clause (`extends X`, `implements Y`). */
  heritage: string[];
  /** The registries the profiles come from: owner and storage, for init's output. */
  registries: { owner: string; storage: string; description: string }[];
  profiles: RegistryProfile[];
  /**
   * Set when the profiles are inferred rather than read: the canonical stores what its callers
   * register but dispatches nowhere in its module (an abstract base class leaves it to subclasses).
   */
  assumed?: string;
}

export interface ExportedDeclaration {
  name: string;
  kind: DeclarationKind;
  node: ts.Node;
}

/** The declarations a module exports that can implement a concept (classes, functions, objects). */
export function exportedImplementations(sf: ts.SourceFile): ExportedDeclaration[] {
  const out: ExportedDeclaration[] = [];
  const exportedLocals = new Set<string>();
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) exportedLocals.add((el.propertyName ?? el.name).text);
    }
  }
  const isExported = (node: ts.Node, name: string): boolean =>
    exportedLocals.has(name) ||
    (ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword));
  for (const st of sf.statements) {
    if (ts.isClassDeclaration(st) && st.name && isExported(st, st.name.text) && !isDeclared(st))
      out.push({ name: st.name.text, kind: 'class', node: st });
    else if (ts.isFunctionDeclaration(st) && st.name && st.body && isExported(st, st.name.text))
      out.push({ name: st.name.text, kind: 'function', node: st });
    else if (ts.isVariableStatement(st) && !isDeclared(st)) {
      for (const d of st.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || !d.initializer || !isExported(st, d.name.text)) continue;
        const init = unwrapExpression(d.initializer);
        if (ts.isArrowFunction(init) || ts.isFunctionExpression(init))
          out.push({ name: d.name.text, kind: 'const-function', node: d });
        else if (ts.isObjectLiteralExpression(init)) out.push({ name: d.name.text, kind: 'const-object', node: d });
        else if (ts.isClassExpression(init)) out.push({ name: d.name.text, kind: 'class', node: d });
      }
    }
  }
  return out;
}

function isDeclared(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword);
}

function isPublic(member: ts.ClassElement): boolean {
  if (
    ts.isConstructorDeclaration(member) ||
    ts.isClassStaticBlockDeclaration(member) ||
    ts.isIndexSignatureDeclaration(member)
  )
    return false;
  const mods = ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : [];
  if (
    mods.some(
      (m) =>
        m.kind === ts.SyntaxKind.PrivateKeyword ||
        m.kind === ts.SyntaxKind.ProtectedKeyword ||
        m.kind === ts.SyntaxKind.StaticKeyword,
    )
  )
    return false;
  if (member.name && ts.isPrivateIdentifier(member.name)) return false;
  const name = propertyNameText(member.name);
  return !!name && !name.startsWith('_') && !name.startsWith('[');
}

/** Public members of a class, or the keys of the object a function or object literal provides. */
function publicMembers(decl: ExportedDeclaration): string[] {
  const node = decl.node;
  const classLike = ts.isClassDeclaration(node)
    ? node
    : ts.isVariableDeclaration(node) && node.initializer && ts.isClassExpression(unwrapExpression(node.initializer))
      ? (unwrapExpression(node.initializer) as ts.ClassExpression)
      : undefined;
  if (classLike) return unique(classLike.members.filter(isPublic).map((m) => propertyNameText(m.name)!));
  let object: ts.ObjectLiteralExpression | undefined;
  if (
    ts.isVariableDeclaration(node) &&
    node.initializer &&
    ts.isObjectLiteralExpression(unwrapExpression(node.initializer))
  )
    object = unwrapExpression(node.initializer) as ts.ObjectLiteralExpression;
  else {
    // A factory: the object literal it returns.
    walkAst(node, (n) => {
      if (object) return false;
      if (ts.isReturnStatement(n) && n.expression && ts.isObjectLiteralExpression(unwrapExpression(n.expression))) {
        object = unwrapExpression(n.expression) as ts.ObjectLiteralExpression;
      }
      return !ts.isClassLike(n);
    });
  }
  if (!object) return [];
  return unique(
    object.properties
      .map((p) => (ts.isShorthandPropertyAssignment(p) ? p.name.text : propertyNameText(p.name)))
      .filter((n): n is string => !!n && !n.startsWith('_')),
  );
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function heritageOf(decl: ExportedDeclaration, sf: ts.SourceFile, clauses: 'extends' | 'all' = 'extends'): string[] {
  const node =
    ts.isVariableDeclaration(decl.node) && decl.node.initializer ? unwrapExpression(decl.node.initializer) : decl.node;
  if (!ts.isClassLike(node)) return [];
  return (node.heritageClauses ?? []).flatMap((c) => {
    const clause = c.token === ts.SyntaxKind.ExtendsKeyword ? 'extends' : 'implements';
    if (clauses === 'extends' && clause !== 'extends') return [];
    return c.types.map((t) => (clauses === 'all' ? `${clause} ${t.expression.getText(sf)}` : t.expression.getText(sf)));
  });
}

/** Names of the file's top-level declarations that `node` mentions (its helpers: `new CallbackList()`). */
function helpersUsedBy(node: ts.Node, sf: ts.SourceFile): Set<ts.Node> {
  const topLevel = new Map<string, ts.Node>();
  for (const st of sf.statements) {
    if ((ts.isClassDeclaration(st) || ts.isFunctionDeclaration(st)) && st.name) topLevel.set(st.name.text, st);
    if (ts.isVariableStatement(st))
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) topLevel.set(d.name.text, d);
  }
  const used = new Set<ts.Node>();
  walkAst(node, (n) => {
    if (ts.isIdentifier(n)) {
      const target = topLevel.get(n.text);
      if (target && target !== node) used.add(target);
    }
  });
  return used;
}

export function describeRegistry(r: Registry): string {
  const d = r.dispatches[0]!;
  const how = d.method
    ? `calls \`${d.method}\` on each`
    : d.call === 'one'
      ? 'calls the one stored under a key'
      : d.call === 'first'
        ? 'calls each in turn until one answers'
        : d.via
          ? `calls each one's \`${d.via}\``
          : 'calls each';
  return `\`${r.storage}\` filled in ${r.registers.map((m) => `\`${m}\``).join(', ')}, ${how} in \`${d.member}\``;
}

/** The registry profiles of a set of registries: what the concept's storage and dispatch look like. */
export function profilesOf(registries: readonly Registry[]): RegistryProfile[] {
  const out = new Map<string, RegistryProfile>();
  for (const r of registries) {
    if (r.oneShot) continue;
    for (const d of r.dispatches) {
      const profile: RegistryProfile = {
        call: d.call,
        ...(r.keyed && !d.method ? { keyed: true } : {}),
        ...(d.method ? { method: d.method } : {}),
      };
      out.set(JSON.stringify(profile), profile);
    }
  }
  // A keyed list (`Map<type, handler[]>`) also covers the plain list for the same call: keep both,
  // the detector requires `keyed` only where the canonical itself stores per key.
  return [...out.values()];
}

/**
 * Reads the canonical implementation `name` (default: the module's only exported implementation)
 * from its source file. Throws an Error naming the candidates when it is missing or ambiguous.
 */
export function readCanonicalShape(sf: ts.SourceFile, name?: string): CanonicalShape {
  const exported = exportedImplementations(sf);
  let decl: ExportedDeclaration | undefined;
  if (name) decl = exported.find((d) => d.name === name);
  else if (exported.length === 1) decl = exported[0];
  else {
    // Several exports: the one the file is named after (`emitter.ts` -> `Emitter`), if any.
    const base = sf.fileName
      .replace(/^.*[\\/]/, '')
      .replace(/\.[^.]+$/, '')
      .replace(/[-_.]/g, '')
      .toLowerCase();
    decl = exported.find((d) => d.name.toLowerCase() === base) ?? commonBase(exported, sf);
  }
  if (!decl) {
    const known = exported.map((d) => d.name).join(', ') || 'none';
    throw new Error(
      name
        ? `${sf.fileName} exports no class, function or object named ${name} (exports: ${known})`
        : exported.length === 0
          ? `${sf.fileName} exports no class, function or object`
          : `${sf.fileName} exports several implementations (${known}); name one with --name`,
    );
  }
  const involved = new Set<ts.Node>([decl.node, ...helpersUsedBy(decl.node, sf)]);
  const mine = (r: Registry): boolean => [...involved].some((n) => n === r.owner.node || isWithin(r.owner.node, n));
  const registries = findRegistries(sf, undefined, { undispatched: true }).filter(mine);
  const live = registries.filter((r) => !r.oneShot && r.dispatches.length > 0);
  const shape: CanonicalShape = {
    name: decl.name,
    kind: decl.kind,
    members: publicMembers(decl),
    heritage: heritageOf(decl, sf, 'all'),
    registries: live.map((r) => ({ owner: r.owner.name, storage: r.storage, description: describeRegistry(r) })),
    profiles: profilesOf(live),
  };
  const stored = registries.filter((r) => r.dispatches.length === 0);
  if (live.length === 0 && stored.length > 0) {
    // Callers register into it, but the dispatch is elsewhere (abstract): a registry whose items are called.
    const r = stored[0]!;
    shape.registries = stored.map((x) => {
      const filled = x.registers.map((m) => `\`${m}\``).join(', ');
      return {
        owner: x.owner.name,
        storage: x.storage,
        description: `\`${x.storage}\` filled in ${filled}, dispatched nowhere in its module`,
      };
    });
    shape.profiles = [{ call: 'each', ...(r.keyed ? { keyed: true } : {}) }];
    shape.assumed =
      `${decl.name} stores what its callers register in \`${r.storage}\` but dispatches nowhere in its module ` +
      '(left to subclasses): assuming a dispatch calls each stored callback';
  }
  return shape;
}

/** Several exported classes where all but one extend that one (`Emitter`, `AsyncEmitter extends Emitter`): the base. */
function commonBase(exported: readonly ExportedDeclaration[], sf: ts.SourceFile): ExportedDeclaration | undefined {
  const classes = exported.filter((d) => d.kind === 'class');
  if (classes.length !== exported.length || classes.length < 2) return undefined;
  const extendsOf = (d: ExportedDeclaration): string | undefined => heritageOf(d, sf)[0]?.replace(/<.*$/, '');
  const roots = classes.filter((d) => classes.every((other) => other === d || extendsOf(other) === d.name));
  return roots.length === 1 ? roots[0] : undefined;
}

function isWithin(node: ts.Node, ancestor: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === ancestor) return true;
  return false;
}
