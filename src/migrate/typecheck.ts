import * as fs from 'node:fs';
import * as path from 'node:path';
import { Project, ts } from 'ts-morph';
import type { ResolvedConfig } from '../core/config/types.js';
import type { TypecheckFinding } from './run.js';

/**
 * `--typecheck`: a ts-morph Project from the project's tsconfig holding only the touched files
 * (their imports are pulled in by resolution, so memory follows the touched part of the repo,
 * not the whole program). Diagnostics are taken before and after the write.
 */
export function createTypechecker(
  config: ResolvedConfig,
  files: readonly string[],
): {
  diagnostics(files: readonly string[]): Map<string, TypecheckFinding[]>;
  refresh(files: readonly string[]): void;
} {
  const tsconfig = config.tsconfig ?? path.join(config.rootDir, 'tsconfig.json');
  const project = fs.existsSync(tsconfig)
    ? new Project({ tsConfigFilePath: tsconfig, skipAddingFilesFromTsConfig: true })
    : new Project({
        compilerOptions: {
          allowJs: true,
          strict: true,
          noEmit: true,
          moduleResolution: ts.ModuleResolutionKind.Bundler,
          module: ts.ModuleKind.ESNext,
        },
      });
  for (const f of files) project.addSourceFileAtPath(f);
  project.resolveSourceFileDependencies();
  return {
    diagnostics(list) {
      const out = new Map<string, TypecheckFinding[]>();
      const program = project.getProgram().compilerObject;
      for (const f of list) {
        const sf = program.getSourceFile(f) ?? program.getSourceFile(path.resolve(f));
        if (!sf) continue;
        const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
        out.set(
          f,
          diags.map((d) => {
            const pos = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
            return {
              file: f,
              line: pos.line + 1,
              column: pos.character + 1,
              code: d.code,
              message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
            };
          }),
        );
      }
      return out;
    },
    refresh(list) {
      for (const f of list) project.getSourceFile(f)?.refreshFromFileSystemSync();
      project.resolveSourceFileDependencies();
    },
  };
}
