import { readFileSync } from 'node:fs';

interface Manifest {
  version: string;
  repository?: string | { url?: string };
}

let cached: Manifest | undefined;

/** ssot-kit's own package.json (same path from src/ and from dist/src/). */
function manifest(): Manifest {
  if (cached) return cached;
  const relative = import.meta.url.includes('/dist/') ? '../../../package.json' : '../../package.json';
  const url = new URL(relative, import.meta.url);
  cached = JSON.parse(readFileSync(url, 'utf8')) as Manifest;
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
