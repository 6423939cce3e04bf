import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from './typescript.cjs';
import type { ImportForm, Resolution } from './types.js';
import { isInside, stripExtension } from '../shared/paths.js';
import { readPackageJson, type PackageJson } from '../shared/package-json.js';

/** The forms that Node resolves as CommonJS `require` calls. */
const REQUIRE_FORMS: ReadonlySet<ImportForm> = new Set(['require', 'import-equals']);

/** Resolution options when a file has no tsconfig: what a modern bundler-based project uses. */
const FALLBACK_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowJs: true,
  resolveJsonModule: true,
};

interface ProjectSettings {
  /** tsconfig path, or '' for the fallback settings. */
  configFile: string;
  options: ts.CompilerOptions;
  cache: ts.ModuleResolutionCache;
  /** Files whose change invalidates these settings (the tsconfig and what it extends). */
  watched: Map<string, number>;
}

interface WorkspacePackage {
  name: string;
  dir: string;
}

function mtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

function realpathOf(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return p;
  }
}

/** A resolution host whose file system answers are remembered until `forget()`. */
interface CachingHost extends ts.ModuleResolutionHost {
  directoryExists(directoryName: string): boolean;
  forget(): void;
}

/**
 * A resolution host that also sees the monorepo's workspace packages under the root's
 * node_modules, as `npm install` would link them: so `@acme/chat/legacy` resolves through the
 * package's own `exports`/`types`/`main` even in a checkout where nothing is installed yet.
 * Existence checks are remembered (resolving one specifier from many folders probes the same
 * paths again and again), for as long as resolution results are: until the resolver's refresh().
 */
function createHost(rootDir: string, workspaces: () => WorkspacePackage[]): CachingHost {
  const nodeModules = path.join(rootDir, 'node_modules');
  let virtualFor: WorkspacePackage[] | undefined;
  let virtualList: WorkspacePackage[] = [];
  const virtual = (): WorkspacePackage[] => {
    const all = workspaces();
    if (all !== virtualFor) {
      virtualFor = all;
      virtualList = all.filter((pkg) => !fs.existsSync(path.join(nodeModules, pkg.name)));
    }
    return virtualList;
  };
  const translate = (p: string): string => {
    if (!p.startsWith(nodeModules + path.sep)) return p;
    const rest = p
      .slice(nodeModules.length + 1)
      .split(path.sep)
      .join('/');
    for (const pkg of virtual()) {
      if (rest === pkg.name || rest.startsWith(pkg.name + '/')) return path.join(pkg.dir, rest.slice(pkg.name.length));
    }
    return p;
  };
  const files = new Map<string, boolean>();
  const dirs = new Map<string, boolean>();
  const directoryExists = (d: string): boolean => {
    if (d === nodeModules && virtual().length > 0) return true;
    if (d.startsWith(nodeModules + path.sep)) {
      const rest = d
        .slice(nodeModules.length + 1)
        .split(path.sep)
        .join('/');
      if (virtual().some((pkg) => pkg.name.startsWith(rest + '/'))) return true; // a scope folder
    }
    const t = translate(d);
    return ts.sys.directoryExists?.(t) ?? fs.existsSync(t);
  };
  return {
    fileExists: (f) => {
      let known = files.get(f);
      if (known === undefined) files.set(f, (known = ts.sys.fileExists(translate(f))));
      return known;
    },
    readFile: (f) => ts.sys.readFile(translate(f)),
    directoryExists: (d) => {
      let known = dirs.get(d);
      if (known === undefined) dirs.set(d, (known = directoryExists(d)));
      return known;
    },
    realpath: (p) => realpathOf(translate(p)),
    getCurrentDirectory: () => rootDir,
    getDirectories: (d) => ts.sys.getDirectories(translate(d)),
    forget: () => {
      files.clear();
      dirs.clear();
      virtualFor = undefined;
    },
  };
}

/**
 * Resolves module specifiers as TypeScript does for the file that wrote them: tsconfig
 * `paths`/`baseUrl`, `.js` written for `.ts`, index files, package `exports`, and workspace
 * packages of a monorepo even when they are not linked into node_modules. Results are cached;
 * `refresh()` drops the cache when a tsconfig (or one it extends) changed.
 */
