import ts from './typescript.cjs';
import type { RegistryProfile, ResolvedConcept } from './config/types.js';
import { fingerprint } from './fingerprint.js';
import { findRegistries, type Dispatch, type PropertyKindQuery, type Registry } from './registry.js';
import { MIN_COPY_TOKENS, shinglesOf, similarity, sizesCanMatch, type CodeShingles } from './similarity.js';
import type { BuiltOnLegacy, DeclarationKind, DuplicateFinding, DuplicateSignal } from './types.js';
import { DECISIVE_SIGNALS } from './types.js';
import { compileUserRegex, parseRegexLiteral } from './user-regex.js';
import { unwrapExpression, walkAst } from './walk.js';

export const DUPLICATE_RULE_ID = 'no-duplicate-implementation';

/** A compiled `detect.names` entry: an exact name or a `/regex/flags`. */
export interface NamePattern {
  source: string;
  test(name: string): boolean;
}

export function compileNamePatterns(names: readonly string[]): NamePattern[] {
  return names.map((source) => {
    const literal = parseRegexLiteral(source);
    if (literal) {
      // Linear-time matching whatever the pattern (see compileUserRegex); the config refused what it cannot run.
      const re = compileUserRegex(literal.source, literal.flags);
      return { source, test: (name: string) => re.test(name) };
    }
    return { source, test: (name: string) => name === source };
  });
}

/** A declaration that can implement a concept: a class, a function, a const-bound function or object. */
export interface Declaration {
  name: string;
  kind: DeclarationKind;
  /** The node whose text is fingerprinted and compared. */
  node: ts.Node;
  /** The node the finding points at (the name). */
  nameNode: ts.Node;
  members: string[];
  heritage: { clause: 'extends' | 'implements'; expression: ts.Expression }[];
  /** The class node for classes (a declaration, or the expression bound to a const). */
  classNode?: ts.ClassLikeDeclaration;
}

function propertyNameText(name: ts.PropertyName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name))
    return name.text;
  return undefined;
}

function classMembers(node: ts.ClassLikeDeclaration): string[] {
  const out: string[] = [];
  for (const member of node.members) {
    if (
      ts.isConstructorDeclaration(member) ||
      ts.isIndexSignatureDeclaration(member) ||
      ts.isClassStaticBlockDeclaration(member)
    )
      continue;
    const name = propertyNameText(member.name);
    if (name) out.push(name);
  }
  return out;
}

function objectMembers(node: ts.ObjectLiteralExpression): string[] {
  const out: string[] = [];
  for (const prop of node.properties) {
    if (ts.isSpreadAssignment(prop)) continue;
    const name = ts.isShorthandPropertyAssignment(prop) ? prop.name.text : propertyNameText(prop.name);
    if (name) out.push(name);
  }
  return out;
}

function heritageOf(node: ts.ClassLikeDeclaration): Declaration['heritage'] {
  const out: Declaration['heritage'] = [];
  for (const clause of node.heritageClauses ?? []) {
    const kind = clause.token === ts.SyntaxKind.ExtendsKeyword ? 'extends' : 'implements';
    for (const type of clause.types) out.push({ clause: kind, expression: type.expression });
  }
  return out;
}

/** An ambient declaration (`.d.ts`, `declare class`, inside `declare module`/`declare global`) implements nothing. */
export function isAmbientFile(fileName: string): boolean {
  return /\.d\.[cm]?ts$/.test(fileName);
}

function isAmbient(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (ts.canHaveModifiers(n) && ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) return true;
  }
  return false;
}

/** Every non-ambient declaration that can implement a concept: classes, functions, const-bound functions, objects. */
export function collectDeclarations(sf: ts.SourceFile): Declaration[] {
  const out: Declaration[] = [];
  if (isAmbientFile(sf.fileName)) return out;
  // An explicit-stack walk (walkAst): expressions nest as deep as the source makes them.
  walkAst(sf, (node) => {
    if (ts.isModuleDeclaration(node) && isAmbient(node)) return false;
    if (ts.isClassDeclaration(node)) {
      if (isAmbient(node)) return false;
      out.push({
        name: node.name?.text ?? 'default',
        kind: 'class',
        node,
        nameNode: node.name ?? node,
        members: classMembers(node),
        heritage: heritageOf(node),
        classNode: node,
      });
    } else if (ts.isFunctionDeclaration(node) && node.body) {
      out.push({
        name: node.name?.text ?? 'default',
        kind: 'function',
        node,
        nameNode: node.name ?? node,
        members: [],
        heritage: [],
      });
    } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && !isAmbient(node)) {
      const init = unwrapExpression(node.initializer);
      const name = node.name.text;
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) {
        out.push({ name, kind: 'const-function', node, nameNode: node.name, members: [], heritage: [] });
      } else if (ts.isObjectLiteralExpression(init)) {
        out.push({ name, kind: 'const-object', node, nameNode: node.name, members: objectMembers(init), heritage: [] });
      } else if (ts.isClassExpression(init)) {
        // The class expression itself is no declaration of its own (the walk only takes class
        // declarations), so walking into it finds just what its members hold.
        out.push({
          name,
          kind: 'class',
          node,
          nameNode: node.name,
          members: classMembers(init),
          heritage: heritageOf(init),
          classNode: init,
        });
      }
    }
    return true;
  });
  return out;
}

