import * as fs from 'node:fs';
import * as path from 'node:path';
import type ts from './typescript.cjs';
import type { LegacyPatternInput, ResolvedConfig } from './config/types.js';
import type { ModuleResolver } from './resolve.js';
import { isInside } from './resolve.js';
import { patternNeedles, regexLiteral } from './pattern.js';
import {
  aliasSpellings,
  emptySpellings,
  moduleSpellings,
  packageEntryReaches,
  pathLeadsTo,
  type Spellings,
} from './spellings.js';

/**
 * A text prefilter that is sound: it passes every file that can hold a finding, and rules out as
 * many as a specifier's text allows. Every import form (import/export declarations, `import x =
 * require()`, `require()`, `import()`, `import('x').T`, mocks) names its module with a string
 * literal, and TypeScript can resolve a literal to a module M only if:
 *
 * - it is a path (`./`, `../`, `/`): its last segment is M's file name (any extension: `.js` for
 *   `.ts`, `moduleSuffixes`), or the name of a folder whose index or package.json entry is M, or it
 *   is only dots and slashes (an index reached through its folder), or, for a folder module, it
 *   passes through the folder's name;
 * - it is bare: it starts with the name of a package whose folder holds M (its root entry, a subpath
 *   that is again a path into the folder, or an `exports` entry that can reach M, read from its
 *   package.json), a `#imports` key that can, a legacy package specifier, or a tsconfig `paths`
 *   alias that can (an exact alias, or a prefix whose rest is a path below a folder holding M); or
 *   it is resolved as a path against `baseUrl` (or a bare `*` alias), and then must spell M as a path does.
 *
 * So a file whose text holds no string literal of those shapes cannot import M and is not parsed.
 * The literals are found in the raw text with regular expressions anchored on quotes: no pairing
 * of quotes (a quote in a comment cannot hide a literal) and, in a file that holds a backslash, each
 * character may be an escape (`'./ty\u0070es'` is `./types`) or a line continuation. Findings
 * other than imports (duplicate declarations) need their names: those stay plain text needles.
 *
 * Assumed, as TypeScript's own resolution does: a `package.json` entry that points outside its
 * folder is read for workspace packages and the folders above a module only, and a symlink to M
 * under another file name is not followed by the text.
 */
export interface Prefilter {
  /**
   * True when the text may hold a finding and must be parsed. `file` (absolute): its tsconfig's
   * `paths`/`baseUrl` are taken into account, and a file inside a configured folder module always
   * passes (its imports of siblings are internal sites that need not spell the folder's name).
   * Without `file`, every alias and `baseUrl` of the root's tsconfig is assumed to apply.
   */
  mayMatch(text: string, file?: string): boolean;
  /**
   * True when a module specifier written in `file` may name a configured (legacy, canonical or
   * compat) module, so it must be resolved; false proves it cannot, by the same argument.
   */
  specifierMayMatch(specifier: string, file: string): boolean;
  /** The literal needles (names, packages, aliases), for documentation and tests. */
  readonly needles: readonly string[];
  /** True when the filter is disabled (every file passes). */
  readonly passAll: boolean;
  /**
   * The offsets (opening quotes) of every string literal of `text` that can name a module, by
   * the shapes mayMatch looks for: any import site of a module is one of them. Undefined when
   * the filter passes `file` for another reason (a pattern, a folder module it is in, an alias
   * that can name anything) and so cannot list them.
   */
  shapedLiterals(text: string, file: string): number[] | undefined;
  /**
   * True when a file's bytes (valid UTF-8) prove mayMatch false without decoding them: no
   * backslash (so no escape) and none of the plain strings every match contains. False says nothing.
   */
  rulesOutBytes(bytes: Uint8Array, file: string): boolean;
}

// ---- regular expressions over raw text ---------------------------------------------------------

const QUOTE = `['"\`]`;
/**
 * The closing quote, looked at but not consumed: a match never swallows the opening quote of the
 * next literal, so scanning every match of a text finds every literal of a module's shape.
 */
const CLOSE = `(?=['"\`])`;
/** Any JS escape sequence (a string literal may spell any character with one). */
const ESCAPE = String.raw`\\(?:u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[^\r\n])`;
/** A line continuation inside a string literal: backslash + line terminator. */
const CONTINUATION = String.raw`\\(?:\r\n|[\r\n\u2028\u2029])`;

