import { createCheckerProject, diagnosticsOf } from '../../codemods/checker-project.js';
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
  const project = createCheckerProject(config, files);
  return {
    diagnostics(list) {
      const out = new Map<string, TypecheckFinding[]>();
      for (const [file, found] of diagnosticsOf(project, list))
        out.set(
          file,
          found.map(({ start: _start, ...d }) => d),
        );
      return out;
    },
    refresh(list) {
      for (const f of list) project.getSourceFile(f)?.refreshFromFileSystemSync();
      project.resolveSourceFileDependencies();
    },
  };
}