export class ModuleResolver {
  private readonly rootDir: string;
  private readonly forcedTsconfig: string | undefined;
  private readonly settingsByConfig = new Map<string, ProjectSettings>();
  private readonly configByDir = new Map<string, string>();
  /** Folders whose entries a walk has listed: whether each holds a tsconfig.json / jsconfig.json. */
  private readonly listedFolders = new Map<string, { tsconfig: boolean; jsconfig: boolean }>();
  /** Texts of config files that a walk read (noteFolder): read again from disk by nobody. */
  private readonly configTexts = new Map<string, string>();
  private readonly results = new Map<string, Resolution>();
  private workspaces: WorkspacePackage[] | undefined;
  private readonly host: CachingHost;
  /** Parsed tsconfigs that others extend (a monorepo's base config), shared by every tsconfig. */
  private readonly extendedCache = new Map<string, ts.ExtendedConfigCacheEntry>();

  constructor(rootDir: string, tsconfig?: string) {
    this.rootDir = path.resolve(rootDir);
    this.forcedTsconfig = tsconfig ? path.resolve(rootDir, tsconfig) : undefined;
    this.host = createHost(this.rootDir, () => this.workspacePackages());
  }

  /** Counts the refreshes that dropped the caches: what callers derived from the settings before is stale. */
  generation = 0;

  /** Drops cached results if any tsconfig in use changed on disk. Cheap: a few stat calls. */
  refresh(): boolean {
    for (const settings of this.settingsByConfig.values()) {
      for (const [file, seen] of settings.watched) {
        if (mtime(file) !== seen) {
          this.settingsByConfig.clear();
          this.configByDir.clear();
          this.listedFolders.clear();
          this.configTexts.clear();
          this.results.clear();
          this.lookupPlaces.clear();
          this.extendedCache.clear();
          this.mapsByConfig.clear();
          this.workspaces = undefined;
          this.packageJsons.clear();
          this.host.forget();
          this.generation++;
          return true;
        }
      }
    }
    return false;
  }

  /** The compiler options that apply to a file (for callers that need `paths` or `baseUrl`). */
  optionsFor(file: string): ts.CompilerOptions {
    return this.settingsFor(file).options;
  }

  resolve(specifier: string, fromFile: string, form: ImportForm = 'import'): Resolution {
    const settings = this.settingsFor(fromFile);
    const resolutionMode = this.resolutionMode(fromFile, form, settings);
    const key = `${settings.configFile}\0${resolutionMode}\0${this.placeKey(specifier, fromFile)}\0${specifier}`;
    const cached = this.results.get(key);
    if (cached) return cached;
    const result = this.resolveUncached(specifier, fromFile, resolutionMode, settings);
    this.results.set(key, result);
    return result;
  }

  /**
   * What, besides the settings, the mode and the specifier, a resolution from `fromFile` depends
   * on: the part of the key that lets files in different folders share one result.
   *
   * A relative specifier depends on the folder. A bare one (TypeScript's
   * isExternalModuleNameRelative is false) is looked up, after `paths` and `baseUrl` (settings),
   * in the nearest package.json's `imports` and self-name `exports` (its package scope) and then
   * in the `node_modules` of each ancestor folder; the folders above the project root are the
   * same for every file of it. So files whose folders have the same package scope and the same
   * ancestors holding a node_modules get the same answer, and a repository's canonical specifier,
   * resolved from each of its hundreds of folders, is resolved once per package. Where that
   * reasoning does not hold, the folder stays in the key: files outside the root or inside a
   * node_modules folder (TypeScript skips such ancestors) and Yarn Plug'n'Play (resolution asks
   * PnP about the issuer). (TypeScript reads the requesting folder in one more case: an `outDir`
   * with neither `rootDir` nor a tsconfig, when it maps `exports` back to sources. Settings here
   * come from a tsconfig, whose path they carry, or are FALLBACK_OPTIONS, without `outDir`.)
   */
  private placeKey(specifier: string, fromFile: string): string {
    const dir = path.dirname(fromFile);
    return ts.isExternalModuleNameRelative(specifier) ? dir : this.lookupPlace(dir).key;
  }

  private readonly lookupPlaces = new Map<string, { scope: string; modules: string; key: string }>();

  /** See placeKey: a folder's package scope and its ancestors (up to the root) that hold a node_modules. */
  private lookupPlace(dir: string): { scope: string; modules: string; key: string } {
    let known = this.lookupPlaces.get(dir);
    if (known) return known;
    if (!isInside(dir, this.rootDir) || dir.split(path.sep).includes('node_modules') || process.versions['pnp']) {
      known = { scope: dir, modules: dir, key: `folder\0${dir}` };
    } else {
      const parent = dir === this.rootDir ? { scope: '', modules: '' } : this.lookupPlace(path.dirname(dir));
      const scope = this.host.fileExists(path.join(dir, 'package.json')) ? dir : parent.scope;
      const modules = this.host.directoryExists(path.join(dir, 'node_modules'))
        ? `${dir}\n${parent.modules}`
        : parent.modules;
      known = { scope, modules, key: `scope\0${scope}\0${modules}` };
    }
    this.lookupPlaces.set(dir, known);
    return known;
  }

