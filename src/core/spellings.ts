import * as fs from 'node:fs';
import * as path from 'node:path';
import type ts from './typescript.cjs';
import { isInside, stripExtension } from './resolve.js';
import { readPackageJson, type PackageJson, type PackageJsonReader } from '../shared/package-json.js';

/**
 * The ways an import specifier can name one module, as far as its text can tell: the input of the
 * prefilter (prefilter.ts, which says why each is needed). Everything here is plain data so the
 * prefilter can turn it into one regular expression.
 */
export interface Spellings {
  /** The last segment of a path specifier (up to its first dot: `types` for `types.ts`, `types.js`, `types.ios.ts`). */
  endings: Set<string>;
  /** Folder names a path specifier passes through or ends with (folder modules). */
  folders: Set<string>;
  /** `.`, `..`, `../..`: a folder's index module reached through the folder itself. */
  dotsOnly: boolean;
  /** Bare specifiers equal to one of these or continuing with `/` (package names, legacy package specifiers). */
  packages: Set<string>;
  /** Bare specifiers equal to one of these (an `exports` or `imports` entry, an exact `paths` alias). */
  exact: Set<string>;
  /** Specifiers equal to one of these in any letter case (a legacy `pattern.exact`, case-insensitive by default). */
  exactAnyCase: Set<string>;
  /** Bare specifiers starting with one of these (an `exports`/`imports` subpath pattern, an alias that renames). */
  prefixes: Set<string>;
  /**
   * Bare specifiers starting with one of these whose rest is a path that must spell the module as a
   * relative path does (`@scope/pkg/` without `exports`, an alias `@app/*` -> `src/*`).
   */
  prefixPaths: Set<string>;
  /**
   * Where a path specifier must lead (absolute, before any extension is tried): `<dir>/<ending>`
   * of a module file, a folder whose index or package.json entry is a module, a folder module.
   */
  paths: { files: Set<string>; dirs: Set<string>; folders: Set<string> };
}

export function emptySpellings(): Spellings {
  return {
    endings: new Set(),
    folders: new Set(),
    dotsOnly: false,
    packages: new Set(),
    exact: new Set(),
    exactAnyCase: new Set(),
    prefixes: new Set(),
    prefixPaths: new Set(),
    paths: { files: new Set(), dirs: new Set(), folders: new Set() },
  };
}

/** The last segment up to its first dot: what a specifier of this file must end with. */
export function endingOf(file: string): string {
  return path.basename(file).split('.')[0] ?? '';
}

/** True when `target` (a path, with or without extension, or a folder holding an index) can be the module. */
function pathReaches(target: string, module: string, isDirectory: boolean): boolean {
  const t = stripExtension(path.normalize(target));
  if (isDirectory) return isInside(t, module);
  const m = stripExtension(module);
  return t === m || `${t}${path.sep}index` === m;
}

/**
 * Whether a package folder, imported by its own path or name with no subpath, can resolve to the
 * module: its `types`/`typings`/`main` entry (a file, or a folder's index) or, without one that
 * exists, its own index. `typesVersions` can redirect anything: assumed to reach.
 */
function entryReaches(dir: string, pkg: PackageJson, module: string, isDirectory: boolean): boolean {
  if (pkg.typesVersions !== undefined) return true;
  const entries = [pkg.types, pkg.typings, pkg.main].filter((e): e is string => typeof e === 'string');
  if (entries.some((e) => pathReaches(path.resolve(dir, e), module, isDirectory))) return true;
  return pathReaches(path.join(dir, 'index'), module, isDirectory);
}

/**
 * Whether a path specifier, resolved against the importer's folder (`abs`, no extension tried yet),
 * can lead to one of the modules: the module file under any extension or suffix (`types.js`,
 * `types.ios.ts`), a folder whose index or package entry is a module (also as `x/`, `x/index`,
 * `x/index.js`), or anything inside a folder module.
 */
export function pathLeadsTo(abs: string, targets: Spellings['paths']): boolean {
  let p = abs.replace(/[/\\]+$/, '');
  const dir = path.dirname(p);
  if (targets.files.has(path.join(dir, endingOf(p)))) return true;
  if (endingOf(p) === 'index') p = dir;
  if (targets.dirs.has(p)) return true;
  for (const folder of targets.folders) if (isInside(abs, folder)) return true;
  return false;
}

