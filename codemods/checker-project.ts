import * as fs from 'node:fs';
import * as path from 'node:path';
import { Project, ts } from 'ts-morph';
import type { ResolvedConfig } from '../src/core/config/types.js';
import { keepsResolution, resolveOrSelfReference, type Scope } from './checker-scope.js';
import type { Finding } from './findings.js';

export { conceptScope, resolveOrSelfReference, type Scope } from './checker-scope.js';

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
        return !found || !scope || keepsResolution(scope, containingFile, found) ? found : undefined;
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