const BACKSLASH = 0x5c;

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Every BMP character that lower-cases to something other than itself, grouped by its lower case:
 * built in one pass over the BMP, the first time a case-insensitive pattern needs it (a pass per
 * letter would repeat the same 65,536 toLowerCase calls for every letter of every pattern).
 */
let lowerCaseGroups: Map<string, string[]> | undefined;
/** Every BMP character whose toLowerCase() equals that of `c` (`K`, `k` and the Kelvin sign for `k`). */
function sameLowerCase(c: string): string[] {
  if (!lowerCaseGroups) {
    lowerCaseGroups = new Map();
    for (let code = 0; code < 0x10000; code++) {
      const ch = String.fromCharCode(code);
      const lower = ch.toLowerCase();
      if (lower === ch) continue;
      const group = lowerCaseGroups.get(lower);
      if (group) group.push(ch);
      else lowerCaseGroups.set(lower, [ch]);
    }
  }
  const lower = c.toLowerCase();
  // The characters that are their own lower case are left out of the table: `lower` is one when it is a
  // single BMP character (toLowerCase is idempotent there); then it leads the group, in code order.
  const changed = lowerCaseGroups.get(lower) ?? [];
  const group = lower.length === 1 && lower.toLowerCase() === lower ? [lower, ...changed] : [...changed];
  group.sort((a, b) => a.charCodeAt(0) - b.charCodeAt(0));
  if (!group.includes(c)) group.push(c);
  return group;
}

/** Regex parts for one of two modes: text without any backslash (exact, fast) or with one (escape-tolerant). */
function parts(escapes: boolean) {
  const ch = (c: string): string => (escapes ? `(?:${CONTINUATION})*(?:${escapeRe(c)}|${ESCAPE})` : escapeRe(c));
  const lit = (s: string): string => [...s].map(ch).join('');
  const alt = (list: Iterable<string>): string => `(?:${[...list].map(lit).join('|')})`;
  /** Any character that lower-cases as `c` does (how compileSpecifierPattern compares: toLowerCase). */
  const anyCase = (c: string): string => {
    const variants = sameLowerCase(c).map(escapeRe);
    const one = variants.length > 1 ? `(?:${variants.join('|')})` : variants[0]!;
    return escapes ? `(?:${CONTINUATION})*(?:${one}|${ESCAPE})` : one;
  };
  const altAnyCase = (list: Iterable<string>): string =>
    `(?:${[...list].map((s) => [...s].map(anyCase).join('')).join('|')})`;
  // A backslash in the text is a path separator once TypeScript normalizes it.
  const slash = escapes ? `(?:[/\\\\]|${ESCAPE}|${CONTINUATION})` : '[/\\\\]';
  const mid = escapes ? `(?:[^'"\`\\\\\\r\\n]|\\\\[\\s\\S])` : '[^\'"`\\r\\n]';
  const word = escapes ? String.raw`(?:[\w-]|${ESCAPE}|${CONTINUATION})` : String.raw`[\w-]`;
  const dot = escapes ? `(?:\\.|${ESCAPE}|${CONTINUATION})` : '\\.';
  /** After a file name: extensions, and `/`, `/index`, `/index.js` after a folder name. */
  const tail = `(?:${dot}${word}+)*(?:${slash}(?:${lit('index')}(?:${dot}${word}+)*)?)?`;
  return { lit, alt, altAnyCase, slash, mid, tail, dot };
}

interface Shapes {
  spellings: Spellings;
  /** Bare specifiers are paths (baseUrl, bare `*` alias): they must spell a module as paths do. */
  bareAsPath: boolean;
}

/**
 * Two regex sources: `bare` matches the literals that name a module without a path (packages,
 * aliases, `#imports`, baseUrl paths); `path` matches `./`, `../`, `/` literals whose last segment
 * (or a folder segment) spells a module, which are then resolved as paths (see literalMatches).
 */
