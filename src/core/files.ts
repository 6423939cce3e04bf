import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { ResolvedConfig } from './config/types.js';
import { toPosix } from '../shared/paths.js';

/** Folders never scanned, whatever the config says: installed code and VCS metadata. */
const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn']);

export interface FileListing {
  files: string[];
  /** Paths named on the command line that do not exist. */
  missing: string[];
}

interface IgnoreLayer {
  dir: string;
  ig: Ignore;
}

function readGitignore(dir: string): Ignore | undefined {
  const file = path.join(dir, '.gitignore');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return ignore().add(text);
}

function ignoredBy(layers: readonly IgnoreLayer[], abs: string, isDir: boolean): boolean {
  for (const layer of layers) {
    const rel = toPosix(path.relative(layer.dir, abs));
    if (!rel || rel.startsWith('..')) continue;
    if (layer.ig.ignores(isDir ? rel + '/' : rel)) return true;
  }
  return false;
}

/**
 * The files in scope: `include` minus `exclude` globs (relative to the root), honouring every
 * .gitignore on the way down, never node_modules. `paths` narrows the scan to files or folders.
 * Sorted, so every run and every shard sees the same order.
 */
export function listFiles(config: ResolvedConfig, paths: readonly string[] = []): FileListing {
  const root = config.rootDir;
  const isIncluded = picomatch(config.include, { dot: true });
  const isExcluded = config.exclude.length > 0 ? picomatch(config.exclude, { dot: true }) : () => false;
  const out: string[] = [];
  const missing: string[] = [];

  // .gitignore files above a named path still apply, so collect the layers from the root down.
  const layersFor = (dir: string): IgnoreLayer[] => {
    const layers: IgnoreLayer[] = [];
    let current = root;
    const rel = path.relative(root, dir);
    const parts = rel && !rel.startsWith('..') ? rel.split(path.sep) : [];
    const first = readGitignore(current);
    if (first) layers.push({ dir: current, ig: first });
    for (const part of parts.slice(0, -1)) {
      current = path.join(current, part);
      const ig = readGitignore(current);
      if (ig) layers.push({ dir: current, ig });
    }
    return layers;
  };

  const consider = (abs: string, layers: readonly IgnoreLayer[]): void => {
    const rel = toPosix(path.relative(root, abs));
    if (rel.startsWith('..')) return;
    if (isIncluded(rel) && !isExcluded(rel) && !ignoredBy(layers, abs, false)) out.push(abs);
  };

  const walk = (dir: string, inherited: readonly IgnoreLayer[]): void => {
    const own = readGitignore(dir);
    const layers = own ? [...inherited, { dir, ig: own }] : inherited;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (ALWAYS_SKIPPED.has(entry.name)) continue;
        if (ignoredBy(layers, abs, true)) continue;
        const rel = toPosix(path.relative(root, abs));
        if (config.exclude.length > 0 && isExcluded(rel + '/')) continue;
        walk(abs, layers);
      } else if (entry.isFile()) consider(abs, layers);
    }
  };

  const starts = paths.length > 0 ? paths.map((p) => path.resolve(p)) : [root];
  for (const start of starts) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(start);
    } catch {
      missing.push(start);
      continue;
    }
    if (stat.isDirectory()) walk(start, layersFor(path.join(start, '__probe__')).filter((l) => l.dir !== start));
    else consider(start, layersFor(start));
  }
  return { files: [...new Set(out)].sort(), missing };
}
