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
 * mostly share one) holds the rewritten files as they are on disk and a copy of each one's original
 * text beside it under a name of its own (`a.__ssot_original__.ts` next to `a.ts`, so its imports
 * resolve as the original's did); what they import is read for its types, never checked itself.
 * A file whose imports bind the same declarations as its original's is proven to type-check as
 * before (whyNotProvenAlike) and is not checked. The others are checked in a program without the
 * copies (oldProgram: every parsed file and resolution reused); a file without a diagnostic now
 * has no new one, and the originals of the rest are checked by the first program's checker. The
 * programs share the files they parse alike (TypeScript's lib files above all) and are built one
 * at a time, so memory follows the touched part of the repository and at most two checkers at a
 * time, the first of which has only resolved imports when the second checks.
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
    const host = hostWithOriginals(options, originals, sourceFiles, resolutions);
    // The project's own declaration files (global types, `declare module`) apply to every file.
    const roots = [...list.map((r) => path.resolve(r.file)), ...declarations];
    const copies = [...originals.keys()];
    const copiesProgram = (oldProgram?: ts.Program): ts.Program =>
      ts.createProgram({ rootNames: [...roots, ...copies], options, host, oldProgram });
    // With proofs, the program with the copies comes first; without, only where a file has errors.
    let withCopies = prove ? copiesProgram() : undefined;
    let program = withCopies ? undefined : ts.createProgram({ rootNames: roots, options, host });
    const first = (withCopies ?? program)!;
    const toCheck: Rewritten[] = [];
    const inProgram = list.filter((r) => {
      if (first.getSourceFile(path.resolve(r.file))) return true;
      outside.add(r.file);
      after.set(r.file, []);
      return false;
    });
    if (withCopies) {
      const checker = withCopies.getTypeChecker();
      const resolutionOf = (sf: ts.SourceFile, literal: ts.StringLiteral) => {
        const mode = ts.getModeForUsageLocation(sf, literal, options);
        const found = resolutions.get(resolutionKey(sf.fileName, literal.text, mode));
        return found ? found.resolvedModule : 'unknown';
      };
      for (const r of inProgram) {
        const now = withCopies.getSourceFile(path.resolve(r.file));
        const then = withCopies.getSourceFile(originalPath(path.resolve(r.file)));
        const why =
          now && then ? whyNotProvenAlike(withCopies, checker, now, then, resolutionOf) : 'not in the program';
        if (why === undefined) {
          proven.add(r.file);
          after.set(r.file, []);
        } else {
          unproven.set(r.file, why);
          toCheck.push(r);
        }
      }
    } else toCheck.push(...inProgram);
    if (toCheck.length === 0) continue;
    // The rewritten files are checked without the copies beside them, whose declarations could
    // clash with theirs (a script's globals, `declare global`).
    program ??= ts.createProgram({ rootNames: roots, options, host, oldProgram: withCopies });
    const withErrors: Rewritten[] = [];
    for (const r of toCheck) {
      const now = diagnosticsOf(program, path.resolve(r.file), r.file);
      after.set(r.file, now);
      // Without a diagnostic now there is no new one: the original need not be checked.
      if (now.length > 0) withErrors.push(r);
    }
    if (withErrors.length === 0) continue;
    withCopies ??= copiesProgram(program);
    program = undefined; // its checker goes before the originals are checked
    for (const r of withErrors) {
      const copy = originalPath(path.resolve(r.file));
      // A message that names the copy names the file itself.
      before.set(
        r.file,
        diagnosticsOf(withCopies, copy, r.file).map((d) => ({
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
): ts.CompilerHost {
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
  host.resolveModuleNameLiterals = (literals, containingFile, redirectedReference, opts, containingSourceFile) =>
    literals.map((literal) => {
      const mode = ts.getModeForUsageLocation(containingSourceFile, literal, opts);
      const found = resolveOrSelfReference(literal.text, containingFile, opts, {
        resolve: (from, o) =>
          ts.resolveModuleName(literal.text, from, o, host, resolutionCache, redirectedReference, mode),
        found: (r) => r.resolvedModule !== undefined,
        asBundler: (o) => ({ ...o, moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext }),
      });
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
  return host;
}
