import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveOrSelfReference } from '../../codemods/checker-scope.js';
import { remembered, SourceFileCache } from '../../codemods/checker-program.js';
import ts from '../core/typescript.cjs';
import type { ResolvedConfig } from '../core/config/types.js';
import { ModuleResolver } from '../core/resolve.js';
import type { TypecheckFinding } from './run.js';
import { whyNotProvenAlike } from './typecheck-proof.js';

/** Options when a file has no tsconfig: what a modern bundler-based project uses. */
const FALLBACK_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  allowJs: true,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
};

/** Marks the copy of a rewritten file that holds its original text (beside it: same imports, same module format). */
const ORIGINAL_MARK = '.__ssot_original__';

/** A rewritten file: its path (the new text is on disk) and its original text. */
export interface Rewritten {
  file: string;
  original: string;
}

/** What `--typecheck` found: diagnostics per file, and which files were proven rather than checked. */
export interface TypecheckResult {
  before: Map<string, TypecheckFinding[]>;
  after: Map<string, TypecheckFinding[]>;
  /** Rewritten files whose imports bind what their originals' did (typecheck-proof.ts): not checked. */
  proven: Set<string>;
  /** Why the proof did not hold, per checked file (empty when proofs were not tried). */
  unproven: Map<string, string>;
  /**
   * Rewritten files no program holds, as `tsc -p` would not: JavaScript without `allowJs`.
   * Neither checked nor proven.
   */
  outside: Set<string>;
}

/**
 * `--typecheck`: the diagnostics of every rewritten file before and after its rewrite. One
 * TypeScript program per set of compiler options the files' tsconfigs give (a monorepo's packages
 * mostly share one) holds the rewritten files as they are on disk; what they import is read for
 * its types, never checked itself. A copy of a file's original text goes beside it under a name of
 * its own (`a.__ssot_original__.ts` next to `a.ts`, so its imports resolve as the original's did)
 * wherever the original is needed:
 * 1. Files a proof can hold for (worthProving) get their copies in a first program, and
 *    each whose imports bind the same declarations as its original's is proven to type-check as
 *    before (whyNotProvenAlike) and is not checked. That program's checker only resolves imports,
 *    and is gone before the next one checks.
 * 2. The others are checked in a program without copies (oldProgram: every parsed file and
 *    resolution reused). A file without a diagnostic now has no new one.
 * 3. The originals of the files with diagnostics are checked in a program that adds their copies
 *    (oldProgram again), after the second checker is gone.
 * The programs share the files they parse alike (TypeScript's lib files above all) and are built
 * one at a time, so memory follows the touched part of the repository and one checking checker.
 */
