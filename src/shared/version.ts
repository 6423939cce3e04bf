import { readFileSync } from 'node:fs';

interface Manifest {
  version: string;
  repository?: string | { url?: string };
}

let cached: Manifest | undefined;

/** A file of the ssot-kit package by its path in the package (same from src/ and from dist/src/). */
export function packageFileUrl(rel: string): URL {
  return new URL((import.meta.url.includes('/dist/') ? '../../../' : '../../') + rel, import.meta.url);
}

/** ssot-kit's own package.json. */
function manifest(): Manifest {
  if (cached) return cached;
  cached = JSON.parse(readFileSync(packageFileUrl('package.json'), 'utf8')) as Manifest;
  return cached;
}

/** ssot-kit's own version, from its package.json. */
export function packageVersion(): string {
  return manifest().version;
}

/**
 * The web address of a file of ssot-kit's repository on its default branch (`main`), derived
 * from package.json's `repository` so that every link (rule docs, SARIF help) follows it.
 */
export function repositoryFileUrl(file: string): string {
  const repository = manifest().repository;
  const raw = typeof repository === 'string' ? repository : repository?.url;
  const web = raw?.replace(/^git\+/, '').replace(/\.git$/, '');
  if (!web || !/^https:\/\/github\.com\/[^/]+\/[^/]+$/.test(web)) {
    throw new Error(`ssot-kit's package.json: "repository" is not a github.com URL (${JSON.stringify(raw)})`);
  }
  return `${web}/blob/main/${file}`;
}