function shapesSource({ spellings: s, bareAsPath }: Shapes, escapes: boolean): { bare?: string; path?: string } {
  const { alt, altAnyCase, slash, mid, tail, dot } = parts(escapes);
  const bare: string[] = [];
  const paths: string[] = [];
  const pathEnd = [
    ...(s.endings.size > 0 ? [`${alt(s.endings)}${tail}`] : []),
    ...(s.folders.size > 0 ? [`${alt(s.folders)}(?:${slash}${mid}*)?`] : []),
  ];
  if (pathEnd.length > 0) {
    const end = `(?:${pathEnd.join('|')})${CLOSE}`;
    // `./x`, `../../x`, `/abs/x`: the last segment (or a folder segment) spells the module.
    paths.push(`${QUOTE}(?:${dot}){0,2}${slash}(?:${mid}*${slash})?${end}`);
    if (bareAsPath) bare.push(`${QUOTE}(?:${mid}*${slash})?${end}`);
    if (s.prefixPaths.size > 0) bare.push(`${QUOTE}${alt(s.prefixPaths)}(?:${mid}*${slash})?${end}`);
  }
  if (s.dotsOnly) paths.push(`${QUOTE}(?:${dot}|${slash})+${CLOSE}`);
  if (s.packages.size > 0) bare.push(`${QUOTE}${alt(s.packages)}(?:${slash}${mid}*)?${CLOSE}`);
  if (s.exact.size > 0) bare.push(`${QUOTE}${alt(s.exact)}${CLOSE}`);
  if (s.exactAnyCase.size > 0) bare.push(`${QUOTE}${altAnyCase(s.exactAnyCase)}${CLOSE}`);
  if (s.prefixes.size > 0) bare.push(`${QUOTE}${alt(s.prefixes)}${mid}*${CLOSE}`);
  return {
    ...(bare.length > 0 ? { bare: bare.join('|') } : {}),
    ...(paths.length > 0 ? { path: paths.join('|') } : {}),
  };
}

interface ShapeRegexes {
  bare?: RegExp;
  /** Global: every match is looked at (see literalMatches). */
  path?: RegExp;
  /** Global version of `bare`, to list every literal (see shapedLiterals). */
  bareAll?: RegExp;
}

/**
 * A needle of `quick` with the bytes around it that any literal of the shapes has in text without a
 * backslash (see shapesSource): a module name ends a path segment (then extensions, then a slash
 * or the closing quote), a folder name is followed by a slash or the closing quote, and a bare
 * specifier's start follows the opening quote. Every literal of the shapes holds one of these.
 */
interface QuickTest {
  needle: string;
  bytes: number;
  quoteBefore: boolean;
  after: 'any' | 'quote' | 'slash-or-quote' | 'file-tail';
}

interface CompiledShapes {
  /** For text without a backslash / with one. */
  plain: ShapeRegexes;
  escaped: ShapeRegexes;
  /** Plain strings one of which text without a backslash must contain to match at all. */
  quick: string[];
  /** The same needles with the bytes around them (rulesOutBytes). */
  quickTests: QuickTest[];
  /** A bare `*` alias adds to what it captures: any bare literal may name a module. */
  anyBare: boolean;
  /** Where path literals must lead; undefined when `rootDirs` lets a relative path land elsewhere. */
  targets?: Spellings['paths'];
}

function compile(shapes: Shapes, anyBare: boolean, exactPaths: boolean): CompiledShapes {
  const regexes = (escapes: boolean): ShapeRegexes => {
    const src = shapesSource(shapes, escapes);
    return {
      ...(src.bare ? { bare: new RegExp(src.bare), bareAll: new RegExp(src.bare, 'g') } : {}),
      ...(src.path ? { path: new RegExp(src.path, 'g') } : {}),
    };
  };
  const s = shapes.spellings;
  const quick = [...s.endings, ...s.folders, ...s.packages, ...s.exact, ...s.prefixes, ...s.prefixPaths];
  // Without a plain needle every text must meet the regexes (`..` of an index, a specifier in any case).
  const noQuick = s.dotsOnly || s.exactAnyCase.size > 0;
  const test = (quoteBefore: boolean, after: QuickTest['after']) => (needle: string) => ({
    needle,
    bytes: Buffer.byteLength(needle),
    quoteBefore,
    after,
  });
  const quickTests: QuickTest[] = [
    ...[...s.endings].map(test(false, 'file-tail')),
    ...[...s.folders].map(test(false, 'slash-or-quote')),
    ...[...s.packages].map(test(true, 'slash-or-quote')),
    ...[...s.exact].map(test(true, 'quote')),
    ...[...s.prefixes].map(test(true, 'any')),
    // A `prefixPaths` literal continues with a path whose end spells the module (an ending or a
    // folder): the tests of those needles find it.
  ];
  return {
    plain: regexes(false),
    escaped: regexes(true),
    quick: noQuick ? [] : quick,
    quickTests: noQuick ? [] : quickTests,
    anyBare,
    ...(exactPaths ? { targets: s.paths } : {}),
  };
}