/** A file's declarations (collectDeclarations), possibly remembered. */
export type DeclarationsOf = (sf: ts.SourceFile) => readonly Declaration[];

/**
 * collectDeclarations, remembering the last file's answer: one analysis asks for the same file's
 * declarations once per concept and once per base class it resolves, and each walks the whole tree.
 */
export function declarationMemo(): DeclarationsOf {
  let memo: { sf: ts.SourceFile; declarations: Declaration[] } | undefined;
  return (sf) => {
    if (memo?.sf !== sf) memo = { sf, declarations: collectDeclarations(sf) };
    return memo.declarations;
  };
}

/** What a base class, or the class of a field's `new X()`, turned out to be for a concept. */
export type BaseRole = { role: 'canonical' | 'legacy'; name: string; legacyModule?: string } | undefined;

/** Resolves a class expression (`extends X`, `new X()`) to the concept's canonical or legacy implementation. */
export type BaseResolver = (expr: ts.Expression, sf: ts.SourceFile, concept: ResolvedConcept) => BaseRole;

/** The code of a canonical or legacy implementation, for copy detection. */
export interface ReferenceBody {
  /** Repo-relative posix path. */
  file: string;
  symbol: string;
  shingles: CodeShingles;
}

/** What detecting one concept needs beyond the file, prepared once per analysis context. */
export interface ConceptDetection {
  concept: ResolvedConcept;
  patterns: NamePattern[];
  /** What owning the concept's state and behaviour looks like (configured or derived from the canonical). */
  profiles: RegistryProfile[];
  /** Bodies a copy is compared with (computed on first use). */
  references: () => readonly ReferenceBody[];
}

export interface DetectOptions {
  /** Repo-relative posix path, used in fingerprints so they match across machines. */
  relativeFile: string;
  /** The file's registries (computed once for all concepts); found here when absent. */
  registries?: Registry[];
  /** Answers for item types declared in other files (the checker, on the files involved). */
  propertyKinds?: PropertyKindQuery;
  /** Resolves base classes and `new X()` to the canonical or a legacy implementation. */
  bases?: BaseResolver;
  /** The file's declarations when the caller remembers them (declarationMemo); collected here otherwise. */
  declarations?: DeclarationsOf;
  /** false: leave out `builtOnLegacy` (for a caller that shows none of it, such as the report). Default true. */
  builtOnLegacy?: boolean;
}

export interface DetectResult {
  duplicates: DuplicateFinding[];
  builtOnLegacy: BuiltOnLegacy[];
}

function profileMatches(registry: Registry, dispatch: Dispatch, profile: RegistryProfile): boolean {
  if (registry.oneShot || registry.registers.length === 0) return false;
  if (profile.call !== dispatch.call) return false;
  if ((profile.method ?? '') !== (dispatch.method ?? '')) return false;
  if (profile.keyed !== undefined && profile.keyed !== registry.keyed) return false;
  return true;
}

function ownsSignal(registry: Registry, dispatch: Dispatch): DuplicateSignal {
  return {
    kind: 'owns',
    storage: registry.storage,
    storageType: registry.storageText,
    keyed: registry.keyed,
    registers: registry.registers,
    dispatch: dispatch.member,
    call: dispatch.call,
    ...(dispatch.method ? { method: dispatch.method } : {}),
    ...(dispatch.via ? { via: dispatch.via } : {}),
  };
}

/** The declaration node of a registry's owner, as collectDeclarations names it. */
function declarationFor(registry: Registry, byNode: Map<ts.Node, Declaration>): Declaration | undefined {
  const owner = registry.owner;
  const known = byNode.get(owner.node);
  if (known) return known;
  if (ts.isClassExpression(owner.node)) {
    return {
      name: owner.name,
      kind: 'class',
      node: owner.node,
      nameNode: owner.node.name ?? owner.node,
      members: classMembers(owner.node),
      heritage: heritageOf(owner.node),
      classNode: owner.node,
    };
  }
  const nameNode = ts.isExportAssignment(owner.node)
    ? owner.node
    : ((owner.node as { name?: ts.Node }).name ?? owner.node);
  return { name: owner.name, kind: owner.kind, node: owner.node, nameNode, members: [], heritage: [] };
}