/** True when a package folder's own entry (types/typings/main) leads to one of the modules. */
export function packageEntryReaches(
  dir: string,
  modules: readonly { path: string; isDirectory: boolean }[],
  read: PackageJsonReader = readPackageJson,
): boolean {
  const pkg = read(dir);
  return pkg !== undefined && modules.some((m) => entryReaches(dir, pkg, m.path, m.isDirectory));
}

/** Every string target of an `exports`/`imports` value (conditions and fallback arrays flattened); undefined when its shape is unknown. */
function targetStrings(value: unknown): string[] | undefined {
  if (value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) {
    const out: string[] = [];
    for (const v of value) {
      const t = targetStrings(v);
      if (!t) return undefined;
      out.push(...t);
    }
    return out;
  }
  if (typeof value === 'object') return targetStrings(Object.values(value as Record<string, unknown>));
  return undefined;
}

/**
 * The specifiers through which an `exports` (keys `.`, `./sub`, `./sub/*`) or `imports` (keys `#x`,
 * `#x/*`) map can reach the module. `name` is prefixed to exports keys; imports keys stand alone.
 * Returns false when the map cannot be read: the caller then assumes any subpath can reach.
 */
function addMapSpellings(
  map: unknown,
  dir: string,
  name: string | undefined,
  module: string,
  isDirectory: boolean,
  out: Spellings,
): boolean {
  if (typeof map === 'string' || Array.isArray(map)) map = { '.': map };
  if (!map || typeof map !== 'object') return false;
  const entries = Object.entries(map as Record<string, unknown>);
  // `{ "import": ..., "require": ... }` without subpath keys: conditions of the root entry.
  const subpaths = entries.every(([k]) => k.startsWith('.') || k.startsWith('#'))
    ? entries
    : [['.', map] as [string, unknown]];
  for (const [key, value] of subpaths) {
    const targets = targetStrings(value);
    if (!targets) return false;
    const spelled = name === undefined ? key : key === '.' ? name : `${name}${key.slice(1)}`;
    const star = spelled.indexOf('*');
    for (const target of targets) {
      if (!target.startsWith('./')) {
        // A bare target (`#dep` -> `some-package`): anything that package reaches.
        if (star < 0) out.exact.add(spelled);
        else out.prefixes.add(spelled.slice(0, star));
        continue;
      }
      const t = target.indexOf('*');
      if (t < 0) {
        if (pathReaches(path.resolve(dir, target), module, isDirectory)) {
          if (star < 0) out.exact.add(spelled);
          else out.prefixes.add(spelled.slice(0, star));
        }
        continue;
      }
      // `./lib/*.js`: the module must lie below the target's static folder.
      const staticPart = path.resolve(dir, target.slice(0, t));
      const staticDir = target.slice(0, t).endsWith('/') ? staticPart : path.dirname(staticPart);
      if (isInside(module, staticDir) || (isDirectory && isInside(staticDir, module))) {
        out.prefixes.add(star < 0 ? spelled : spelled.slice(0, star));
      }
    }
  }
  return true;
}

/**
 * How importers can spell a module file or folder: its name (and an index module's folder), the
 * folders above it that hold a package.json leading to it (imported by path or by package name,
 * with their `exports` and `imports` maps read), within the project root.
 */