/** realpath of a folder (symlinked folders lead elsewhere), remembered for the run. */
function createRealDir(): (dir: string) => string {
  const known = new Map<string, string>();
  return (dir) => {
    let real = known.get(dir);
    if (real === undefined) {
      try {
        real = fs.realpathSync.native(dir);
      } catch {
        real = dir;
      }
      known.set(dir, real);
    }
    return real;
  };
}

const QUOTES = new Set([0x22, 0x27, 0x60]);
const SLASH = 0x2f;
const DOT = 0x2e;

/** `[\w-]` of the regexes, on a byte: ASCII letters, digits, `_`, `-`. */
function isWordByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f || b === 0x2d;
}

/** Whether the needle of `t` occurs in `buffer` (text without a backslash) with its context. */
function occursInContext(buffer: Buffer, t: QuickTest): boolean {
  for (let i = buffer.indexOf(t.needle); i >= 0; i = buffer.indexOf(t.needle, i + 1)) {
    if (t.quoteBefore && !(i > 0 && QUOTES.has(buffer[i - 1]!))) continue;
    let j = i + t.bytes;
    if (t.after === 'any') return true;
    if (t.after === 'file-tail') {
      // Extensions (`(?:\.[\w-]+)*`), then a slash (`/`, `/index...`) or the closing quote.
      while (buffer[j] === DOT && j + 1 < buffer.length && isWordByte(buffer[j + 1]!)) {
        j += 2;
        while (j < buffer.length && isWordByte(buffer[j]!)) j++;
      }
    }
    const next = buffer[j];
    if (next === undefined) continue;
    if (QUOTES.has(next) || (t.after !== 'quote' && next === SLASH)) return true;
  }
  return false;
}

/**
 * True when some string literal of `text` has one of the shapes. A path literal counts only if,
 * resolved against `fromDir` (the importer's folder, its symlinks followed), it can lead to a
 * module: `./types` in an unrelated folder is another file. A path literal written with escapes
 * is not decoded here: it counts.
 */
function literalMatches(
  c: CompiledShapes,
  text: string,
  fromDir: string | undefined,
  realDir: (dir: string) => string,
): boolean {
  if (c.anyBare) return true;
  const plain = !text.includes('\\');
  // Cheap first: without a backslash a literal spells its shape in plain characters.
  if (plain && c.quick.length > 0 && !c.quick.some((q) => text.includes(q))) return false;
  const re = plain ? c.plain : c.escaped;
  if (re.bare?.test(text)) return true;
  if (!re.path) return false;
  if (!c.targets || fromDir === undefined) {
    re.path.lastIndex = 0;
    return re.path.test(text);
  }
  re.path.lastIndex = 0;
  for (let m = re.path.exec(text); m !== null; m = re.path.exec(text)) {
    if (pathLiteralLeads(m[0], fromDir, c.targets, realDir)) return true;
  }
  return false;
}

/** A path literal (opening quote included, closing quote not) that can lead to a module from `fromDir`. */
function pathLiteralLeads(
  match: string,
  fromDir: string,
  targets: Spellings['paths'],
  realDir: (dir: string) => string,
): boolean {
  const literal = match.slice(1);
  if (literal.includes('\\')) return true;
  const abs = path.resolve(fromDir, literal);
  if (pathLeadsTo(abs, targets)) return true;
  const real = realDir(path.dirname(abs));
  return real !== path.dirname(abs) && pathLeadsTo(path.join(real, path.basename(abs)), targets);
}