/** The class a declaration holds an instance of in a field (`private emitter = new Emitter()`). */
function fieldInstances(decl: Declaration): ts.Expression[] {
  const out: ts.Expression[] = [];
  for (const m of decl.classNode?.members ?? []) {
    if (ts.isPropertyDeclaration(m) && m.initializer) {
      const init = unwrapExpression(m.initializer);
      if (ts.isNewExpression(init)) out.push(init.expression);
    }
  }
  return out;
}

/**
 * Duplicate detection for one concept in one file. A declaration is a second implementation when
 * one of three things holds, each stated as the finding's evidence:
 *  - it owns the concept's state and behaviour: a registry (storage it fills from its callers and
 *    a dispatch over it) of a kind the concept has (`detection.profiles`);
 *  - its code is a copy of the canonical or a legacy implementation (shared 5-token sequences);
 *  - it declares the canonical name again, and is no subclass or wrapper of the canonical.
 * Names and members alone never decide; subclasses and wrappers of the canonical or a legacy
 * implementation, consumers, ambient declarations, interfaces and types are not duplicates.
 * Subclasses and wrappers of a legacy implementation are returned apart (`builtOnLegacy`).
 * The caller skips the canonical and allowed files.
 */
export function detectDuplicates(sf: ts.SourceFile, detection: ConceptDetection, options: DetectOptions): DetectResult {
  const { concept } = detection;
  const result: DetectResult = { duplicates: [], builtOnLegacy: [] };
  if (isAmbientFile(sf.fileName)) return result;
  const builtOnLegacy = options.builtOnLegacy !== false && concept.legacy.length > 0 && options.bases !== undefined;
  const references = detection.references();
  const canonicalNames = new Set(concept.canonical.names);
  // Nothing to look for (no registry kind, no body to compare, no canonical name, no legacy base to
  // list): the file's declarations need not be walked.
  if (detection.profiles.length === 0 && references.length === 0 && canonicalNames.size === 0 && !builtOnLegacy)
    return result;
  const declarations = (options.declarations ?? collectDeclarations)(sf);
  const byNode = new Map(declarations.map((d) => [d.node, d] as const));
  const evidence = new Map<Declaration, DuplicateSignal[]>();
  const add = (decl: Declaration, signal: DuplicateSignal): void => {
    const list = evidence.get(decl) ?? [];
    const key = JSON.stringify(signal);
    if (!list.some((s) => JSON.stringify(s) === key)) list.push(signal);
    evidence.set(decl, list);
  };

  // 1. Owns the concept's state and behaviour.
  if (detection.profiles.length > 0) {
    const registries = options.registries ?? findRegistries(sf, options.propertyKinds);
    for (const registry of registries) {
      const dispatch = registry.dispatches.find((d) => detection.profiles.some((p) => profileMatches(registry, d, p)));
      if (!dispatch) continue;
      const decl = declarationFor(registry, byNode);
      if (decl) {
        byNode.set(decl.node, decl);
        add(decl, ownsSignal(registry, dispatch));
      }
    }
  }

  // 2. A copy of the canonical or a legacy body.
  if (references.length > 0) {
    for (const decl of declarations) {
      const length = decl.node.end - decl.node.pos;
      if (length < MIN_COPY_TOKENS * 2) continue;
      let mine: CodeShingles | undefined;
      let best: { ref: ReferenceBody; score: number } | undefined;
      for (const ref of references) {
        if (ref.file === options.relativeFile && ref.symbol === decl.name) continue;
        if (!mine) {
          mine = shinglesOf(decl.node.getText(sf), decl.name);
          if (mine.tokens < MIN_COPY_TOKENS) break;
        }
        if (!sizesCanMatch(mine.tokens, ref.shingles.tokens, concept.detect.similarity)) continue;
        const score = similarity(mine, ref.shingles);
        if (score >= concept.detect.similarity && (!best || score > best.score)) best = { ref, score };
      }
      if (best)
        add(decl, {
          kind: 'copy',
          of: best.ref.file,
          symbol: best.ref.symbol,
          similarity: Math.floor(best.score * 100) / 100,
        });
    }
  }

  // 3. The canonical name declared again (not by a subclass or wrapper of the concept's implementations).
  for (const decl of declarations) {
    if (!canonicalNames.has(decl.name)) continue;
    const builtOn = [
      ...decl.heritage.filter((h) => h.clause === 'extends').map((h) => h.expression),
      ...fieldInstances(decl),
    ].some((e) => options.bases?.(e, sf, concept));
    if (!builtOn) add(decl, { kind: 'canonical-name', name: decl.name });
  }

  for (const [decl, signals] of evidence) {
    if (!signals.some((s) => DECISIVE_SIGNALS.has(s.kind))) continue;
    const context: DuplicateSignal[] = [];
    const byName = detection.patterns.find((p) => p.test(decl.name));
    if (byName && !canonicalNames.has(decl.name)) context.push({ kind: 'name', pattern: byName.source });
    const memberSet = new Set(concept.detect.members);
    const matched = [...new Set(decl.members.filter((m) => memberSet.has(m)))];
    if (memberSet.size > 0 && matched.length >= concept.detect.minMembers) {
      context.push({ kind: 'shape', matched, total: memberSet.size, required: concept.detect.minMembers });
    }
    for (const h of decl.heritage) {
      const role = h.clause === 'extends' ? options.bases?.(h.expression, sf, concept) : undefined;
      const typeName = h.expression.getText(sf);
      if (role)
        context.push({
          kind: 'heritage',
          clause: h.clause,
          typeName: role.name === typeName ? typeName : `${typeName} (${role.name})`,
          base: role.role,
        });
      else if (concept.detect.heritage.includes(typeName.replace(/^.*\./, '')))
        context.push({ kind: 'heritage', clause: h.clause, typeName });
    }
    const start = decl.nameNode.getStart(sf);
    const { line, character } = sf.getLineAndCharacterOfPosition(start);
    result.duplicates.push({
      conceptId: concept.id,
      file: sf.fileName,
      line: line + 1,
      column: character + 1,
      start,
      end: decl.nameNode.end,
      symbol: decl.name,
      declarationKind: decl.kind,
      signals: [...signals, ...context],
      fingerprint: fingerprint({
        rule: DUPLICATE_RULE_ID,
        conceptId: concept.id,
        file: options.relativeFile,
        symbol: decl.name,
        code: decl.node.getText(sf),
      }),
    });
  }
  result.duplicates.sort((a, b) => a.start - b.start);

  // Built on a legacy implementation: listed apart for the migration, never counted.
  if (builtOnLegacy && options.bases) {
    for (const decl of declarations) {
      if (evidence.get(decl)?.some((s) => DECISIVE_SIGNALS.has(s.kind))) continue;
      const bases: { relation: 'extends' | 'wraps'; expr: ts.Expression }[] = [
        ...decl.heritage
          .filter((h) => h.clause === 'extends')
          .map((h) => ({ relation: 'extends' as const, expr: h.expression })),
        ...fieldInstances(decl).map((expr) => ({ relation: 'wraps' as const, expr })),
      ];
      for (const { relation, expr } of bases) {
        const role = options.bases(expr, sf, concept);
        if (role?.role !== 'legacy') continue;
        const start = decl.nameNode.getStart(sf);
        const { line, character } = sf.getLineAndCharacterOfPosition(start);
        result.builtOnLegacy.push({
          conceptId: concept.id,
          file: sf.fileName,
          line: line + 1,
          column: character + 1,
          symbol: decl.name,
          relation,
          base: role.name,
          legacyModule: role.legacyModule ?? '',
        });
        break;
      }
    }
  }
  return result;
}

