import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolvedIntoLegacy } from '../src/core/classify.js';
import type { ResolvedConfig } from '../src/core/config/types.js';

// What the type checkers of a migration share (the codemods' checker-program.ts and
// src/migrate/typecheck.ts): which files a checker loads, and where `ssot-kit/...` resolves. No
// TypeScript is imported here.

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
 * as this package's own: from a file inside it, through its `exports`, as a bundler does. For each
 * checker's resolution: `resolve` is its resolution from a file under some options, `found` tells a result that found a module, `asBundler` gives the options
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

/**
 * Which project files the checker loads: `roots` (the files a codemod rewrites, the legacy modules)
 * and what they import directly, and the files `within` names; installed packages always.
 */
export interface Scope {
  isRoot(file: string): boolean;
  within(file: string): boolean;
}

/**
 * Whether the checker keeps a module resolution: installed packages, this package's own
 * declarations, anything a root imports, and files within the scope; any other project file stays
 * unresolved (its names are `any` to the checker).
 */
export function keepsResolution(
  scope: Scope,
  containingFile: string,
  found: { resolvedFileName: string; isExternalLibraryImport?: boolean | undefined },
): boolean {
  return (
    Boolean(found.isExternalLibraryImport) ||
    found.resolvedFileName.startsWith(OWN_DIST) ||
    scope.isRoot(containingFile) ||
    scope.within(found.resolvedFileName)
  );
}

/**
 * The scope of a codemod's checker: the files it rewrites and the concepts' legacy modules are roots
 * (what they import directly is loaded: the types the code was written against); the compat layer
 * and the canonical module, when they are repo paths, are loaded with their folders; `via` files
 * are loaded too (with what they import within the scope).
 */
export function conceptScope(config: ResolvedConfig, files: Iterable<string>, via: Iterable<string> = []): Scope {
  const own = new Set(files);
  // Files between the roots (a re-exporting index between a rewritten file and a file that uses it).
  const between = new Set(via);
  const folders = config.concepts.flatMap((c) =>
    [c.compat?.path, c.canonical.path]
      .filter((p): p is string => p !== undefined)
      .map((p) => path.dirname(p) + path.sep),
  );
  const legacy = (file: string): boolean =>
    config.concepts.some((c) => c.legacy.some((l) => resolvedIntoLegacy(file, l)));
  return {
    isRoot: (file) => own.has(file) || legacy(file),
    within: (file) => own.has(file) || between.has(file) || legacy(file) || folders.some((f) => file.startsWith(f)),
  };
}