  private resolveUncached(
    specifier: string,
    fromFile: string,
    resolutionMode: ts.ResolutionMode,
    settings: ProjectSettings,
  ): Resolution {
    if (specifier.startsWith('node:')) return { kind: 'builtin', name: specifier };
    const { resolvedModule } = ts.resolveModuleName(
      specifier,
      fromFile,
      settings.options,
      this.host,
      settings.cache,
      undefined,
      resolutionMode,
    );
    if (resolvedModule) {
      const resolved = path.normalize(resolvedModule.resolvedFileName);
      // A workspace package resolved through the virtual node_modules link is the repo's own code.
      const inRepo = isInside(resolved, this.rootDir) && !resolved.split(path.sep).includes('node_modules');
      return {
        kind: 'file',
        path: resolved,
        isExternalLibrary: inRepo ? false : (resolvedModule.isExternalLibraryImport ?? false),
        ...(resolvedModule.packageId?.name ? { packageName: resolvedModule.packageId.name } : {}),
      };
    }
    if (!specifier.startsWith('.') && !path.isAbsolute(specifier) && isBuiltin(specifier)) {
      return { kind: 'builtin', name: specifier };
    }
    return { kind: 'unresolved' };
  }

  /**
   * Where a specifier would point if the module existed: used to match imports of a deleted
   * legacy module (which resolve nowhere) against its configured path. Relative specifiers and
   * tsconfig `paths` aliases are expanded; extensions are dropped so `./a.js` meets `a.ts`.
   */
  intendedPaths(specifier: string, fromFile: string): string[] {
    if (specifier.startsWith('.') || path.isAbsolute(specifier)) {
      return [stripExtension(path.resolve(path.dirname(fromFile), specifier))];
    }
    const options = this.settingsFor(fromFile).options;
    const out: string[] = [];
    const base =
      options.baseUrl ?? (options.configFilePath ? path.dirname(String(options.configFilePath)) : this.rootDir);
    for (const [pattern, targets] of Object.entries(options.paths ?? {})) {
      const star = pattern.indexOf('*');
      let captured: string | undefined;
      if (star < 0) captured = pattern === specifier ? '' : undefined;
      else {
        const prefix = pattern.slice(0, star);
        const suffix = pattern.slice(star + 1);
        if (
          specifier.startsWith(prefix) &&
          specifier.endsWith(suffix) &&
          specifier.length >= prefix.length + suffix.length
        ) {
          captured = specifier.slice(prefix.length, specifier.length - suffix.length);
        }
      }
      if (captured === undefined) continue;
      for (const target of targets) out.push(stripExtension(path.resolve(base, target.replace('*', captured))));
    }
    if (options.baseUrl) out.push(stripExtension(path.resolve(options.baseUrl, specifier)));
    return out;
  }

  private resolutionMode(fromFile: string, form: ImportForm, settings: ProjectSettings): ts.ResolutionMode {
    if (REQUIRE_FORMS.has(form)) return ts.ModuleKind.CommonJS;
    const kind = settings.options.moduleResolution;
    if (kind === ts.ModuleResolutionKind.Node16 || kind === ts.ModuleResolutionKind.NodeNext) {
      const format = ts.getImpliedNodeFormatForFile(
        fromFile as ts.Path,
        settings.cache.getPackageJsonInfoCache(),
        this.host,
        settings.options,
      );
      return format === ts.ModuleKind.CommonJS ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext;
    }
    return ts.ModuleKind.ESNext;
  }

  /** Packages named by the root package.json `workspaces` globs (npm, yarn, pnpm-style folders). */
  workspacePackages(): WorkspacePackage[] {
    if (this.workspaces) return this.workspaces;
    const found: WorkspacePackage[] = [];
    try {
      const ws = this.packageJson(this.rootDir)?.workspaces;
      const patterns = Array.isArray(ws)
        ? ws
        : ws && typeof ws === 'object'
          ? ((ws as { packages?: unknown }).packages ?? [])
          : [];
      for (const pattern of patterns as unknown[]) {
        if (typeof pattern !== 'string') continue;
        for (const dir of expandWorkspaceGlob(this.rootDir, pattern)) {
          // No package.json, or one without a name or that does not parse: not a package folder.
          const name = this.packageJson(dir)?.name;
          if (typeof name === 'string') found.push({ name, dir });
        }
      }
    } catch {
      // No root package.json or no workspaces.
    }
    // Longest names first so `@a/b-c` wins over `@a/b`.
    this.workspaces = found.sort((a, b) => b.name.length - a.name.length);
    return this.workspaces;
  }