function quote(name: string): string {
  return `\`${name}\``;
}

/** One line of evidence per signal, for messages and reports. */
export function describeSignal(signal: DuplicateSignal): string {
  switch (signal.kind) {
    case 'owns': {
      const storage = signal.storageType ? `${quote(signal.storage)}: ${signal.storageType}` : quote(signal.storage);
      const filled = signal.registers.length > 0 ? ` (filled in ${signal.registers.map(quote).join(', ')})` : '';
      const what = signal.via ? `each one's ${quote(signal.via)}` : 'each';
      const how = signal.method
        ? `calls ${quote(signal.method)} on each stored item in ${quote(signal.dispatch)}`
        : signal.call === 'one'
          ? `calls the one stored under a key in ${quote(signal.dispatch)}`
          : signal.call === 'first'
            ? `calls ${what} in turn until one answers, in ${quote(signal.dispatch)}`
            : `calls ${what} in ${quote(signal.dispatch)}`;
      return `owns ${storage}${filled} and ${how}`;
    }
    case 'copy':
      return `code ${Math.round(signal.similarity * 100)}% the same as ${signal.of}:${signal.symbol}`;
    case 'name':
      return `name matches ${signal.pattern}`;
    case 'canonical-name':
      return `declares the canonical name ${signal.name} again`;
    case 'shape':
      return `shares ${signal.matched.length} of ${signal.total} members: ${signal.matched.join(', ')}`;
    case 'heritage':
      return `${signal.clause} ${signal.base ? `${signal.base} ` : ''}${signal.typeName}`;
  }
}
