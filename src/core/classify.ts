import * as path from 'node:path';
import { picomatch } from '../shared/cjs-packages.js';
import type { ResolvedConcept, ResolvedConfig, ResolvedLegacyModule } from './config/types.js';
import { isInside, stripExtension, type ModuleResolver } from './resolve.js';
import type { ImportSite, Resolution, SiteTarget } from './types.js';
import type { Prefilter } from './prefilter.js';
import { compileSpecifierPattern } from './pattern.js';
import { defaultExportName } from './default-export.js';
import { siteNameUse, usesConcept, type NameUse, type SiteLookups } from './mapping.js';
import { findLegacyInstance } from './legacy-instance.js';
import { SymbolResolver } from './symbols.js';
import { toPosix } from '../shared/paths.js';

/**
 * A package legacy module is its root entry only: `@scope/utils/ts-eslint` is another module, and
 * belongs to the concept only through a subpath entry (`"@scope/utils/*"`, `subpathsOf`).
 */
function matchesPackage(specifier: string, legacy: ResolvedLegacyModule): boolean {
  if (legacy.subpathsOf === undefined) return specifier === legacy.module;
  return specifier.length > legacy.subpathsOf.length + 1 && specifier.startsWith(legacy.subpathsOf + '/');
}

/** A package specifier of the canonical (or compat) module, or one of its subpaths when the concept moves subpaths. */
function isPackageModule(specifier: string, module: string, concept: ResolvedConcept): boolean {
  if (specifier === module) return true;
  return concept.legacy.some((l) => l.subpathsOf !== undefined) && specifier.startsWith(module + '/');
}

/**
 * True when a `declare module` block names the concept's canonical (or compat) package module: its
 * imports are that module's own (`declare module 'node:fs' { export * from 'fs'; }`).
 */
function isCanonicalDeclaration(name: string | undefined, concept: ResolvedConcept): boolean {
  if (name === undefined) return false;
  const own = [concept.canonical, concept.compat].filter((m) => m !== undefined && m.path === undefined);
  return own.some((m) => isPackageModule(name, m!.module, concept));
}

/** True when a resolved file is (inside) the legacy module's path. */
export function resolvedIntoLegacy(resolved: string, legacy: ResolvedLegacyModule): boolean {
  if (!legacy.path) return false;
  if (legacy.isDirectory) return isInside(resolved, legacy.path);
  // `a.ts`, its `a.d.ts` or `a.js` twin: the same module for an importer.
  return resolved === legacy.path || stripExtension(resolved) === stripExtension(legacy.path);
}

function intendsLegacy(intended: string, legacy: ResolvedLegacyModule): boolean {
  if (!legacy.path) return false;
  const target = stripExtension(legacy.path);
  if (intended === target) return true;
  if (legacy.isDirectory) return isInside(intended, legacy.path);
  // `import '../legacy'` for a deleted `legacy/index.ts`.
  return path.basename(target) === 'index' && intended === path.dirname(target);
}

/**
 * Decides what a site refers to: a concept's legacy module (possibly deleted: `missing`), the
 * canonical module or its compat layer, or something else. Resolution decides; specifier text
 * is consulted only for package specifiers and for modules that no longer resolve.
 */
export class SiteClassifier {
  private readonly canonicalMatchers = new Map<string, (file: string) => boolean>();
  private readonly patternMatchers = new Map<ResolvedLegacyModule, (specifier: string) => boolean>();
  private readonly defaults = new Map<string, string | undefined>();
  /** The declaration a module exports as default (defaultExportName), read once per file. */
  readonly defaultOf = (file: string): string | undefined => {
    if (!this.defaults.has(file)) this.defaults.set(file, defaultExportName(this.resolver, file));
    return this.defaults.get(file);
  };

  /**
   * The instance of a legacy class a legacy module exports under a name (findLegacyInstance). Not
   * cached here: every call reads through the SymbolResolver, which caches the parses and logs the
   * files read, so an analysis lists the modules of a re-export chain among its dependencies.
   */
  readonly instanceOf: SiteLookups['instanceOf'] = (concept, legacy, file, name) =>
    findLegacyInstance(
      {
        symbols: this.symbols,
        legacyOfImport: (specifier, fromFile) => {
          const resolution = this.resolver.resolve(specifier, fromFile, 'import');
          return concept.legacy.find((l) => this.isLegacy(specifier, fromFile, resolution, l));
        },
        // A path module holds its files; a package module is the file its site resolved to.
        legacyOfFile: (f) =>
          concept.legacy.find((l) => l.kind === 'path' && resolvedIntoLegacy(f, l)) ??
          (stripExtension(f) === stripExtension(file) ? legacy : undefined),
      },
      concept,
      file,
      name,
    );
  private readonly lookups: SiteLookups = { defaultOf: this.defaultOf, instanceOf: this.instanceOf };

  constructor(
    private readonly config: ResolvedConfig,
    private readonly resolver: ModuleResolver,
    /** When given, specifiers it proves irrelevant are not resolved (see Prefilter). */
    private readonly prefilter?: Pick<Prefilter, 'specifierMayMatch'>,
    /** Reads the modules an exported instance is declared in (the analysis context's, to log what it reads). */
    private readonly symbols: SymbolResolver = new SymbolResolver(resolver),
  ) {
    for (const concept of config.concepts) {
      const globs = concept.canonical.files;
      const isMatch = globs.length > 0 ? picomatch(globs, { dot: true }) : () => false;
      this.canonicalMatchers.set(concept.id, (file) => isMatch(toPosix(path.relative(config.rootDir, file))));
    }
  }

