import * as fs from 'node:fs';
import * as path from 'node:path';
import { picomatch } from '../shared/cjs-packages.js';
import ts from './typescript.cjs';
import type { ResolvedConcept, ResolvedConfig, ResolvedLegacyModule } from './config/types.js';
import { exportedImplementations, readCanonicalShape } from './canonical-shape.js';
import {
  collectDeclarations,
  compileNamePatterns,
  type BaseResolver,
  type BaseRole,
  type ConceptDetection,
  declarationMemo,
  type DeclarationsOf,
  type ReferenceBody,
} from './detect.js';
import { isInside, stripExtension, type ModuleResolver } from './resolve.js';
import { findRegistries, type PropertyKindQuery, type Registry } from './registry.js';
import { MIN_COPY_TOKENS, shinglesOf } from './similarity.js';
import { SymbolResolver, type DeclarationRef } from './symbols.js';
import { unwrapExpression } from './walk.js';
import type { ClassifiedSite, ImportSite } from './types.js';
import { toPosix } from '../shared/paths.js';

/**
 * What duplicate detection needs beyond one file, prepared once per analysis context: per concept
 * the registry profiles (configured, or derived from the canonical implementation's AST) and the
 * canonical and legacy bodies for copy detection; and, for the whole project, answers to "is this
 * base class (or field's class) the canonical or a legacy implementation?" and "is this property
 * of a stored item a function?", from the files involved only.
 */
export interface DetectionContext {
  concepts: Map<string, ConceptDetection>;
  symbols: SymbolResolver;
  /**
   * Resolves base classes (and `new X()`) of a file with these import sites; `declarations` serves
   * a class of the file itself (pass the analysis's declarationMemo to share its walk).
   */
  basesFor(sites: readonly ImportSite[], declarations?: DeclarationsOf): BaseResolver;
  /** Answers property kinds of item types a file with these import sites imports. */
  propertyKindsFor(sites: readonly ImportSite[]): PropertyKindQuery;
  /** Files read besides the analysed one (canonical and legacy bodies): part of every result's inputs. */
  referenceFiles(): string[];
}

const MAX_LEGACY_FILES = 500;

function listSourceFiles(dir: string, out: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (out.length >= MAX_LEGACY_FILES) return;
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) listSourceFiles(p, out);
    else if (/\.[cm]?[jt]sx?$/.test(e.name) && !/\.d\.[cm]?ts$/.test(e.name)) out.push(p);
  }
}

/**
 * The files of a legacy module that duplicate detection reads (its bodies are what a copy is
 * compared with): the module's file, or the source files of its folder (at most MAX_LEGACY_FILES).
 * The report cache keys on the same files.
 */
export function legacyModuleFiles(legacy: ResolvedLegacyModule): string[] {
  if (legacy.kind !== 'path' || !legacy.path || !legacy.exists) return [];
  if (!legacy.isDirectory) return [legacy.path];
  const out: string[] = [];
  listSourceFiles(legacy.path, out);
  return out;
}

