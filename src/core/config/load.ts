import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { configSchema } from './schema.js';
import { validateAgainstSchema, type SchemaViolation } from './validate.js';
import { PRESETS, presetNamed } from './presets.js';
import { describePattern } from '../pattern.js';
import { compileUserRegex, parseRegexLiteral } from '../user-regex.js';
import { checkOverlaps } from './overlap.js';
import { UsageError } from '../../shared/errors.js';
import { isInside } from '../../shared/paths.js';
import { untrustedFolderReason, untrustedModuleMessage, untrustedModuleReason } from './trust.js';
import type {
  ConceptInput,
  LegacyModuleInput,
  ResolvedConcept,
  ResolvedConfig,
  ResolvedLegacyModule,
  SsotConfigInput,
} from './types.js';

export const CONFIG_FILE_NAMES = ['ssot.config.json', 'ssot.config.mjs', 'ssot.config.js'] as const;

export const DEFAULT_INCLUDE = ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'];

/** Share of code a declaration must have in common with the canonical or a legacy body to be a copy. */
export const DEFAULT_SIMILARITY = 0.8;

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.d.ts'];

/** A config that cannot be used. The CLI prints `message` and exits with code 2. */
export class ConfigError extends UsageError {
  readonly file: string | undefined;
  readonly violations: SchemaViolation[];
  constructor(file: string | undefined, violations: SchemaViolation[], headline?: string) {
    const where = file ?? '(inline options)';
    const lines = violations.map((v) => `  ${v.path}: ${v.message}`);
    super([headline ?? `Invalid ssot config in ${where}:`, ...lines].join('\n'));
    this.file = file;
    this.violations = violations;
  }
}

/**
 * The outermost folder the config search may reach from `startDir`: the root of the git work
 * tree (a folder holding `.git`, a folder or a worktree's file), else the outermost folder holding
 * a package.json (a monorepo's root, above its packages' own), else none. Either way the search
 * also ends where the folders stop being trusted (searchConfigFile).
 */
export function projectBoundary(startDir: string): string | undefined {
  let outermostPackage: string | undefined;
  let dir = path.resolve(startDir);
  for (;;) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (fs.existsSync(path.join(dir, 'package.json'))) outermostPackage = dir;
    const parent = path.dirname(dir);
    if (parent === dir) return outermostPackage;
    dir = parent;
  }
}

/** The config file in `dir`, if any: a config file, else a package.json with an "ssot" key. */
function configIn(dir: string): string | undefined {
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  const pkg = path.join(dir, 'package.json');
  if (fs.existsSync(pkg)) {
    try {
      const json = JSON.parse(fs.readFileSync(pkg, 'utf8')) as Record<string, unknown>;
      if (json && typeof json === 'object' && Object.hasOwn(json, 'ssot')) return pkg;
    } catch {
      // A broken package.json is not ours to report here; keep walking.
    }
  }
  return undefined;
}

export interface ConfigSearch {
  file?: string;
  /** A config the search passed by: it sits in a folder other users can write. */
  ignored?: { file: string; reason: string };
}

/**
 * Walks up from `startDir` to the first folder holding a config, up to the project boundary
 * (projectBoundary) and never into a folder other users can write or another user owns (a config
 * there could be planted; name it with --config to use it).
 */
export function searchConfigFile(startDir: string): ConfigSearch {
  let dir = path.resolve(startDir);
  const boundary = projectBoundary(dir);
  for (;;) {
    const untrusted = untrustedFolderReason(dir);
    if (untrusted) {
      const file = configIn(dir);
      return file ? { ignored: { file, reason: untrusted } } : {};
    }
    const file = configIn(dir);
    if (file) return { file };
    const parent = path.dirname(dir);
    if (parent === dir || dir === boundary) return {};
    dir = parent;
  }
}

/** Walks up from `startDir` to the first folder holding a config; returns its path (see searchConfigFile). */
export function findConfigFile(startDir: string): string | undefined {
  return searchConfigFile(startDir).file;
}