/** The offsets (opening quotes) of every literal of a module's shape in `text`, sorted. */
function shapedOffsets(c: CompiledShapes, text: string, fromDir: string, realDir: (dir: string) => string): number[] {
  const re = text.includes('\\') ? c.escaped : c.plain;
  const out: number[] = [];
  if (re.bareAll) {
    re.bareAll.lastIndex = 0;
    for (let m = re.bareAll.exec(text); m !== null; m = re.bareAll.exec(text)) out.push(m.index);
  }
  if (re.path) {
    re.path.lastIndex = 0;
    for (let m = re.path.exec(text); m !== null; m = re.path.exec(text)) {
      if (!c.targets || pathLiteralLeads(m[0], fromDir, c.targets, realDir)) out.push(m.index);
    }
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

// ---- the prefilter ------------------------------------------------------------------------------

/** A pattern of `exact` specifiers only (no `group`, no `regex`). */
function onlyExact(pattern: LegacyPatternInput): boolean {
  return (pattern.exact ?? []).length > 0 && (pattern.group ?? []).length === 0 && !pattern.regex;
}

/**
 * `legacyImportsOnly`: a narrower filter for adapters that only act on legacy import sites (the
 * codemod): only the shapes of the legacy modules; no canonical/compat modules, no declaration
 * names or member groups. Sound for legacy sites by the same argument.
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
   * Called the first time a file's text is judged: finding the words parses the bodies, which a
   * caller that only asks about specifiers (the classifier, in `ssot migrate`) never needs.
   */
  copies: () => (readonly string[] | undefined)[];
}

export function createPrefilter(
  config: ResolvedConfig,
  resolver: ModuleResolver,
  options: { legacyImportsOnly?: boolean; duplicates?: DuplicateScope } = {},
): Prefilter {
  const rootDir = config.rootDir;
  const readPackage = (dir: string) => resolver.packageJson(dir);
  /** Needles every match contains (declaration names, pattern literals): plain text search. */
  const needles = new Set<string>();
  /** Needles of case-insensitive specifier patterns, lower-cased; matched against the lower-cased text. */
  const lowerNeedles = new Set<string>();
  /** Pattern needles only (they also decide specifierMayMatch). */
  const patternTexts = new Set<string>();
  let passAll = false;
  const memberGroups: { members: string[]; min: number }[] = [];
  const spellings = emptySpellings();
  /** Files and folders importers reach by path (legacy, canonical, compat, canonical.files). */
  const modules: { path: string; isDirectory: boolean }[] = [];
  const addModule = (p: string, isDirectory: boolean): void => {
    modules.push({ path: p, isDirectory });
    moduleSpellings(p, isDirectory, rootDir, spellings, readPackage);
  };

  for (const concept of config.concepts) {
    for (const legacy of concept.legacy) {
      if (legacy.pattern && onlyExact(legacy.pattern)) {
        // `exact` specifiers are literals of their own: matched as such, in any case unless caseSensitive.
        for (const e of legacy.pattern.exact ?? [])
          (legacy.pattern.caseSensitive ? spellings.exact : spellings.exactAnyCase).add(e);
      } else if (legacy.pattern) {
        const found = patternNeedles(legacy.pattern);
        if (!found) passAll = true;
        else if (found.caseInsensitive) for (const n of found.needles) lowerNeedles.add(n);
        else for (const n of found.needles) patternTexts.add(n);
      } else if (legacy.kind === 'package') {
        // A package legacy module is its root entry; `<package>/*` stands for its subpaths.
        if (legacy.subpathsOf !== undefined) spellings.packages.add(legacy.subpathsOf);
        else spellings.exact.add(legacy.module);
      } else if (legacy.path) addModule(legacy.path, Boolean(legacy.isDirectory));
    }
    if (options.legacyImportsOnly) continue;
    for (const mod of [concept.canonical, concept.compat]) {
      if (!mod) continue;
      if (mod.path) addModule(mod.path, false);
      else spellings.packages.add(mod.module);
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

  // Files matched by `canonical.files` count as the canonical module when imported. A glob with a
  // static folder (`src/router/**`) acts as a folder module; a fully static glob is a file module.
  // A glob without a static folder gives no shape, and then every file passes.
  if (!options.legacyImportsOnly) {
    for (const glob of config.concepts.flatMap((c) => c.canonical.files)) {
      const segments = glob.replace(/^\.\//, '').split('/');
      const firstDynamic = segments.findIndex((part) => /[*?[\]{}!()]/.test(part));
      if (firstDynamic === 0) passAll = true;
      else if (firstDynamic < 0) addModule(path.resolve(rootDir, ...segments), false);
      else addModule(path.resolve(rootDir, ...segments.slice(0, firstDynamic)), true);
    }
  }
  // A workspace package inside a folder module is imported by its name, and one whose entry
  // points out of its own folder to a module is imported by its name or folder.
  for (const pkg of resolver.workspacePackages()) {
    if (modules.some((m) => m.isDirectory && isInside(pkg.dir, m.path))) spellings.packages.add(pkg.name);
    else if (!modules.some((m) => isInside(m.path, pkg.dir))) {
      if (packageEntryReaches(pkg.dir, modules, readPackage)) {
        spellings.exact.add(pkg.name);
        spellings.endings.add(path.basename(pkg.dir));
        spellings.paths.dirs.add(pkg.dir);
      }
    }
  }

  const folderModules = modules.filter((m) => m.isDirectory).map((m) => m.path);
  const insideFolderModule = (file: string): boolean => folderModules.some((dir) => isInside(file, dir));

  /** The shapes for files under one tsconfig (its `paths`/`baseUrl`), compiled once per options object. */
  const byOptions = new WeakMap<object, CompiledShapes>();
  const shapesFor = (compilerOptions: ts.CompilerOptions): CompiledShapes => {
    const cached = byOptions.get(compilerOptions);
    if (cached) return cached;
    const own = copySpellings(spellings);
    const { bareAsPath, anyBare } = aliasSpellings(compilerOptions, rootDir, modules, own);
    // `rootDirs` lets `./x` land in another root: then any path literal that spells a module counts.
    const compiled = compile({ spellings: own, bareAsPath }, anyBare, (compilerOptions.rootDirs ?? []).length === 0);
    byOptions.set(compilerOptions, compiled);
    return compiled;
  };
  /** Files whose tsconfig sets no `paths`, `baseUrl` or `rootDirs`: the module shapes alone, exact paths. */
  const unmapped = compile({ spellings, bareAsPath: false }, false, true);
  /**
   * By folder: a file's tsconfig is the nearest one above its folder (or the one given), so the
   * files of a folder share their shapes, and a large repository asks once per folder, not per file.
   */
  const shapesByDir = new Map<string, CompiledShapes>();
  let generation = resolver.generation;
  const shapesOf = (file: string): CompiledShapes => {
    // A tsconfig changed on disk (ModuleResolver.refresh): the folders' shapes are known no more.
    if (resolver.generation !== generation) {
      shapesByDir.clear();
      generation = resolver.generation;
    }
    const dir = path.dirname(file);
    let shapes = shapesByDir.get(dir);
    if (!shapes) {
      shapes = resolver.mayMapSpecifiers(file) ? shapesFor(resolver.optionsFor(file)) : unmapped;
      shapesByDir.set(dir, shapes);
    }
    return shapes;
  };
  const probe = path.join(rootDir, '__ssot_probe__.ts');
  /** Without a file: the root's aliases, and bare specifiers taken as paths (any `baseUrl` may apply). */
  const anyFile = ((): CompiledShapes => {
    const own = copySpellings(spellings);
    const { anyBare } = aliasSpellings(resolver.optionsFor(probe), rootDir, modules, own);
    return compile({ spellings: own, bareAsPath: true }, anyBare, false);
  })();
  const realDir = createRealDir();

  const nameList = [...needles].filter((n) => n.length > 0);
  const patternList = [...patternTexts].filter((n) => n.length > 0);
  const lowerList = [...lowerNeedles].filter((n) => n.length > 0);
  const registries = !options.legacyImportsOnly && options.duplicates?.registries === true;
  const copiesOf = options.legacyImportsOnly ? undefined : options.duplicates?.copies;
  let copyScope: { passAll: boolean; words: string[] } | undefined;
  /** The copy words, and whether a body without any makes every text pass (see DuplicateScope). */
  const copies = (): { passAll: boolean; words: string[] } => {
    if (!copyScope) {
      const found = copiesOf?.() ?? [];
      copyScope = { passAll: found.some((c) => c === undefined), words: [...new Set(found.flatMap((c) => c ?? []))] };
    }
    return copyScope;
  };
  /** Every text passes (a specifier's verdict never depends on copies: see specifierMayMatch). */
  const textPassAll = (): boolean => passAll || copies().passAll;
  const containsPattern = (text: string): boolean => {
    for (const needle of patternList) if (text.includes(needle)) return true;
    if (lowerList.length > 0) {
      const lower = text.toLowerCase();
      for (const needle of lowerList) if (lower.includes(needle)) return true;
    }
    return false;
  };
  const shown = [
    ...spellings.endings,
    ...spellings.folders,
    ...spellings.packages,
    ...spellings.exact,
    ...spellings.exactAnyCase,
    ...spellings.prefixes,
    ...spellings.prefixPaths,
  ];
  return {
    needles: [...new Set([...shown, ...nameList, ...patternList, ...lowerList])],
    get passAll() {
      return textPassAll();
    },
    specifierMayMatch(specifier: string, file: string): boolean {
      // Copies are found by their words, never by a specifier: only the import shapes decide here.
      if (passAll) return true;
      if (containsPattern(specifier)) return true;
      // Relative imports inside a folder module: internal sites that need not spell its name.
      if ((specifier.startsWith('.') || path.isAbsolute(specifier)) && insideFolderModule(file)) return true;
      // The decoded specifier as a literal of its own (a quote inside it cannot end it).
      const literal = `'${specifier.replace(/['"`\r\n\\]/g, (c) => (c === '\\' ? '/' : '_'))}'`;
      return literalMatches(shapesOf(file), literal, path.dirname(file), realDir);
    },
    rulesOutBytes(bytes: Uint8Array, file: string): boolean {
      if (passAll || registries || lowerList.length > 0 || memberGroups.length > 0) return false;
      if (copies().passAll || copies().words.length > 0) return false;
      if (insideFolderModule(file)) return false;
      const shapes = shapesOf(file);
      if (shapes.anyBare || shapes.quick.length === 0) return false;
      const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (buffer.includes(BACKSLASH)) return false;
      // A literal of the shapes holds a needle in its place (quickTests), not merely anywhere.
      for (const t of shapes.quickTests) if (occursInContext(buffer, t)) return false;
      for (const needle of patternList) if (buffer.includes(needle)) return false;
      for (const needle of nameList) if (buffer.includes(needle)) return false;
      return true;
    },
    shapedLiterals(text: string, file: string): number[] | undefined {
      if (textPassAll() || patternList.length > 0 || lowerList.length > 0 || insideFolderModule(file)) return undefined;
      const shapes = shapesOf(file);
      if (shapes.anyBare) return undefined;
      return shapedOffsets(shapes, text, path.dirname(file), realDir);
    },
    mayMatch(text: string, file?: string): boolean {
      if (textPassAll()) return true;
      if (file !== undefined && insideFolderModule(file)) return true;
      const shapes = file === undefined ? anyFile : shapesOf(file);
      if (literalMatches(shapes, text, file === undefined ? undefined : path.dirname(file), realDir)) return true;
      if (containsPattern(text)) return true;
      for (const needle of nameList) if (text.includes(needle)) return true;
      for (const group of memberGroups) {
        let count = 0;
        for (const m of group.members) if (text.includes(m) && ++count >= group.min) return true;
      }
      if (registries && REGISTRATION_TEXT.test(text) && DISPATCH_TEXT.test(text)) return true;
      // A copy spells one of the words (a `\u` escape could spell any identifier).
      const copyWords = copies().words;
      if (copyWords.length > 0 && (text.includes('\\u') || copyWords.some((w) => text.includes(w)))) return true;
      return false;
    },
  };
}

/** A copy whose sets a tsconfig's aliases can add to without changing the shared spellings. */
function copySpellings(spellings: Spellings): Spellings {
  return {
    ...spellings,
    exact: new Set(spellings.exact),
    exactAnyCase: new Set(spellings.exactAnyCase),
    prefixes: new Set(spellings.prefixes),
    prefixPaths: new Set(spellings.prefixPaths),
  };
}