export function typecheckRewrites(
  config: ResolvedConfig,
  rewritten: readonly Rewritten[],
  /** The run's parsed files (stage 1's fit check may have parsed the lib files already). */
  sourceFiles: SourceFileCache = new SourceFileCache(),
  /** `false`: check every file, prove none (the harness that compares the two, tests). */
  { prove = true }: { prove?: boolean } = {},
): TypecheckResult {
  const resolver = new ModuleResolver(config.rootDir, config.tsconfig);
  // Files go to one program per set of compiler options: the tsconfigs of a monorepo's packages
  // mostly differ only in the files they list, and one program then serves them all.
  const settingsByConfig = new Map<string, { options: ts.CompilerOptions; declarations: string[] }>();
  const groups = new Map<string, { options: ts.CompilerOptions; declarations: Set<string>; list: Rewritten[] }>();
  for (const r of rewritten) {
    const configFile = resolver.configFileFor(r.file);
    let settings = settingsByConfig.get(configFile);
    if (!settings) settingsByConfig.set(configFile, (settings = compilerOptions(configFile)));
    const { configFilePath: _path, configFile: _file, ...shaping } = settings.options;
    const key = JSON.stringify(shaping);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { options: settings.options, declarations: new Set(), list: [] }));
    for (const d of settings.declarations) group.declarations.add(d);
    group.list.push(r);
  }
  const before = new Map<string, TypecheckFinding[]>();
  const after = new Map<string, TypecheckFinding[]>();
  const proven = new Set<string>();
  const unproven = new Map<string, string>();
  const outside = new Set<string>();
  for (const { options, declarations, list } of groups.values()) {
    const originals = new Map(list.map((r) => [originalPath(path.resolve(r.file)), r]));
    const resolutions = new Map<string, ts.ResolvedModuleWithFailedLookupLocations>();
    const { host, resolveName } = hostWithOriginals(options, originals, sourceFiles, resolutions);
    // The project's own declaration files (global types, `declare module`) apply to every file.
    const roots = [...list.map((r) => path.resolve(r.file)), ...declarations];
    const copiesOf = (files: readonly Rewritten[]): string[] => files.map((r) => originalPath(path.resolve(r.file)));
    const withCopies = (files: readonly Rewritten[], oldProgram?: ts.Program): ts.Program =>
      ts.createProgram({ rootNames: [...roots, ...copiesOf(files)], options, host, oldProgram });
    // Proofs are tried only where they can hold (worthProving): no copy of a file is parsed
    // before a check needs it otherwise.
    const resolveFrom = (file: string) => (specifier: string) => resolveName(specifier, file).resolvedModule;
    const candidates = prove
      ? list.filter((r) => {
          if (worthProving(r.original, textNow(r.file), resolveFrom(r.file))) return true;
          unproven.set(r.file, 'more changed than specifiers, or a specifier resolved unlike (by its text)');
          return false;
        })
      : [];
    let proving = candidates.length > 0 ? withCopies(candidates) : undefined;
    let program = proving ? undefined : ts.createProgram({ rootNames: roots, options, host });
    // A file the first program does not take (JavaScript without allowJs) is in none of them.
    const first = (proving ?? program)!;
    const inPrograms = list.filter((r) => {
      if (first.getSourceFile(path.resolve(r.file))) return true;
      outside.add(r.file);
      unproven.delete(r.file);
      after.set(r.file, []);
      return false;
    });
    let toCheck: Rewritten[] = inPrograms;
    if (proving) {
      const checker = proving.getTypeChecker();
      const resolutionOf = (sf: ts.SourceFile, literal: ts.StringLiteral) => {
        const mode = ts.getModeForUsageLocation(sf, literal, options);
        const found = resolutions.get(resolutionKey(sf.fileName, literal.text, mode));
        return found ? found.resolvedModule : 'unknown';
      };
      const tried = new Set(candidates);
      toCheck = [];
      for (const r of inPrograms) {
        if (!tried.has(r)) {
          toCheck.push(r);
          continue;
        }
        const now = proving.getSourceFile(path.resolve(r.file))!;
        const then = proving.getSourceFile(originalPath(path.resolve(r.file)));
        const why = then ? whyNotProvenAlike(proving, checker, now, then, resolutionOf) : 'no original in the program';
        if (why === undefined) {
          proven.add(r.file);
          after.set(r.file, []);
        } else {
          unproven.set(r.file, why);
          toCheck.push(r);
        }
      }
    }
    if (toCheck.length === 0) continue;
    // The rewritten files are checked without the copies beside them, whose declarations could
    // clash with theirs (a script's globals, `declare global`), and after the proving checker
    // is gone: at most one checker at a time does work.
    program ??= ts.createProgram({ rootNames: roots, options, host, oldProgram: proving });
    proving = undefined;
    const withErrors: Rewritten[] = [];
    for (const r of toCheck) {
      const now = diagnosticsOf(program, path.resolve(r.file), r.file);
      after.set(r.file, now);
      // Without a diagnostic now there is no new one: the original need not be checked.
      if (now.length > 0) withErrors.push(r);
    }
    if (withErrors.length === 0) continue;
    // The originals of those files join the program: TypeScript reuses every file and resolution
    // of the first program (oldProgram), and one checker reports the originals.
    const originalsProgram = withCopies(withErrors, program);
    program = undefined; // its checker goes before the originals are checked
    for (const r of withErrors) {
      const copy = originalPath(path.resolve(r.file));
      // A message that names the copy names the file itself.
      before.set(
        r.file,
        diagnosticsOf(originalsProgram, copy, r.file).map((d) => ({
          ...d,
          message: d.message
            .split(path.basename(copy, path.extname(copy)))
            .join(path.basename(r.file, path.extname(r.file))),
        })),
      );
    }
  }
  return { before, after, proven, unproven, outside };
}

/**
 * Whether a proof is worth trying for a file, from its two texts alone (the proof itself decides
 * from the program, so this only has to let every provable file through): line by line, the texts
 * differ only inside quoted strings, and each changed string resolves as a module name like the
 * one it replaces (both to no file, or both to files of one extension). A migration that renames,
 * rewrites calls or moves names to other files then pays neither the copies nor the proving
 * checker. No parse: a look at the lines costs next to nothing beside a program.
 */
function worthProving(
  before: string,
  after: string | undefined,
  resolve: (specifier: string) => ts.ResolvedModuleFull | undefined,
): boolean {
  if (after === undefined) return false;
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    const quotedA = a[i]!.match(QUOTED) ?? [];
    const quotedB = b[i]!.match(QUOTED) ?? [];
    if (a[i]!.replace(QUOTED, "''") !== b[i]!.replace(QUOTED, "''") || quotedA.length !== quotedB.length) return false;
    for (let q = 0; q < quotedA.length; q++) {
      if (quotedA[q] === quotedB[q]) continue;
      if (resolve(quotedA[q]!.slice(1, -1))?.extension !== resolve(quotedB[q]!.slice(1, -1))?.extension) return false;
    }
  }
  return true;
}

