import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedConfig } from './config/types.js';
import type { ModuleResolver } from './resolve.js';
import { isInside, stripExtension } from './resolve.js';
import { patternNeedles, regexLiteral } from './pattern.js';

/**
 * A text prefilter that is sound: it passes every file that can hold a finding, because any
 * import of a module must spell part of its path (or an alias/package name that maps to it),
 * and any declaration must spell its name. Files it rejects are read but need no parse.
 * Where soundness cannot be shown (a regex name without a literal part), it passes every file.
 */
export interface Prefilter {
  /**
   * True when the text may hold a finding and must be parsed. With `file`, a file inside a
   * configured folder module always passes: its imports of siblings (internal sites) need not
   * spell the folder's name.
   */
  mayMatch(text: string, file?: string): boolean;
  /**
   * True when a module specifier written in `file` may name a configured (legacy, canonical or
   * compat) module, so it must be resolved; false proves it cannot, by the same argument.
   */
  specifierMayMatch(specifier: string, file: string): boolean;
  /** The literal needles, for documentation and tests. */
  readonly needles: readonly string[];
  /** True when the filter is disabled (every file passes). */
  readonly passAll: boolean;
}

function moduleNeedles(modulePath: string, isDirectory: boolean | undefined): string[] {
  const base = path
    .basename(modulePath)
    .replace(/\.d\.(c|m)?ts$/, '')
    .replace(/\.(c|m)?(t|j)sx?$/, '');
  if (isDirectory) return [base];
  if (base === 'index')
    return [path.basename(path.dirname(modulePath)), "'.'", '".."', "'..'", '"."', "'./'", '"./"', "'../'", '"../"'];
  return [base];
}

/**
 * `legacyImportsOnly`: a narrower filter for adapters that only act on legacy import sites (the
 * codemod): just the needles a legacy module's importer must spell (module file/folder names,
 * package names, workspace package names and exact path aliases that can reach a legacy module,
 * as the resolver says); no canonical/compat modules, no declaration names or member groups.
 * Sound for legacy sites by the same argument.
 */
/**
 * Text every file that holds a registry must contain (see registry.ts): a registration (`.push(`,
 * `.add(`, `.set(`, `.unshift(`, `.splice(`, `.concat(`, `[k] =`, `[k] ??=`, `= [...]`) and an
 * iteration or keyed call (`for`, `.forEach(` and the other iterating methods, `.get(`, `[k](`).
 * Whitespace and comments may sit between a `.` and the name, so the patterns allow them.
 */