export function createDetectionContext(config: ResolvedConfig, resolver: ModuleResolver): DetectionContext {
  const symbols = new SymbolResolver(resolver);
  const concepts = new Map<string, ConceptDetection>();
  const readFiles = new Set<string>();
  const canonicalFileMatchers = new Map<string, (rel: string) => boolean>();

  for (const concept of config.concepts) {
    const globs = concept.canonical.files;
    canonicalFileMatchers.set(concept.id, globs.length > 0 ? picomatch(globs, { dot: true }) : () => false);
    const profiles = concept.detect.registries ?? derivedProfiles(concept, symbols, readFiles);
    let references: ReferenceBody[] | undefined;
    concepts.set(concept.id, {
      concept,
      patterns: compileNamePatterns(concept.detect.names),
      profiles,
      references: () => (references ??= referenceBodies(config, concept, profiles, symbols, readFiles)),
    });
  }

  const chaseCache = new Map<string, { declaration: DeclarationRef; files: string[] } | null>();
  const checkerCache = new Map<string, DeclarationRef>();

  /** The role a declaration in `file` has for the concept (canonical, legacy), whatever its name. */
  const fileRole = (
    file: string,
    concept: ResolvedConcept,
  ): { role: 'canonical' } | { role: 'legacy'; legacyModule: string } | undefined => {
    const rel = toPosix(path.relative(config.rootDir, file));
    const canonicalPath = concept.canonical.path;
    if (
      (canonicalPath && stripExtension(file) === stripExtension(canonicalPath)) ||
      canonicalFileMatchers.get(concept.id)?.(rel)
    ) {
      return { role: 'canonical' };
    }
    for (const legacy of concept.legacy) {
      if (legacy.kind !== 'path' || !legacy.path) continue;
      const inside = legacy.isDirectory
        ? isInside(file, legacy.path)
        : stripExtension(file) === stripExtension(legacy.path);
      if (inside) return { role: 'legacy', legacyModule: legacy.module };
    }
    return undefined;
  };

  /** What a declaration in `file` is for the concept: the canonical, a legacy implementation, or neither. */
  const roleOf = (ref: DeclarationRef, concept: ResolvedConcept): BaseRole => {
    const role = fileRole(ref.file, concept);
    return role && { ...role, name: ref.name };
  };

  /**
   * What an imported name is for the concept: follows the import to its declaration (re-exports
   * included) and, through re-exports, asks the checker on exactly the files the chain went through.
   */
  const importedRole = (
    sf: ts.SourceFile,
    site: ImportSite,
    imported: string,
    position: number,
    concept: ResolvedConcept,
  ): BaseRole => {
    const key = `${sf.fileName}\0${site.specifier}\0${imported}`;
    let chased = chaseCache.get(key);
    if (chased === undefined) {
      chased = symbols.chase(sf.fileName, site.specifier, imported) ?? null;
      chaseCache.set(key, chased);
    }
    if (!chased) return undefined;
    if (chased.files.length <= 2) return roleOf(chased.declaration, concept);
    // The checker's program holds the asking file and the chain's files, nothing else (no lib, no
    // module it would resolve on its own): its answer is declared in one of them. When none of them
    // is the canonical or a legacy implementation, neither is the answer, and the checker is not asked.
    if (![sf.fileName, ...chased.files].some((file) => fileRole(file, concept))) return undefined;
    let found = checkerCache.get(key);
    if (found === undefined) {
      found = symbols.checkerDeclaration(sf, chased.files, position) ?? chased.declaration;
      checkerCache.set(key, found);
    }
    return roleOf(found, concept);
  };

  const resolveBase = (
    expr: ts.Expression,
    sf: ts.SourceFile,
    concept: ResolvedConcept,
    sites: readonly ImportSite[],
    declarationsOf: DeclarationsOf,
    depth: number,
  ): BaseRole => {
    if (depth > 4) return undefined;
    const e = unwrapExpression(expr);
    let local: string | undefined;
    let member: string | undefined;
    if (ts.isIdentifier(e)) local = e.text;
    else if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression)) {
      local = e.expression.text;
      member = e.name.text;
    } else return undefined;
    for (const site of sites) {
      const bound = site.names.find((n) => n.local === local);
      if (!bound) continue;
      const imported = member !== undefined ? (bound.imported === '*' ? member : undefined) : bound.imported;
      if (!imported || imported === '*') return undefined;
      // The site names the canonical or a legacy module itself (as the classifier decided).
      const target = (site as Partial<ClassifiedSite>).target;
      if (target?.kind === 'canonical' && target.conceptId === concept.id) return { role: 'canonical', name: imported };
      if (target?.kind === 'legacy' && target.conceptId === concept.id)
        return { role: 'legacy', name: imported, legacyModule: target.legacyModule };
      const namePosition = (ts.isPropertyAccessExpression(e) ? e.name : e).getStart(sf);
      return importedRole(sf, site, imported, namePosition, concept);
    }
    if (member !== undefined) return undefined;
    // A class of this file: built on whatever it is built on.
    for (const decl of declarationsOf(sf)) {
      if (decl.name !== local) continue;
      if (decl.kind === 'class') {
        const ext = decl.heritage.find((h) => h.clause === 'extends');
        const inner = ext ? resolveBase(ext.expression, sf, concept, sites, declarationsOf, depth + 1) : undefined;
        return inner ? { ...inner, name: `${local} -> ${inner.name}` } : undefined;
      }
    }
    // const Base = Imported;
    for (const st of sf.statements) {
      if (!ts.isVariableStatement(st)) continue;
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === local && d.initializer)
          return resolveBase(d.initializer, sf, concept, sites, declarationsOf, depth + 1);
      }
    }
    return undefined;
  };

  const propertyKinds =
    (sites: readonly ImportSite[]): PropertyKindQuery =>
    (typeName, property, sf) => {
      let left: ts.EntityName = typeName;
      while (ts.isQualifiedName(left)) left = left.left;
      const local = left.text;
      for (const site of sites) {
        const bound = site.names.find((n) => n.local === local);
        if (!bound || bound.imported === '*') continue;
        const chased = symbols.chase(sf.fileName, site.specifier, bound.imported);
        if (!chased) return undefined;
        const position = (ts.isQualifiedName(typeName) ? typeName.right : typeName).getStart(sf);
        return symbols.checkerPropertyKind(sf, chased.files, position, property);
      }
      return undefined;
    };

  return {
    concepts,
    symbols,
    basesFor:
      (sites, declarations = declarationMemo()) =>
      (expr, sf, concept) =>
        resolveBase(expr, sf, concept, sites, declarations, 0),
    propertyKindsFor: propertyKinds,
    referenceFiles: () => [...readFiles].sort(),
  };
}