/** The file's text as written, or `undefined` if it cannot be read now (no proof is tried then). */
function textNow(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** A single- or double-quoted string on one line (escapes kept: the value is only resolved). */
const QUOTED = /'[^'\\\n]*(?:\\.[^'\\\n]*)*'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"/g;

function resolutionKey(containingFile: string, text: string, mode: ts.ResolutionMode): string {
  return `${path.resolve(containingFile)}\0${mode ?? ''}\0${text}`;
}

/** `a.ts` -> `a.__ssot_original__.ts`, `a.d.ts` -> `a.__ssot_original__.d.ts`. */
function originalPath(file: string): string {
  const ext = /(\.d)?\.(c|m)?(t|j)sx?$/.exec(file)?.[0] ?? '';
  return `${file.slice(0, file.length - ext.length)}${ORIGINAL_MARK}${ext}`;
}

function diagnosticsOf(program: ts.Program, fileName: string, reported: string): TypecheckFinding[] {
  const sf = program.getSourceFile(fileName);
  if (!sf) return [];
  return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => {
    const pos = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
    return {
      file: reported,
      line: pos.line + 1,
      column: pos.character + 1,
      code: d.code,
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    };
  });
}

function compilerOptions(configFile: string): { options: ts.CompilerOptions; declarations: string[] } {
  if (!configFile) return { options: FALLBACK_OPTIONS, declarations: [] };
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configFile,
    { noEmit: true },
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!parsed) return { options: FALLBACK_OPTIONS, declarations: [] };
  // Only diagnostics are asked for: nothing is emitted, no build info, no project file list to match.
  const { incremental: _incremental, composite: _composite, tsBuildInfoFile: _buildInfo, ...options } = parsed.options;
  return {
    options: { ...options, noEmit: true },
    declarations: parsed.fileNames.filter((f) => /\.d\.(c|m)?ts$/.test(f)),
  };
}

/**
 * A compiler host that also serves the copies of the original texts, and takes parsed files from
 * (and gives them to) the cache every program of the run shares.
 */
function hostWithOriginals(
  options: ts.CompilerOptions,
  originals: Map<string, Rewritten>,
  cache: SourceFileCache,
  /** Every resolution the programs make, for the proof (by containing file, mode and name). */
  resolutions: Map<string, ts.ResolvedModuleWithFailedLookupLocations>,
): {
  host: ts.CompilerHost;
  resolveName: (
    name: string,
    containingFile: string,
    mode?: ts.ResolutionMode,
  ) => ts.ResolvedModuleWithFailedLookupLocations;
} {
  const host = ts.createCompilerHost(options, false);
  // JSDoc is parsed only where it can hold types or type errors (JS files, @ts-check): as tsc does.
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  const fileExists = remembered(host.fileExists.bind(host));
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  // Module names resolve as the project resolves them, and `ssot-kit/...` also before the package
  // is installed (a compat layer's import in a rewritten file; see resolveOrSelfReference).
  const resolutionCache = ts.createModuleResolutionCache(
    host.getCurrentDirectory(),
    host.getCanonicalFileName,
    options,
  );
  const resolveName = (
    name: string,
    containingFile: string,
    mode?: ts.ResolutionMode,
    opts: ts.CompilerOptions = options,
    redirectedReference?: ts.ResolvedProjectReference,
  ): ts.ResolvedModuleWithFailedLookupLocations =>
    resolveOrSelfReference(name, containingFile, opts, {
      resolve: (from, o) => ts.resolveModuleName(name, from, o, host, resolutionCache, redirectedReference, mode),
      found: (r) => r.resolvedModule !== undefined,
      asBundler: (o) => ({ ...o, moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext }),
    });
  host.resolveModuleNameLiterals = (literals, containingFile, redirectedReference, opts, containingSourceFile) =>
    literals.map((literal) => {
      const mode = ts.getModeForUsageLocation(containingSourceFile, literal, opts);
      const found = resolveName(literal.text, containingFile, mode, opts, redirectedReference);
      resolutions.set(resolutionKey(containingFile, literal.text, mode), found);
      return found;
    });
  host.fileExists = (f) => originals.has(path.resolve(f)) || fileExists(f);
  host.directoryExists = remembered(host.directoryExists?.bind(host) ?? ts.sys.directoryExists);
  host.readFile = (f) => originals.get(path.resolve(f))?.original ?? readFile(f);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreate) => {
    const abs = path.resolve(fileName);
    const original = originals.get(abs);
    if (original) return ts.createSourceFile(fileName, original.original, languageVersionOrOptions);
    // A parsed (and bound) file serves another program only under the same options that shape it.
    const key = SourceFileCache.key(abs, languageVersionOrOptions, options);
    const cached = cache.get(key);
    if (cached) return cached;
    const sf = getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreate);
    if (sf) cache.set(key, sf);
    return sf;
  };
  return { host, resolveName };
}
