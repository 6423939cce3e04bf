import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedConcept, ResolvedConfig } from '../src/core/config/types.js';
import ts from '../src/core/typescript.cjs';
import { keepsResolution, resolveOrSelfReference, type Scope } from './checker-scope.js';
import type { Finding } from './findings.js';

/**
 * Parsed (and, once a checker ran, bound) files that one program gives the next: a file serves
 * another program only under the same options that shape it (TypeScript's source-file-affecting
 * options, the language version, module format and JSDoc mode). A run's project files stay in the
 * run's cache (stage 1's fit check hands them to `--typecheck` only where no rewrite came between).
 * Stable files (TypeScript's lib files, installed packages: `isStableFile`) are kept for the whole
 * process, checked against their size and modification time, so every program of the process
 * parses and binds the default lib and `@types/node` once: a run's several programs, and the runs a
 * long-lived process makes (the test suite, the differential harness, a programmatic caller).
 */
export class SourceFileCache {
  private readonly files = new Map<string, ts.SourceFile>();
  private static readonly stable = new Map<string, { sf: ts.SourceFile; stamp: string }>();

  /** The cache key of a file under some options. */
  static key(
    fileName: string,
    languageVersionOrOptions: ts.ScriptTarget | ts.CreateSourceFileOptions,
    options: ts.CompilerOptions,
  ): string {
    const settings =
      typeof languageVersionOrOptions === 'object'
        ? `${languageVersionOrOptions.languageVersion}/${languageVersionOrOptions.impliedNodeFormat ?? ''}/${languageVersionOrOptions.jsDocParsingMode ?? ''}`
        : String(languageVersionOrOptions);
    const affecting = JSON.stringify(
      (
        ts as unknown as { sourceFileAffectingCompilerOptions?: { name: string }[] }
      ).sourceFileAffectingCompilerOptions?.map((o) => options[o.name]) ?? options,
    );
    return `${path.resolve(fileName)}\0${settings}\0${affecting}`;
  }

  get(key: string): ts.SourceFile | undefined {
    const file = fileOfKey(key);
    if (!isStableFile(file)) return this.files.get(key);
    const kept = SourceFileCache.stable.get(key);
    return kept && kept.stamp === stampOf(file) ? kept.sf : undefined;
  }

  set(key: string, sf: ts.SourceFile): void {
    const file = fileOfKey(key);
    if (!isStableFile(file)) this.files.set(key, sf);
    else SourceFileCache.stable.set(key, { sf, stamp: stampOf(file) });
  }
}

function fileOfKey(key: string): string {
  return key.slice(0, key.indexOf('\0'));
}