/** The registry profiles of the canonical implementation, when the config names none. */
function derivedProfiles(
  concept: ResolvedConcept,
  symbols: SymbolResolver,
  readFiles: Set<string>,
): ConceptDetection['profiles'] {
  const file = concept.canonical.path;
  if (!file) return [];
  const sf = symbols.source(file);
  if (!sf) return [];
  readFiles.add(file);
  try {
    return readCanonicalShape(sf, concept.canonical.names[0]).profiles;
  } catch {
    return []; // No implementation to read (a module of types): copies and re-declarations still count.
  }
}

/** The canonical implementation's body and the legacy implementations' bodies, for copy detection. */
function referenceBodies(
  config: ResolvedConfig,
  concept: ResolvedConcept,
  profiles: ConceptDetection['profiles'],
  symbols: SymbolResolver,
  readFiles: Set<string>,
): ReferenceBody[] {
  const out: ReferenceBody[] = [];
  const addFrom = (
    file: string,
    keep: (name: string, node: ts.Node, registries: Registry[], sf: ts.SourceFile) => boolean,
  ): void => {
    const sf = symbols.source(file);
    if (!sf) return;
    readFiles.add(file);
    const rel = toPosix(path.relative(config.rootDir, file));
    const registries = findRegistries(sf);
    for (const decl of collectDeclarations(sf)) {
      if (!keep(decl.name, decl.node, registries, sf)) continue;
      const shingles = shinglesOf(decl.node.getText(sf), decl.name);
      if (shingles.tokens >= MIN_COPY_TOKENS) out.push({ file: rel, symbol: decl.name, shingles });
    }
  };
  const canonical = concept.canonical.path;
  if (canonical) {
    const names = new Set(concept.canonical.names);
    addFrom(
      canonical,
      (name, node, _registries, sf) =>
        names.has(name) || (names.size === 0 && exportedImplementations(sf).some((d) => d.node === node)),
    );
  }
  for (const legacy of concept.legacy) {
    const mapped = new Set(Object.keys(legacy.names).filter((n) => n !== '*'));
    for (const file of legacyModuleFiles(legacy)) {
      addFrom(file, (name, node, registries) => {
        if (mapped.has(name)) return true;
        // An implementation of the concept by its own registries, whatever its name.
        return registries.some(
          (r) =>
            r.owner.node === node &&
            r.dispatches.some((d) => profiles.some((p) => p.call === d.call && (p.method ?? '') === (d.method ?? ''))),
        );
      });
    }
  }
  return out;
}
