import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './helpers.js';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/ (tsc -p tsconfig.build.json) when the built plugin is missing or older than its sources. */
export function ensureBuiltPlugin(): string {
  const built = path.join(REPO_ROOT, 'dist/rules/index.js');
  const stale = !fs.existsSync(built) || fs.statSync(built).mtimeMs < Math.max(newestMtime(path.join(REPO_ROOT, 'rules')), newestMtime(path.join(REPO_ROOT, 'src/core')));
  if (stale) {
    try {
      execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(REPO_ROOT, 'tsconfig.build.json')], { cwd: REPO_ROOT, stdio: 'pipe' });
    } catch (error) {
      // Type errors elsewhere in the repo do not stop emit; only a missing plugin is fatal.
      if (!fs.existsSync(built)) throw error;
    }
  }
  return built;
}