export function moduleSpellings(
  modulePath: string,
  isDirectory: boolean,
  rootDir: string,
  out: Spellings = emptySpellings(),
  read: PackageJsonReader = readPackageJson,
): Spellings {
  if (isDirectory) {
    out.folders.add(path.basename(modulePath));
    out.paths.folders.add(modulePath);
  } else {
    const ending = endingOf(modulePath);
    out.endings.add(ending);
    out.paths.files.add(path.join(path.dirname(modulePath), ending));
    if (ending === 'index') {
      out.endings.add(path.basename(path.dirname(modulePath)));
      out.paths.dirs.add(path.dirname(modulePath));
      out.dotsOnly = true;
    }
  }
  // Folders above the module (and a folder module itself) that hold a package.json.
  for (let dir = isDirectory ? modulePath : path.dirname(modulePath); isInside(dir, rootDir); dir = path.dirname(dir)) {
    const pkg = read(dir);
    if (pkg) {
      const name = typeof pkg.name === 'string' ? pkg.name : undefined;
      const viaEntry =
        isDirectory && isInside(dir, modulePath) ? true : entryReaches(dir, pkg, modulePath, isDirectory);
      // By path: `../icons` (the folder's entry), or `../icons/src/types` (spells the name anyway).
      if (viaEntry) {
        out.endings.add(path.basename(dir));
        out.paths.dirs.add(dir);
      }
      if (name !== undefined) {
        if (pkg.exports === undefined) {
          // Without `exports` every subpath is a path into the folder; the root is its entry.
          if (viaEntry) out.exact.add(name);
          out.prefixPaths.add(`${name}/`);
        } else if (!addMapSpellings(pkg.exports, dir, name, modulePath, isDirectory, out)) out.packages.add(name);
      }
      if (pkg.imports !== undefined && !addMapSpellings(pkg.imports, dir, undefined, modulePath, isDirectory, out))
        out.prefixes.add('#');
    }
    if (dir === rootDir || path.dirname(dir) === dir) break;
  }
  return out;
}

/**
 * What the `paths` and `baseUrl` of one tsconfig add: exact aliases and alias prefixes that can
 * lead to one of the modules, and whether bare specifiers are resolved as paths into a folder
 * that holds one (`baseUrl`, or a `*` alias with nothing before the star): then their last segment
 * must spell the module as a relative path does (`bareAsPath`), or whether any bare specifier may
 * reach one without spelling it (`anyBare`: a `*` alias whose target adds to the captured part).
 */
export function aliasSpellings(
  options: ts.CompilerOptions,
  rootDir: string,
  modules: readonly { path: string; isDirectory: boolean }[],
  out: Spellings,
): { bareAsPath: boolean; anyBare: boolean } {
  const base = options.baseUrl ?? (options.configFilePath ? path.dirname(String(options.configFilePath)) : rootDir);
  const below = (dir: string): boolean =>
    modules.some((m) => isInside(m.path, dir) || (m.isDirectory && isInside(dir, m.path)));
  /** A folder at or inside a folder module: whatever a specifier adds below it stays in the module. */
  const inFolderModule = (dir: string): boolean => modules.some((m) => m.isDirectory && isInside(dir, m.path));
  let bareAsPath = options.baseUrl !== undefined && below(options.baseUrl);
  let anyBare = options.baseUrl !== undefined && inFolderModule(options.baseUrl);
  for (const [key, targets] of Object.entries(options.paths ?? {})) {
    const star = key.indexOf('*');
    for (const target of targets) {
      const t = target.indexOf('*');
      if (t < 0) {
        const resolved = path.resolve(base, target);
        if (modules.some((m) => pathReaches(resolved, m.path, m.isDirectory))) {
          if (star < 0) out.exact.add(key);
          else out.prefixes.add(key.slice(0, star));
        }
        continue;
      }
      const staticPart = path.resolve(base, target.slice(0, t));
      const staticDir = target.slice(0, t).endsWith('/') ? staticPart : path.dirname(staticPart);
      if (!below(staticDir)) continue;
      const keyPrefix = star < 0 ? key : key.slice(0, star);
      // `*` -> `src/*`: the rest of the specifier is a path below src, spelling the module's name
      // as a relative path would; anything after the star in the target (`src/*/index`) or a
      // key without a star does not: the whole prefix then passes.
      const suffix = target.slice(t + 1);
      const pathLike =
        star >= 0 &&
        key.slice(star + 1) === '' &&
        (suffix === '' || /^(\.[\w-]+)+$/.test(suffix)) &&
        !inFolderModule(staticDir);
      if (pathLike && keyPrefix === '') bareAsPath = true;
      else if (pathLike) out.prefixPaths.add(keyPrefix);
      else if (keyPrefix === '') anyBare = true;
      else out.prefixes.add(keyPrefix);
    }
  }
  return { bareAsPath, anyBare };
}