const REGISTRATION_TEXT = /\.\s*(?:push|unshift|add|set|splice|concat)\b|\]\s*(?:\?\?|\|\|)?=(?!=)|=\s*\[/;
const DISPATCH_TEXT =
  /\bfor\b|\.\s*(?:forEach|map|some|every|filter|find|flatMap|reduce|get|call|apply)\b|\]\s*\??\.?\s*\(/;

export interface DuplicateScope {
  /** Some concept looks for registries: a file with registration and dispatch text may hold one. */
  registries: boolean;
  /**
   * Per canonical or legacy body compared for copies: words one of which every copy spells
   * (similarity.ts copyNeedles); undefined when a body has no such words (then every file passes).
   */
  copies: (readonly string[] | undefined)[];
}

export function createPrefilter(
  config: ResolvedConfig,
  resolver: ModuleResolver,
  options: { legacyImportsOnly?: boolean; duplicates?: DuplicateScope } = {},
): Prefilter {
  const needles = new Set<string>();
  /** Needles of case-insensitive specifier patterns, lower-cased; matched against the lower-cased text. */
  const lowerNeedles = new Set<string>();
  let passAll = false;
  const memberGroups: { members: string[]; min: number }[] = [];
  const probe = path.join(config.rootDir, '__ssot_probe__.ts');
  const legacyPaths = config.concepts.flatMap((c) => c.legacy).filter((l) => l.path && !l.pattern);
  /** legacyImportsOnly: does a bare name (package or exact alias) resolve into a legacy module? */
  const namesLegacy = (specifier: string): boolean => {
    const r = resolver.resolve(specifier, probe);
    if (r.kind !== 'file') return true; // cannot tell (or a deleted module): keep the needle
    return legacyPaths.some((l) =>
      l.isDirectory ? isInside(r.path, l.path!) : stripExtension(r.path) === stripExtension(l.path!),
    );
  };
  const hasExportsMap = (dir: string): boolean => {
    try {
      return (
        (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { exports?: unknown }).exports !==
        undefined
      );
    } catch {
      return true;
    }
  };
  for (const concept of config.concepts) {
    for (const legacy of concept.legacy) {
      if (legacy.pattern) {
        const found = patternNeedles(legacy.pattern);
        if (!found) passAll = true;
        else if (found.caseInsensitive) for (const n of found.needles) lowerNeedles.add(n);
        else for (const n of found.needles) needles.add(n);
      } else if (legacy.kind === 'package') {
        needles.add(legacy.subpathsOf !== undefined ? `${legacy.subpathsOf}/` : legacy.module);
      } else if (legacy.path) {
        for (const n of moduleNeedles(legacy.path, legacy.isDirectory)) needles.add(n);
        // A workspace package whose folder is or holds the legacy module is imported by name.
        for (const pkg of resolver.workspacePackages()) {
          if (!isInside(legacy.path, pkg.dir) && !isInside(pkg.dir, legacy.path)) continue;
          // For legacy import sites only: a package that merely holds the legacy module deeper
          // down is reached through subpaths that spell it, unless an `exports` map renames them
          // or the package entry itself is the legacy module.
          if (
            options.legacyImportsOnly &&
            !isInside(pkg.dir, legacy.path) &&
            !hasExportsMap(pkg.dir) &&
            !namesLegacy(pkg.name)
          )
            continue;
          needles.add(pkg.name);
        }
      }
    }
    if (options.legacyImportsOnly) continue;
    for (const mod of [concept.canonical, concept.compat]) {
      if (!mod) continue;
      if (mod.path) for (const n of moduleNeedles(mod.path, false)) needles.add(n);
      else needles.add(mod.module);
    }
    for (const name of [...concept.detect.names, ...concept.canonical.names, ...concept.detect.heritage]) {
      if (name.startsWith('/')) {
        const core = regexLiteral(name.slice(1, name.lastIndexOf('/')));
        if (core) needles.add(core);
        else passAll = true;
      } else needles.add(name);
    }
    if (concept.detect.members.length > 0)
      memberGroups.push({ members: concept.detect.members, min: concept.detect.minMembers });
  }
  // Exact tsconfig `paths` aliases (no `*`) can name a module without spelling its file name.
  const compilerOptions = resolver.optionsFor(path.join(config.rootDir, '__ssot_probe__.ts'));
  for (const key of Object.keys(compilerOptions.paths ?? {})) {
    if (key.includes('*')) continue;
    if (options.legacyImportsOnly && !namesLegacy(key)) continue;
    needles.add(key);
  }

  // Files matched by `canonical.files` count as the canonical module when imported. A glob with a
  // static folder (`src/router/**`) acts as a folder module: an importer from outside spells the
  // folder's name; a fully static glob is a file module. A glob without a static folder gives no
  // sound needle, and then every file passes.
  const canonicalFolders: string[] = [];
  const canonicalFiles: string[] = [];
  if (!options.legacyImportsOnly) {
    for (const glob of config.concepts.flatMap((c) => c.canonical.files)) {
      const parts = glob.replace(/^\.\//, '').split('/');
      const firstDynamic = parts.findIndex((part) => /[*?[\]{}!()]/.test(part));
      if (firstDynamic === 0) passAll = true;
      else if (firstDynamic < 0) canonicalFiles.push(path.resolve(config.rootDir, ...parts));
      else canonicalFolders.push(path.resolve(config.rootDir, ...parts.slice(0, firstDynamic)));
    }
    for (const folder of canonicalFolders) needles.add(path.basename(folder));
    for (const file of canonicalFiles) for (const n of moduleNeedles(file, false)) needles.add(n);
    for (const pkg of resolver.workspacePackages()) {
      if ([...canonicalFolders, ...canonicalFiles].some((p) => isInside(p, pkg.dir) || isInside(pkg.dir, p)))
        needles.add(pkg.name);
    }
  }

  // Specifiers are checked against the import needles only (no declaration names or members).
  const importNeedles = [...needles].filter((n) => n.length > 0 && !/^['"]/.test(n));
  /** Legacy/canonical paths (files and folders) a `paths` alias may lead into without spelling them. */
  const modulePaths = config.concepts
    .flatMap((c) => [
      ...c.legacy.filter((l) => l.path && !l.pattern).map((l) => ({ path: l.path!, dir: Boolean(l.isDirectory) })),
      ...[c.canonical.path, c.compat?.path]
        .filter((p): p is string => Boolean(p))
        .map((p) => ({ path: p, dir: false })),
    ])
    .concat(
      canonicalFolders.map((p) => ({ path: p, dir: true })),
      canonicalFiles.map((p) => ({ path: p, dir: false })),
    );
  const folderModules = modulePaths.filter((m) => m.dir).map((m) => m.path);
  const insideFolderModule = (file: string): boolean => folderModules.some((dir) => isInside(file, dir));
  const indexLegacy = modulePaths.some((m) => path.basename(stripExtension(m.path)) === 'index');
  const specifierPassAll = passAll;
  const aliasPrefixesByOptions = new WeakMap<object, string[]>();
  /**
   * Alias prefixes (`@legacy/` of `@legacy/*`) under which a specifier can reach a configured
   * module without spelling its file or folder name: the target adds text after `*`, or its folder
   * holds (or sits inside) a configured folder module. Exact aliases are needles already.
   */
  const aliasPrefixes = (file: string): string[] => {
    const compilerOptions = resolver.optionsFor(file);
    const cached = aliasPrefixesByOptions.get(compilerOptions);
    if (cached) return cached;
    const out: string[] = [];
    const base =
      compilerOptions.baseUrl ??
      (compilerOptions.configFilePath ? path.dirname(String(compilerOptions.configFilePath)) : config.rootDir);
    for (const [key, targets] of Object.entries(compilerOptions.paths ?? {})) {
      const star = key.indexOf('*');
      if (star < 0) {
        out.push(key);
        continue;
      }
      const reaches = targets.some((target) => {
        const t = target.indexOf('*');
        if (t < 0) return true;
        if (stripExtension(target.slice(t + 1)) !== '') return true;
        const dir = path.resolve(base, target.slice(0, t));
        // Below the alias folder, a specifier spells every folder on the way and the file name;
        // it need not spell a configured folder the alias folder sits in, nor an index's folder.
        return modulePaths.some((m) =>
          m.dir
            ? isInside(dir, m.path)
            : path.basename(stripExtension(m.path)) === 'index' && isInside(dir, path.dirname(m.path)),
        );
      });
      if (reaches) out.push(key.slice(0, star));
    }
    aliasPrefixesByOptions.set(compilerOptions, out);
    return out;
  };

  const list = [...needles].filter((n) => n.length > 0);
  const lowerList = [...lowerNeedles].filter((n) => n.length > 0);
  const registries = !options.legacyImportsOnly && options.duplicates?.registries === true;
  const copies = options.legacyImportsOnly ? [] : (options.duplicates?.copies ?? []);
  if (copies.some((c) => c === undefined)) passAll = true;
  const copyWords = [...new Set(copies.flatMap((c) => c ?? []))];
  return {
    needles: [...list, ...lowerList],
    passAll,
    specifierMayMatch(specifier: string, file: string): boolean {
      if (specifierPassAll) return true;
      for (const needle of importNeedles) if (specifier.includes(needle)) return true;
      if (lowerList.length > 0) {
        const lower = specifier.toLowerCase();
        for (const needle of lowerList) if (lower.includes(needle)) return true;
      }
      // `.`, `..`, `./`, `../..`: an index module reached through its folder.
      if (indexLegacy && /^[./]+$/.test(specifier)) return true;
      if (specifier.startsWith('.') || path.isAbsolute(specifier)) return insideFolderModule(file);
      return aliasPrefixes(file).some((prefix) => specifier.startsWith(prefix));
    },
    mayMatch(text: string, file?: string): boolean {
      if (passAll) return true;
      if (file !== undefined && insideFolderModule(file)) return true;
      for (const needle of list) if (text.includes(needle)) return true;
      if (lowerList.length > 0) {
        const lower = text.toLowerCase();
        for (const needle of lowerList) if (lower.includes(needle)) return true;
      }
      for (const group of memberGroups) {
        let count = 0;
        for (const m of group.members) if (text.includes(m) && ++count >= group.min) return true;
      }
      if (registries && REGISTRATION_TEXT.test(text) && DISPATCH_TEXT.test(text)) return true;
      // A copy spells one of the words (a `\u` escape could spell any identifier).
      if (copyWords.length > 0 && (text.includes('\\u') || copyWords.some((w) => text.includes(w)))) return true;
      return false;
    },
  };
}