/** Reads the raw config object from a file (JSON, ESM/CJS module default export, package.json key). */
export function readConfigFile(file: string): unknown {
  const base = path.basename(file);
  // A FIFO or device at the config's name would block the read.
  const kind = statKind(file);
  if (kind !== undefined && kind !== 'file') {
    throw new ConfigError(file, [], `ssot config ${file} is not a regular file`);
  }
  if (base.endsWith('.json')) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(file, [], `Cannot read ssot config ${file}: ${(error as Error).message}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
      throw new ConfigError(file, [], `Invalid JSON in ${file}: ${(error as Error).message}`);
    }
    if (base === 'package.json') {
      const record = json as Record<string, unknown>;
      if (!record || typeof record !== 'object' || !Object.hasOwn(record, 'ssot')) {
        throw new ConfigError(file, [{ path: 'ssot', message: 'is required in package.json' }]);
      }
      return record.ssot;
    }
    return json;
  }
  // A config module is code: run it only if no other user could have put it there.
  const untrusted = untrustedModuleReason(file);
  if (untrusted) throw new ConfigError(file, [], untrustedModuleMessage(file, untrusted));
  // Node >= 20.19 can require() an ES module without top-level await, which keeps this sync
  // (ESLint rules must load config synchronously).
  try {
    const require = createRequire(import.meta.url);
    delete require.cache[file];
    const mod = require(file) as { default?: unknown };
    return mod && typeof mod === 'object' && 'default' in mod ? mod.default : mod;
  } catch (error) {
    throw new ConfigError(file, [], `Cannot load ssot config ${file}: ${(error as Error).message}`);
  }
}

function looksLikePath(spec: string, rootDir: string): boolean {
  if (spec.startsWith('./') || spec.startsWith('../') || path.isAbsolute(spec)) return true;
  if (spec.startsWith('@')) return false;
  // A repo path: its first segment exists at the root, or it names a source file.
  const first = spec.split('/')[0] ?? spec;
  if (fs.existsSync(path.join(rootDir, first))) return true;
  return SOURCE_EXTENSIONS.some((ext) => spec.endsWith(ext));
}

function statKind(p: string): 'file' | 'dir' | 'other' | undefined {
  try {
    const st = fs.statSync(p);
    return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
  } catch {
    return undefined;
  }
}

interface ResolvedModulePath {
  kind: 'path' | 'package';
  path?: string;
  isDirectory?: boolean;
  exists: boolean;
}

/** Turns a config module string into an absolute file/folder path or a package specifier. */
export function resolveConfigModule(spec: string, rootDir: string): ResolvedModulePath {
  if (!looksLikePath(spec, rootDir)) return { kind: 'package', exists: true };
  const abs = path.resolve(rootDir, spec);
  const kind = statKind(abs);
  if (kind === 'file') return { kind: 'path', path: abs, isDirectory: false, exists: true };
  if (kind === 'dir') return { kind: 'path', path: abs, isDirectory: true, exists: true };
  for (const ext of SOURCE_EXTENSIONS) {
    if (statKind(abs + ext) === 'file') return { kind: 'path', path: abs + ext, isDirectory: false, exists: true };
  }
  // Deleted: keep it, so that importers that remain are reported as broken.
  const hasExtension = SOURCE_EXTENSIONS.some((ext) => spec.endsWith(ext));
  return { kind: 'path', path: abs, isDirectory: !hasExtension, exists: false };
}

/**
 * Why a `"<package>/*"` legacy entry cannot be used, if it cannot: the part before `/*` must be a
 * package specifier (a repo folder already covers the files inside it), and the migration target
 * must be a package too, since each subpath moves to the same subpath of it.
 */
function subpathPatternProblem(
  subpathsOf: string,
  rootDir: string,
  targetPath: string | undefined,
): string | undefined {
  if (subpathsOf === '' || resolveConfigModule(subpathsOf, rootDir).kind !== 'package') {
    return 'a subpath pattern needs a package specifier before "/*" (a repo folder already covers the files inside it)';
  }
  if (targetPath) {
    return (
      'subpaths move to the same subpath of the migration target, which must then be a package specifier, ' +
      'not a repo path'
    );
  }
  return undefined;
}

/** Whether `p` lies inside `rootDir`, also after resolving symlinks where both exist. */
function insideRoot(p: string, rootDir: string): boolean {
  if (!isInside(p, rootDir)) return false;
  try {
    return isInside(fs.realpathSync(p), fs.realpathSync(rootDir));
  } catch {
    return true; // not there (a deleted module): the lexical answer stands
  }
}

function resolveConcept(
  input: ConceptInput,
  index: number,
  rootDir: string,
  file: string | undefined,
): ResolvedConcept {
  const at = `concepts[${index}]`;
  const preset = input.preset ? presetNamed(input.preset) : undefined;
  if (input.preset && !preset) {
    throw new ConfigError(file, [
      { path: `${at}.preset`, message: `unknown preset "${input.preset}" (known: ${Object.keys(PRESETS).join(', ')})` },
    ]);
  }
  const canonicalModule = input.canonical?.module ?? preset?.canonical?.module;
  if (!canonicalModule) {
    throw new ConfigError(file, [{ path: `${at}.canonical.module`, message: 'is required (or set a preset)' }]);
  }
  const canonicalResolved = resolveConfigModule(canonicalModule, rootDir);
  const detectNames = input.detect?.names ?? preset?.detect?.names ?? [];
  const compatInput = input.compat ?? preset?.compat;
  const compat = compatInput
    ? (() => {
        const r = resolveConfigModule(compatInput.module, rootDir);
        return {
          module: compatInput.module,
          ...(r.kind === 'path' && r.path ? { path: r.path } : {}),
          replacements: { ...(preset?.compat?.replacements ?? {}), ...(compatInput.replacements ?? {}) },
        };
      })()
    : undefined;
  // The names a legacy entry gets when it lists none: the preset's, else the compat layer's, else
  // the whole module ("*"). A `names` or `importNames` that is written is the whole list.
  const defaultNames =
    preset?.defaultLegacyNames ??
    (compat ? Object.fromEntries(Object.keys(compat.replacements).map((n) => [n, n])) : { '*': '*' });
  const legacy: ResolvedLegacyModule[] = (input.legacy ?? []).map((entry, li) => {
    const where = `${at}.legacy[${li}]`;
    const extra = {
      ...(entry.importNames ? { importNames: entry.importNames } : {}),
      ...(entry.allowTypeImports !== undefined ? { allowTypeImports: entry.allowTypeImports } : {}),
      ...(entry.message !== undefined ? { message: entry.message } : {}),
    };
    const names = legacyNames(file, where, entry, defaultNames);
    if (entry.pattern) {
      if (entry.module !== undefined)
        throw new ConfigError(file, [{ path: where, message: 'set either module or pattern, not both' }]);
      const p = entry.pattern;
      if (!(p.exact?.length || p.group?.length || p.regex)) {
        throw new ConfigError(file, [{ path: `${where}.pattern`, message: 'needs exact, group or regex' }]);
      }
      if (p.regex !== undefined) userRegex(file, `${where}.pattern.regex`, p.regex, '');
      return { module: describePattern(p), kind: 'package' as const, pattern: p, exists: true, names, ...extra };
    }
    if (entry.module === undefined) {
      throw new ConfigError(file, [{ path: `${where}.module`, message: 'is required (or set a pattern)' }]);
    }
    if (entry.module.endsWith('/*')) {
      const subpathsOf = entry.module.slice(0, -2);
      const targetPath = compat ? compat.path : canonicalResolved.kind === 'path' ? canonicalResolved.path : undefined;
      const problem = subpathPatternProblem(subpathsOf, rootDir, targetPath);
      if (problem) {
        throw new ConfigError(file, [{ path: `${at}.legacy[${li}].module`, message: `"${entry.module}": ${problem}` }]);
      }
      return { module: entry.module, kind: 'package' as const, exists: true, names, subpathsOf, ...extra };
    }
    const r = resolveConfigModule(entry.module, rootDir);
    // A legacy module is reported "safe to delete" and its importers rewritten: it must be the project's.
    if (r.kind === 'path' && r.path && !insideRoot(r.path, rootDir)) {
      const message = `"${entry.module}" resolves to ${r.path}, outside the project root ${rootDir}`;
      throw new ConfigError(file, [{ path: `${at}.legacy[${li}].module`, message }]);
    }
    return {
      module: entry.module,
      kind: r.kind,
      ...(r.path ? { path: r.path } : {}),
      ...(r.isDirectory !== undefined ? { isDirectory: r.isDirectory } : {}),
      exists: r.exists,
      names,
      ...extra,
    };
  });
  const canonicalNames =
    input.canonical?.names ?? preset?.canonical?.names ?? detectNames.filter((n) => !n.startsWith('/'));
  const heritage = input.detect?.heritage ??
    preset?.detect?.heritage ?? [
      ...new Set([...canonicalNames, ...detectNames.filter((n) => !n.startsWith('/') && /^[A-Z]/.test(n))]),
    ];
  const members = input.detect?.members ?? preset?.detect?.members ?? [];
  const registries = input.detect?.registries ?? preset?.detect?.registries;
  return {
    id: input.id,
    ...(input.preset ? { preset: input.preset } : {}),
    ...((input.description ?? preset?.description) ? { description: input.description ?? preset?.description } : {}),
    canonical: {
      module: canonicalModule,
      ...(canonicalResolved.kind === 'path' && canonicalResolved.path ? { path: canonicalResolved.path } : {}),
      files: input.canonical?.files ?? preset?.canonical?.files ?? [],
      names: canonicalNames,
    },
    ...(compat ? { compat } : {}),
    legacy,
    detect: {
      names: detectNames,
      members,
      minMembers: input.detect?.minMembers ?? preset?.detect?.minMembers ?? Math.max(2, Math.ceil(members.length / 2)),
      heritage,
      ...(registries ? { registries: registries.map((r) => ({ ...r })) } : {}),
      similarity: input.detect?.similarity ?? preset?.detect?.similarity ?? DEFAULT_SIMILARITY,
    },
    allow: input.allow ?? [],
  };
}

/** Validates a raw config object and applies presets and defaults. */
export function resolveConfig(raw: unknown, rootDir: string, file?: string): ResolvedConfig {
  const violations = validateAgainstSchema(raw, configSchema);
  if (violations.length > 0) throw new ConfigError(file, violations);
  const input = raw as SsotConfigInput;
  // Regular expressions in detect.names must compile (to a linear-time matcher); say which one does not.
  input.concepts.forEach((concept, ci) =>
    (concept.detect?.names ?? []).forEach((name, ni) => {
      const literal = parseRegexLiteral(name);
      if (literal) userRegex(file, `concepts[${ci}].detect.names[${ni}]`, literal.source, literal.flags);
    }),
  );
  const ids = new Set<string>();
  input.concepts.forEach((concept, ci) => {
    if (ids.has(concept.id))
      throw new ConfigError(file, [{ path: `concepts[${ci}].id`, message: `duplicate concept id "${concept.id}"` }]);
    ids.add(concept.id);
  });
  const tsconfig = input.tsconfig ? path.resolve(rootDir, input.tsconfig) : undefined;
  if (tsconfig && !fs.existsSync(tsconfig)) {
    throw new ConfigError(file, [{ path: 'tsconfig', message: `file not found: ${tsconfig}` }]);
  }
  const concepts = input.concepts.map((concept, i) => resolveConcept(concept, i, rootDir, file));
  const overlaps = checkOverlaps(concepts, rootDir);
  if (overlaps.length > 0) throw new ConfigError(file, overlaps);
  return {
    ...(file ? { configPath: file } : {}),
    rootDir,
    include: input.include ?? DEFAULT_INCLUDE,
    exclude: input.exclude ?? [],
    ...(tsconfig ? { tsconfig } : {}),
    concepts,
  };
}

/**
 * The concept's names on one legacy module, each with its name in the migration target. What is
 * written is the whole list, never added to: `names` (its keys; "*" alone means every name),
 * or `importNames` (no-restricted-imports' spelling: those names, each mapped by `names` when
 * both are set, else to the preset's or compat layer's name for it, else to itself). Neither:
 * `defaults` (the preset's names, the compat layer's names, or "*").
 */
function legacyNames(
  file: string | undefined,
  where: string,
  entry: LegacyModuleInput,
  defaults: Record<string, string>,
): Record<string, string> {
  const { names, importNames } = entry;
  if (names && Object.keys(names).length === 0) {
    throw new ConfigError(file, [
      {
        path: `${where}.names`,
        message: 'lists no name: the module would hold no concept site (write {"*": "*"} for every name)',
      },
    ]);
  }
  if (importNames && importNames.length === 0) {
    throw new ConfigError(file, [
      {
        path: `${where}.importNames`,
        message: 'lists no name: the module would hold no concept site (leave it out for every name)',
      },
    ]);
  }
  if (!importNames) return { ...(names ?? defaults) };
  const unlisted = Object.keys(names ?? {}).filter((n) => !importNames.includes(n));
  if (unlisted.length > 0) {
    throw new ConfigError(file, [
      {
        path: `${where}.names`,
        message: `${unlisted.map((n) => JSON.stringify(n)).join(', ')} not in ${where}.importNames, which lists the concept's names on this module`,
      },
    ]);
  }
  const own = (map: Record<string, string> | undefined, n: string): string | undefined =>
    map && Object.hasOwn(map, n) ? map[n] : undefined;
  return Object.fromEntries(importNames.map((n) => [n, own(names, n) ?? own(defaults, n) ?? n]));
}

/** Compiles a user's regular expression as the core will run it; refuses it with its key path. */
function userRegex(file: string | undefined, keyPath: string, source: string, flags: string): void {
  try {
    compileUserRegex(source, flags);
  } catch (error) {
    throw new ConfigError(file, [
      { path: keyPath, message: `invalid regular expression: ${(error as Error).message}` },
    ]);
  }
}

export interface LoadConfigOptions {
  /** Folder to start the upward search from (default: process.cwd()). */
  cwd?: string;
  /** Explicit config path (`--config`); no search then. */
  configPath?: string;
}

/** Finds, reads, validates and resolves the config. Throws ConfigError on any problem. */
export function loadConfig(options: LoadConfigOptions = {}): ResolvedConfig {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const search: ConfigSearch = options.configPath
    ? { file: path.resolve(cwd, options.configPath) }
    : searchConfigFile(cwd);
  const file = search.file;
  if (!file) {
    const { ignored } = search;
    const why = ignored ? ` Ignored ${ignored.file}: ${ignored.reason} (name it with --config to use it).` : '';
    throw new ConfigError(
      undefined,
      [],
      `No ssot config found in ${cwd} or a parent folder up to the project root (the git work tree's root, ` +
        `else the outermost folder of a package.json; looked for ${CONFIG_FILE_NAMES.join(', ')} and a "ssot" key in ` +
        `package.json).${why} Run \`ssot init\` to write one.`,
    );
  }
  if (!fs.existsSync(file)) throw new ConfigError(file, [], `Config file not found: ${file}`);
  return resolveConfig(readConfigFile(file), path.dirname(file), file);
}

/**
 * Finds the config the way every command does: `--config`, else walking up from the first path
 * named (or the cwd). A named path that is the project root means "the whole project".
 */
export function loadConfigFor(options: { paths?: readonly string[]; configPath?: string; cwd?: string }): {
  config: ResolvedConfig;
  paths: string[];
} {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const absPaths = (options.paths ?? []).map((p) => path.resolve(cwd, p));
  let start = cwd;
  const first = absPaths[0];
  if (!options.configPath && first) {
    try {
      start = fs.statSync(first).isDirectory() ? first : path.dirname(first);
    } catch {
      start = path.dirname(first);
    }
  }
  const config = loadConfig({
    cwd: options.configPath ? cwd : start,
    ...(options.configPath ? { configPath: options.configPath } : {}),
  });
  const paths = absPaths.filter((p) => p !== config.rootDir);
  return { config, paths };
}