  private readonly packageJsons = new Map<string, PackageJson | undefined>();

  /**
   * A folder's package.json (readPackageJson), read once for as long as the workspace packages
   * are known (until a refresh): workspace discovery and the prefilters' module spellings, which
   * each look at every workspace package, share the reads.
   */
  packageJson(dir: string): PackageJson | undefined {
    if (this.packageJsons.has(dir)) return this.packageJsons.get(dir);
    const pkg = readPackageJson(dir);
    this.packageJsons.set(dir, pkg);
    return pkg;
  }

  /**
   * What a walk of the project saw in a folder (a caller that lists folders anyway, migrate's read
   * thread): whether it holds a tsconfig.json and a jsconfig.json. The search for a file's tsconfig
   * then asks the file system only about folders nobody listed.
   */
  noteFolder(dir: string, tsconfig: boolean | string, jsconfig: boolean | string): void {
    this.listedFolders.set(dir, { tsconfig: tsconfig !== false, jsconfig: jsconfig !== false });
    // A text is what the walk read: the config as it was during this run, as a read here would be.
    if (typeof tsconfig === 'string') this.configTexts.set(path.join(dir, 'tsconfig.json'), tsconfig);
    if (typeof jsconfig === 'string') this.configTexts.set(path.join(dir, 'jsconfig.json'), jsconfig);
  }

  /** A config file's text: as a walk read it (noteFolder), else from disk. */
  private readConfig(file: string): string | undefined {
    const known = this.configTexts.get(file);
    if (known !== undefined) return known;
    return ts.sys.readFile(file);
  }

  /** The tsconfig (or jsconfig) that applies to a file, '' when none does: without parsing it. */
  configFileFor(file: string): string {
    return this.forcedTsconfig ?? this.nearestTsconfig(path.dirname(file));
  }

  /**
   * False only when the tsconfig of `file` and every config it extends are known, from their raw
   * text, to set none of `paths`, `baseUrl` and `rootDirs`: then a bare specifier resolves as a
   * package and a relative one as a plain path, whatever else the configs say. Cheaper than
   * parsing them (the prefilter asks for every file of a large repository).
   */
  mayMapSpecifiers(file: string): boolean {
    return this.mayMap(this.configFileFor(file), 0);
  }

  private readonly mapsByConfig = new Map<string, boolean>();