  classify(site: ImportSite, file: string): { resolution: Resolution; target: SiteTarget } {
    // Most imports of a file name no configured module; the prefilter proves it from the text.
    if (this.prefilter && !this.prefilter.specifierMayMatch(site.specifier, file)) {
      return { resolution: { kind: 'not-resolved' }, target: { kind: 'other' } };
    }
    const resolution = this.resolver.resolve(site.specifier, file, site.form);
    return { resolution, target: this.targetOf(site.specifier, file, resolution, site) };
  }

  /**
   * What a site refers to. Resolution alone decides the module: every import of a legacy module
   * is a legacy site, whatever it imports, because every one of them keeps the module alive;
   * whether it uses the concept (`concept`, `mapsTo`) is decided from its names.
   */
  targetOf(specifier: string, file: string, resolution: Resolution, site: ImportSite): SiteTarget {
    for (const concept of this.config.concepts) {
      const legacyIndex = concept.legacy.findIndex((legacy) => this.isLegacy(specifier, file, resolution, legacy));
      if (legacyIndex >= 0) {
        const legacy = concept.legacy[legacyIndex]!;
        const uses = new Map<string, NameUse | null>();
        for (const n of site.names) {
          if (!uses.has(n.imported)) uses.set(n.imported, this.nameUse(concept, legacy, resolution, n.imported));
        }
        const use = (imported: string): NameUse | null => uses.get(imported) ?? null;
        const missing = resolution.kind === 'unresolved' || (legacy.kind === 'path' && !legacy.exists);
        const transition = this.isCanonicalFile(file, concept) || isCanonicalDeclaration(site.ambientModule, concept);
        const internal =
          transition ||
          concept.legacy.some((l) => l.kind === 'path' && l.path !== undefined && resolvedIntoLegacy(file, l));
        return {
          kind: 'legacy',
          conceptId: concept.id,
          legacyIndex,
          legacyModule: legacy.module,
          missing,
          internal,
          transition,
          concept: usesConcept(legacy, site, (imported) => use(imported) !== null),
          mapsTo: site.names.map((n) => {
            const u = use(n.imported);
            return u?.kind === 'mapped' ? u.mapped.name : null;
          }),
          instances: site.names.map((n) => {
            const u = use(n.imported);
            return u?.kind === 'instance' ? u.instance : null;
          }),
        };
      }
      const canonical = this.canonicalKind(specifier, resolution, concept);
      if (canonical) return { kind: 'canonical', conceptId: concept.id, compat: canonical === 'compat' };
    }
    return { kind: 'other' };
  }

  /** What an imported name of a site on `legacy` is for the concept: the core's siteNameUse. */
  nameUse(
    concept: ResolvedConcept,
    legacy: ResolvedLegacyModule,
    resolution: Resolution,
    imported: string,
  ): NameUse | null {
    return siteNameUse(concept, legacy, { resolution }, imported, this.lookups);
  }

  private isLegacy(specifier: string, file: string, resolution: Resolution, legacy: ResolvedLegacyModule): boolean {
    if (legacy.pattern) {
      let matcher = this.patternMatchers.get(legacy);
      if (!matcher) this.patternMatchers.set(legacy, (matcher = compileSpecifierPattern(legacy.pattern)));
      return matcher(specifier);
    }
    if (legacy.kind === 'package') return matchesPackage(specifier, legacy);
    if (resolution.kind === 'file') return resolvedIntoLegacy(resolution.path, legacy);
    if (resolution.kind === 'unresolved') {
      return this.resolver.intendedPaths(specifier, file).some((intended) => intendsLegacy(intended, legacy));
    }
    return false;
  }

  /** True when `file` is the concept's canonical module, one of its canonical files, or its compat module. */
  private isCanonicalFile(file: string, concept: ResolvedConcept): boolean {
    const own = [concept.canonical.path, concept.compat?.path].filter((p): p is string => p !== undefined);
    if (own.some((p) => stripExtension(p) === stripExtension(file) || isInside(file, p))) return true;
    return this.canonicalMatchers.get(concept.id)?.(file) ?? false;
  }

  private canonicalKind(
    specifier: string,
    resolution: Resolution,
    concept: ResolvedConcept,
  ): 'canonical' | 'compat' | undefined {
    const compat = concept.compat;
    if (compat) {
      const isCompat = compat.path
        ? resolution.kind === 'file' && stripExtension(resolution.path) === stripExtension(compat.path)
        : isPackageModule(specifier, compat.module, concept);
      if (isCompat) {
        return 'compat';
      }
    }
    const canonical = concept.canonical;
    if (canonical.path) {
      if (resolution.kind === 'file' && stripExtension(resolution.path) === stripExtension(canonical.path))
        return 'canonical';
    } else if (isPackageModule(specifier, canonical.module, concept)) return 'canonical';
    if (resolution.kind === 'file' && this.canonicalMatchers.get(concept.id)?.(resolution.path)) return 'canonical';
    return undefined;
  }
}