/** Size and modification time: a package reinstalled while the process runs is parsed again. */
function stampOf(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** TypeScript's lib files and installed packages: no run rewrites them. */
export function isStableFile(file: string): boolean {
  return file.split(/[\\/]/).includes('node_modules') || path.resolve(file).startsWith(LIB_DIR);
}

const LIB_DIR = path.dirname(ts.getDefaultLibFilePath({})) + path.sep;

/**
 * The type checker of the codemods that need one, on the core's TypeScript: stage 1's fit
 * (compat-fit.ts) and stage 2 (canonical-api.ts) only ask the checker (symbols, types,
 * diagnostics) and replace whole file texts, so they need no ts-morph Project, and a run loads one
 * TypeScript, not two (ts-morph bundles its own). The program holds the files given, what they
 * import within the scope (checker-scope.ts), installed packages and the lib files; a text replaced
 * builds the next program from this one (oldProgram: every parsed file and resolution reused) and
 * checks again only the files asked for.
 */
export class CheckerProgram {
  private readonly options: ts.CompilerOptions;
  private readonly host: ts.CompilerHost;
  private readonly roots: string[];
  /** Texts that replace the files' own (a planned rewrite under check). */
  private readonly texts = new Map<string, string>();
  private readonly replaced = new Map<string, ts.SourceFile>();
  private current: ts.Program | undefined;
  /** The program over the files' own texts, kept for the diagnostics of the originals. */
  private first: ts.Program | undefined;

  /**
   * `shared`: the run's cache, which gives the files this program parses to `--typecheck` (stable
   * files are kept for the whole process whichever cache holds them).
   * `checkJs`: also type-check JavaScript files (stage 1 checks what it writes into them).
   */
  constructor(
    config: ResolvedConfig,
    roots: readonly string[],
    scope: Scope,
    {
      shared = new SourceFileCache(),
      checkJs = false,
    }: { shared?: SourceFileCache | undefined; checkJs?: boolean } = {},
  ) {
    this.options = { ...checkerCompilerOptions(config), ...(checkJs ? { checkJs: true } : {}) };
    this.roots = roots.map((f) => path.resolve(f));
    this.host = scopedHost(this.options, scope, this.texts, this.replaced, shared);
  }

  get program(): ts.Program {
    this.current ??= ts.createProgram({
      rootNames: this.roots,
      options: this.options,
      host: this.host,
      ...(this.previous ? { oldProgram: this.previous } : {}),
    });
    this.previous = undefined;
    if (this.texts.size === 0) this.first ??= this.current;
    return this.current;
  }

  private previous: ts.Program | undefined;

  get checker(): ts.TypeChecker {
    return this.program.getTypeChecker();
  }

  sourceFile(file: string): ts.SourceFile | undefined {
    return this.program.getSourceFile(path.resolve(file));
  }

  /** Puts `text` in place of the file's current text (its own, when `text` is undefined). */
  setText(file: string, text: string | undefined): void {
    const abs = path.resolve(file);
    if (text === undefined) this.texts.delete(abs);
    else this.texts.set(abs, text);
    this.replaced.delete(abs);
    if (this.current) this.previous = this.current;
    this.current = undefined;
  }

  /** Where `specifier` points from `fromFile` (with the `ssot-kit` self-reference of checker-scope.ts). */
  resolve(specifier: string, fromFile: string): string | undefined {
    return resolveWith(this.host, this.options, specifier, path.resolve(fromFile))?.resolvedFileName;
  }

  /**
   * Syntactic and semantic diagnostics of some files, as plain data: as the files are now, or with
   * their own texts (`original`: from the first program, which this one keeps).
   */
  diagnostics(files: readonly string[], which: 'now' | 'original' = 'now'): Map<string, Finding[]> {
    if (which === 'original' && !this.first && this.texts.size > 0)
      throw new Error('the program of the original texts was never built');
    const program = which === 'original' ? (this.first ?? this.program) : this.program;
    const out = new Map<string, Finding[]>();
    for (const file of files) {
      const sf = program.getSourceFile(path.resolve(file));
      if (!sf) continue;
      const list = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
      out.set(
        file,
        list.map((d) => {
          const pos = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
          return {
            file,
            ...(d.start !== undefined ? { start: d.start } : {}),
            line: pos.line + 1,
            column: pos.character + 1,
            code: d.code,
            message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
          };
        }),
      );
    }
    return out;
  }
}

/** The options of the project's tsconfig, else a bundler project's. */
function checkerCompilerOptions(config: ResolvedConfig): ts.CompilerOptions {
  const fallback: ts.CompilerOptions = {
    allowJs: true,
    strict: true,
    noEmit: true,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    module: ts.ModuleKind.ESNext,
    target: ts.ScriptTarget.ES2022,
  };
  const tsconfig = config.tsconfig ?? path.join(config.rootDir, 'tsconfig.json');
  if (!fs.existsSync(tsconfig)) return fallback;
  const parsed = ts.getParsedCommandLineOfConfigFile(
    tsconfig,
    { noEmit: true },
    // Only the options matter: the files `include` matches are not enumerated (a directory walk).
    { ...ts.sys, readDirectory: () => [], onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!parsed) return fallback;
  // Only diagnostics are asked for: nothing is emitted, no build info.
  const { incremental: _incremental, composite: _composite, tsBuildInfoFile: _buildInfo, ...options } = parsed.options;
  return { ...options, noEmit: true };
}

function resolveWith(
  host: ts.ModuleResolutionHost,
  options: ts.CompilerOptions,
  name: string,
  containingFile: string,
  cache?: ts.ModuleResolutionCache,
  mode?: ts.ResolutionMode,
): ts.ResolvedModuleFull | undefined {
  return resolveOrSelfReference(name, containingFile, options, {
    resolve: (from, o) => ts.resolveModuleName(name, from, o, host, cache, undefined, mode).resolvedModule,
    found: (r) => r !== undefined,
    asBundler: (o) => ({ ...o, moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext }),
  });
}

/**
 * A file-system lookup that answers each path once: for a compiler host whose module resolution
 * asks for the same folders and files over and over, in a run that creates no folder and adds or
 * deletes no file an import can name.
 */
export function remembered(exists: (path: string) => boolean): (path: string) => boolean {
  const answers = new Map<string, boolean>();
  return (p) => {
    let answer = answers.get(p);
    if (answer === undefined) answers.set(p, (answer = exists(p)));
    return answer;
  };
}

/**
 * A compiler host that serves replaced texts, keeps every other parsed file for the next program,
 * and resolves within the scope (checker-scope.ts): a project file outside the scope
 * stays unresolved (its names are `any` to the checker), so the program holds the files involved,
 * not the import closure of a monorepo.
 */
function scopedHost(
  options: ts.CompilerOptions,
  scope: Scope,
  texts: ReadonlyMap<string, string>,
  replaced: Map<string, ts.SourceFile>,
  shared: SourceFileCache,
): ts.CompilerHost {
  const host = ts.createCompilerHost(options, false);
  // JSDoc is parsed only where it can hold types or type errors (JS files, @ts-check): as tsc does.
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  const cache = ts.createModuleResolutionCache(host.getCurrentDirectory(), host.getCanonicalFileName, options);
  const parsed = new Map<string, ts.SourceFile>();
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreate) => {
    const abs = path.resolve(fileName);
    const text = texts.get(abs);
    if (text !== undefined) {
      let sf = replaced.get(abs);
      if (!sf) replaced.set(abs, (sf = ts.createSourceFile(fileName, text, languageVersionOrOptions)));
      return sf;
    }
    let sf = parsed.get(abs);
    if (!sf) {
      const key = isStableFile(abs) ? SourceFileCache.key(abs, languageVersionOrOptions, options) : undefined;
      sf = (key && shared.get(key)) || getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreate);
      if (sf) parsed.set(abs, sf);
      if (sf && key) shared.set(key, sf);
    }
    return sf;
  };
  const readFile = host.readFile.bind(host);
  host.readFile = (f) => texts.get(path.resolve(f)) ?? readFile(f);
  // Each import walks up to every node_modules and @types folder and tries each extension: one
  // answer per path for the program's life (a run's temp files have names no import spells).
  host.directoryExists = remembered(host.directoryExists?.bind(host) ?? ts.sys.directoryExists);
  host.fileExists = remembered(host.fileExists.bind(host));
  host.resolveModuleNameLiterals = (literals, containingFile, _redirected, opts, containingSourceFile) =>
    literals.map((literal) => {
      const mode = ts.getModeForUsageLocation(containingSourceFile, literal, opts);
      const found = resolveWith(host, opts, literal.text, containingFile, cache, mode);
      return { resolvedModule: !found || keepsResolution(scope, containingFile, found) ? found : undefined };
    });
  return host;
}

/**
 * Where a concept's compat layer and canonical module are, as seen from `fromFile`: the config's
 * path, else the module name resolved as the checker resolves it. Both stages make them roots of
 * their program (the checker asks for their exports), so they resolve them before building it.
 */
export function conceptModuleFiles(
  resolver: Pick<CheckerProgram, 'resolve'>,
  concept: ResolvedConcept,
  fromFile: string,
): { compat?: string | undefined; canonical?: string | undefined } {
  return {
    compat: concept.compat && (concept.compat.path ?? resolver.resolve(concept.compat.module, fromFile)),
    canonical: concept.canonical.path ?? resolver.resolve(concept.canonical.module, fromFile),
  };
}
