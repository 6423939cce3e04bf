import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** ssot-kit's own version, from its package.json (same path from src/ and from dist/src/). */
export function packageVersion(): string {
  if (cached) return cached;
  const url = new URL(import.meta.url.includes('/dist/') ? '../../../package.json' : '../../package.json', import.meta.url);
  cached = (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  return cached;
}
