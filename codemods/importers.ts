import { ts, type Project } from 'ts-morph';
import type { ResolvedConfig } from '../src/core/config/types.js';
import { listFiles } from '../src/core/files.js';
import { readSourceFile } from '../src/shared/source-file.js';
import { resolveInProject } from './checker-project.js';

/**
 * The files in scope that import one of `files`, directly or through other files that do, each
 * with the files of `files` it reaches. A stage-1 rewrite changes the type of what a file exports
 * (a router instance built from a moved class, a function returning one), so a file that never
 * names a legacy module can stop compiling: `router.handleMessage(...)` on an instance the compat
 * layer now types. Import specifiers come from TypeScript's pre-processor (a scan of the import,
 * export, require and import() forms, no parse), resolved as the checker resolves them.
 */
export function importersOf(
  config: ResolvedConfig,
  project: Project,
  files: readonly string[],
): Map<string, Set<string>> {
  const targets = new Set(files);
  const importedBy = new Map<string, string[]>();
  for (const file of listFiles(config).files) {
    if (targets.has(file)) continue;
    const source = readSourceFile(file);
    if (!source.ok) continue;
    const { importedFiles } = ts.preProcessFile(source.text, true, true);
    for (const ref of importedFiles) {
      const resolved = resolveInProject(project, ref.fileName, file);
      if (resolved === undefined || resolved === file) continue;
      importedBy.set(resolved, [...(importedBy.get(resolved) ?? []), file]);
    }
  }
  const reaches = new Map<string, Set<string>>();
  for (const target of files) {
    const queue = [...(importedBy.get(target) ?? [])];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (targets.has(file)) continue;
      const seen = reaches.get(file) ?? new Set<string>();
      if (seen.has(target)) continue;
      seen.add(target);
      reaches.set(file, seen);
      queue.push(...(importedBy.get(file) ?? []));
    }
  }
  return reaches;
}