  private mayMap(configFile: string, depth: number): boolean {
    if (configFile === '') return false;
    let known = this.mapsByConfig.get(configFile);
    if (known !== undefined) return known;
    known = true;
    try {
      const text = this.configTexts.get(configFile) ?? fs.readFileSync(configFile, 'utf8');
      // (a key spelled with an escape, `"p\u0061ths"`, is not read here: such a config maps)
      if (!/["'](?:paths|baseUrl|rootDirs)["']\s*:/.test(text) && !text.includes('\\') && depth < 8) {
        // Only `extends` by path can be followed here; a package's config is assumed to map.
        const ext = /["']extends["']\s*:\s*(\[[^\]]*\]|"[^"]*")/.exec(text);
        const targets = ext ? (JSON.parse(ext[1]!) as string | string[]) : [];
        known = [targets].flat().some((t) => {
          if (typeof t !== 'string' || !(t.startsWith('.') || path.isAbsolute(t))) return true;
          const abs = path.resolve(path.dirname(configFile), t);
          const file = fs.existsSync(abs) && fs.statSync(abs).isFile() ? abs : `${abs}.json`;
          return !fs.existsSync(file) || this.mayMap(file, depth + 1);
        });
      }
    } catch {
      known = true;
    }
    this.mapsByConfig.set(configFile, known);
    return known;
  }

  private settingsFor(file: string): ProjectSettings {
    const configFile = this.configFileFor(file);
    let settings = this.settingsByConfig.get(configFile);
    if (!settings) {
      settings = this.loadSettings(configFile);
      this.settingsByConfig.set(configFile, settings);
    }
    return settings;
  }

  private nearestTsconfig(dir: string): string {
    const seen: string[] = [];
    let current = dir;
    let found = '';
    for (;;) {
      const cached = this.configByDir.get(current);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      seen.push(current);
      const listed = this.listedFolders.get(current);
      if (listed?.tsconfig ?? fs.existsSync(path.join(current, 'tsconfig.json'))) {
        found = path.join(current, 'tsconfig.json');
        break;
      }
      if (listed?.jsconfig ?? fs.existsSync(path.join(current, 'jsconfig.json'))) {
        found = path.join(current, 'jsconfig.json');
        break;
      }
      const parent = path.dirname(current);
      // Never look above the project root: a tsconfig outside it is not this project's.
      if (parent === current || !isInside(parent, this.rootDir)) break;
      current = parent;
    }
    for (const d of seen) this.configByDir.set(d, found);
    return found;
  }

  private loadSettings(configFile: string): ProjectSettings {
    const watched = new Map<string, number>();
    let options: ts.CompilerOptions = { ...FALLBACK_OPTIONS };
    if (configFile) {
      watched.set(configFile, mtime(configFile));
      const extendedCache = this.extendedCache;
      const parsed = ts.getParsedCommandLineOfConfigFile(
        configFile,
        { noEmit: true },
        {
          ...ts.sys,
          readFile: (file) => this.readConfig(file),
          // Only the options matter for resolution: do not enumerate the files `include` matches
          // (a directory walk of the whole project for every tsconfig).
          readDirectory: () => [],
          onUnRecoverableConfigFileDiagnostic: () => undefined,
        },
        extendedCache,
      );
      if (parsed) {
        options = { ...parsed.options, allowJs: true, resolveJsonModule: true };
        if (options.moduleResolution === undefined || options.moduleResolution === ts.ModuleResolutionKind.Classic) {
          // Classic resolution cannot find packages; TypeScript's own default for a missing
          // setting is node10 / bundler depending on `module`; bundler accepts both styles.
          options.moduleResolution = ts.ModuleResolutionKind.Bundler;
          if (options.module === undefined || options.module === ts.ModuleKind.CommonJS)
            options.module = ts.ModuleKind.ESNext;
        }
        for (const extended of (parsed.options.configFile as ts.TsConfigSourceFile | undefined)?.extendedSourceFiles ??
          [])
          watched.set(extended, mtime(extended));
      }
    }
    const cache = ts.createModuleResolutionCache(this.rootDir, (f) => f, options);
    return { configFile, options, cache, watched };
  }
}

const BUILTINS = new Set<string>(
  // `module.builtinModules` without importing `module` here: the list is small and stable.
  [
    'assert',
    'buffer',
    'child_process',
    'cluster',
    'crypto',
    'dgram',
    'dns',
    'events',
    'fs',
    'http',
    'http2',
    'https',
    'net',
    'os',
    'path',
    'perf_hooks',
    'process',
    'querystring',
    'readline',
    'stream',
    'string_decoder',
    'timers',
    'tls',
    'tty',
    'url',
    'util',
    'v8',
    'vm',
    'worker_threads',
    'zlib',
  ],
);

function isBuiltin(specifier: string): boolean {
  return BUILTINS.has(specifier.split('/')[0] ?? specifier);
}

// Plain path helpers (src/shared/paths.ts), still importable from here.
export { isInside, stripExtension };

/** Expands a workspace glob such as `packages/*` or `apps/**` to package folders. */
function expandWorkspaceGlob(rootDir: string, pattern: string): string[] {
  const clean = pattern.replace(/\/+$/, '');
  if (!clean.includes('*')) return [path.join(rootDir, clean)];
  const parts = clean.split('/');
  let dirs = [rootDir];
  for (const part of parts) {
    const next: string[] = [];
    for (const dir of dirs) {
      if (part === '**') {
        next.push(...walkDirs(dir, 3));
      } else if (part.includes('*')) {
        const re = new RegExp('^' + part.split('*').map(escapeRe).join('[^/]*') + '$');
        for (const entry of safeReaddir(dir))
          if (entry.isDirectory() && re.test(entry.name) && entry.name !== 'node_modules')
            next.push(path.join(dir, entry.name));
      } else next.push(path.join(dir, part));
    }
    dirs = next;
  }
  return dirs;
}

function walkDirs(dir: string, depth: number): string[] {
  const out = [dir];
  if (depth === 0) return out;
  for (const entry of safeReaddir(dir)) {
    if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.'))
      out.push(...walkDirs(path.join(dir, entry.name), depth - 1));
  }
  return out;
}

function safeReaddir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
