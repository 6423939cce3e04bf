import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project, ts } from 'ts-morph';
import { resolvedIntoLegacy } from '../src/core/classify.js';
import type { ResolvedConfig } from '../src/core/config/types.js';
import type { Finding } from './findings.js';

/**
 * A ts-morph Project for the type checker over the files a codemod run involves: the project's
 * tsconfig, only the given files, and what they import within `scope` (see `scoped`), so memory
 * follows the files involved, not the repo. One Project per run, never one per file.
 *
 * `ssot-kit/...` specifiers that the project cannot resolve (the package is not installed yet, as in
 * a fixture copy) resolve to this very package's declarations, so the checker still sees the compat
 * layer and the canonical router as the code will import them.
 */
export function createCheckerProject(config: ResolvedConfig, files: readonly string[], scope?: Scope): Project {
  const tsconfig = config.tsconfig ?? path.join(config.rootDir, 'tsconfig.json');
  const options = { skipAddingFilesFromTsConfig: true, resolutionHost: scoped(scope) };
  const project = fs.existsSync(tsconfig)
    ? new Project({ tsConfigFilePath: tsconfig, ...options })
    : new Project({
        ...options,
        compilerOptions: {
          allowJs: true,
          strict: true,
          noEmit: true,
          moduleResolution: ts.ModuleResolutionKind.Bundler,
          module: ts.ModuleKind.ESNext,
          target: ts.ScriptTarget.ES2022,
        },
      });
  for (const f of files) project.addSourceFileAtPath(f);
  project.resolveSourceFileDependencies();
  return project;
}

/** This package's root (two levels above this file, in src and in dist alike). */
const OWN_ROOT = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();

/** This package's declarations, where `ssot-kit/...` resolves when the project has no copy of its own. */
const OWN_DIST = path.join(OWN_ROOT, 'dist') + path.sep;

/** A file inside this package: `ssot-kit/...` resolves from there through the package's own `exports`. */
const SELF_REFERENCE = path.join(OWN_ROOT, '__ssot_kit_self_reference__.ts');

/**
 * `name` resolved as the project resolves it, and an `ssot-kit/...` name the project cannot resolve
 * as this package's own: from a file inside it, through its `exports`, as a bundler does. For any
 * TypeScript (ts-morph's here, the core's in --typecheck): `resolve` is its resolution from a file
 * under some options, `found` tells a result that found a module, `asBundler` gives the options
 * with bundler resolution of ES modules.
 */
export function resolveOrSelfReference<R, O>(
  name: string,
  containingFile: string,
  options: O,
  api: { resolve(containingFile: string, options: O): R; found(result: R): boolean; asBundler(options: O): O },
): R {
  const result = api.resolve(containingFile, options);
  if (api.found(result) || (name !== 'ssot-kit' && !name.startsWith('ssot-kit/'))) return result;
  return api.resolve(SELF_REFERENCE, api.asBundler(options));
}

function resolveOne(
  host: ts.ModuleResolutionHost,
  options: ts.CompilerOptions,
  name: string,
  containingFile: string,
): ts.ResolvedModuleFull | undefined {
  return resolveOrSelfReference(name, containingFile, options, {
    resolve: (from, o) => ts.resolveModuleName(name, from, o, host).resolvedModule,
    found: (r) => r !== undefined,
    asBundler: (o) => ({ ...o, moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext }),
  });
}

/**
 * Which project files the checker loads: `roots` (the files a codemod rewrites, the legacy modules)
 * and what they import directly, and the files `within` names; installed packages always.
 */
export interface Scope {
  isRoot(file: string): boolean;
  within(file: string): boolean;
}

/**
 * Module resolution for the checker. With a scope, a project file outside it stays unresolved (its
 * names are `any` to the checker): the program holds the files involved, the modules they import
 * (the types they were written against), the concept's modules and installed packages, not the
 * import closure of a monorepo.
 */
function scoped(scope: Scope | undefined) {
  return (host: ts.ModuleResolutionHost, getOptions: () => ts.CompilerOptions) => ({
    resolveModuleNames(names: string[], containingFile: string): (ts.ResolvedModuleFull | undefined)[] {
      const options = getOptions();
      return names.map((name) => {
        const found = resolveOne(host, options, name, containingFile);
        if (
          !found ||
          !scope ||
          found.isExternalLibraryImport ||
          found.resolvedFileName.startsWith(OWN_DIST) ||
          scope.isRoot(containingFile) ||
          scope.within(found.resolvedFileName)
        )
          return found;
        return undefined;
      });
    },
  });
}

/** Syntactic and semantic diagnostics of some files of the project, as plain data. */
export function diagnosticsOf(project: Project, files: readonly string[]): Map<string, Finding[]> {
  const program = project.getProgram().compilerObject;
  const out = new Map<string, Finding[]>();
  for (const file of files) {
    const sf = program.getSourceFile(file);
    if (!sf) continue;
    const list = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
    out.set(
      file,
      list.map((d) => {
        const pos = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
        const start = d.start !== undefined ? { start: d.start } : {};
        return {
          file,
          ...start,
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

/** Where `specifier` points from `fromFile` in this project (with the ssot-kit fallback above). */
export function resolveInProject(project: Project, specifier: string, fromFile: string): string | undefined {
  return resolveOne(project.getModuleResolutionHost(), project.getCompilerOptions(), specifier, fromFile)
    ?.resolvedFileName;
}

/**
 * The scope of a codemod's checker: the files it rewrites and the concepts' legacy modules are roots
 * (what they import directly is loaded: the types the code was written against); the compat layer
 * and the canonical module, when they are repo paths, are loaded with their folders.
 */
export function conceptScope(config: ResolvedConfig, files: Iterable<string>): Scope {
  const own = new Set(files);
  const folders = config.concepts.flatMap((c) =>
    [c.compat?.path, c.canonical.path]
      .filter((p): p is string => p !== undefined)
      .map((p) => path.dirname(p) + path.sep),
  );
  const legacy = (file: string): boolean =>
    config.concepts.some((c) => c.legacy.some((l) => resolvedIntoLegacy(file, l)));
  return {
    isRoot: (file) => own.has(file) || legacy(file),
    within: (file) => own.has(file) || legacy(file) || folders.some((f) => file.startsWith(f)),
  };
}
