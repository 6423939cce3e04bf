import * as path from 'node:path';

/** A path with forward slashes: how reports, baselines and globs spell it on every platform. */
export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** `file` relative to `rootDir`, posix-style (what reports and fingerprints key on). */
export function relativePosix(rootDir: string, file: string): string {
  return toPosix(path.relative(rootDir, file));
}

/** Relative to `rootDir` when inside it, else the absolute path (never a `../` path in output). */
export function displayPath(rootDir: string, file: string): string {
  const rel = path.relative(rootDir, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? toPosix(file) : toPosix(rel);
}

/** A module path without its source extension: `a.ts`, `a.d.ts` and `a.js` are one module to an importer. */
export function stripExtension(p: string): string {
  return p.replace(/\.d\.(c|m)?ts$/, '').replace(/\.(c|m)?(t|j)sx?$/, '');
}

/** True when `child` is `parent` or lies below it (lexically: resolve symlinks first where it matters). */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}
