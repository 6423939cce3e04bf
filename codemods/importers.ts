import * as path from 'node:path';
import { ts, type Project } from 'ts-morph';
import type { ResolvedConfig } from '../src/core/config/types.js';
import { listFiles } from '../src/core/files.js';
import { readSourceFile } from '../src/shared/source-file.js';
import { resolveInProject } from './checker-project.js';

/**
 * The files in scope that import one of `files`, directly or through other files that do, and
 * whose text `keep` accepts, each with the files of `files` it reaches. A stage-1 rewrite changes
 * the type of what a file exports (a router instance built from a moved class, a function returning
 * one), so a file that never names a legacy module can stop compiling: `router.handleMessage(...)`
 * on an instance the compat layer now types. Import specifiers come from TypeScript's
 * pre-processor (a scan of the import, export, require and import() forms, no parse), resolved as
 * the checker resolves them; the chain may pass through files `keep` rejects (a re-exporting index).
 */
export function importersOf(
  config: ResolvedConfig,
  project: Project,
  files: readonly string[],
  keep: (text: string) => boolean,
): Map<string, Set<string>> {
  const targets = new Set(files);
  const importedBy = new Map<string, string[]>();
  const kept = new Set<string>();
  const resolutions = new Map<string, string | undefined>();
  for (const file of listFiles(config).files) {
    if (targets.has(file)) continue;
    const source = readSourceFile(file);
    if (!source.ok) continue;
    const { importedFiles } = ts.preProcessFile(source.text, true, true);
    if (importedFiles.length === 0) continue;
    if (keep(source.text)) kept.add(file);
    for (const ref of importedFiles) {
      // Resolution depends on the importing folder and the specifier only (one tsconfig here).
      const key = `${path.dirname(file)}\0${ref.fileName}`;
      if (!resolutions.has(key)) resolutions.set(key, resolveInProject(project, ref.fileName, file));
      const resolved = resolutions.get(key);
      if (resolved === undefined || resolved === file) continue;
      importedBy.set(resolved, [...(importedBy.get(resolved) ?? []), file]);
    }
  }
  const reaches = new Map<string, Set<string>>();
  for (const target of files) {
    const seen = new Set<string>();
    const queue = [...(importedBy.get(target) ?? [])];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (targets.has(file) || seen.has(file)) continue;
      seen.add(file);
      if (kept.has(file)) reaches.set(file, (reaches.get(file) ?? new Set<string>()).add(target));
      queue.push(...(importedBy.get(file) ?? []));
    }
  }
  return reaches;
}
