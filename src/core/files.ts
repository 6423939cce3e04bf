import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Ignore } from 'ignore';
import { ignore, picomatch } from '../shared/cjs-packages.js';
import type { ResolvedConfig } from './config/types.js';
import { TEMP_FILE_PATTERN } from '../shared/atomic-write.js';
import { isInside, toPosix } from '../shared/paths.js';
import { fileKind } from '../shared/source-file.js';

/** Folders never scanned, whatever the config says: installed code and VCS metadata. */
const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn']);

export interface FileListing {
  files: string[];
  /** Paths named on the command line that do not exist. */
  missing: string[];
  /**
   * Paths named on the command line that are not project source: they resolve (through
   * symlinks) outside the project root, or are neither a regular file nor a folder (a FIFO would
   * block the read). Callers refuse the run with these.
   */
  refused: { path: string; reason: string }[];
  /**
   * Temp files of atomic writes seen on the way (`.x.ts.ssot-<pid>-<hex>.tmp`): a killed run's
   * leftovers, or a concurrent run's.
   */
  tempFiles: string[];
}

interface IgnoreLayer {
  dir: string;
  /** `dir` relative to the root, posix ('' for the root itself). */
  rel: string;
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

/** `rel`: the path relative to the root, posix; every layer's folder holds it (the walk's layers do). */
function ignoredBy(layers: readonly IgnoreLayer[], rel: string, isDir: boolean): boolean {
  for (const layer of layers) {
    const own = layer.rel === '' ? rel : rel.startsWith(`${layer.rel}/`) ? rel.slice(layer.rel.length + 1) : '';
    if (!own) continue;
    if (layer.ig.ignores(isDir ? own + '/' : own)) return true;
  }
  return false;
}

/** The paths a listing starts from, checked: the ones to walk, and the named paths it refuses. */
export interface ScopeStarts {
  /** Folders and files to walk, as named (absolute). */
  starts: string[];
  missing: string[];
  refused: FileListing['refused'];
}

/**
 * Checks the paths a listing starts from (the root when none is named): each must exist, and
 * resolve (through symlinks) to a regular file or a folder inside the project root.
 */
export function scopeStarts(config: ResolvedConfig, paths: readonly string[] = []): ScopeStarts {
  const root = config.rootDir;
  let realRoot = root;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    // a root that does not exist lists nothing anyway
  }
  const out: ScopeStarts = { starts: [], missing: [], refused: [] };
  for (const start of paths.length > 0 ? paths.map((p) => path.resolve(p)) : [root]) {
    let stat: fs.Stats;
    let real: string;
    try {
      real = fs.realpathSync(start);
      stat = fs.statSync(real);
    } catch {
      out.missing.push(start);
      continue;
    }
    if (!isInside(real, realRoot)) {
      out.refused.push({ path: start, reason: `resolves to ${real}, outside the project root ${root}` });
    } else if (!stat.isDirectory() && !stat.isFile())
      out.refused.push({ path: start, reason: `not a regular file (${fileKind(stat)})` });
    else out.starts.push(start);
  }
  return out;
}

/** What a walk finds, as it finds it. */
export interface ScopeVisitor {
  /** A file in scope (a file under two named paths comes twice). */
  file(abs: string): void;
  /** A temp file of an atomic write (`.x.ts.ssot-<pid>-<hex>.tmp`). */
  tempFile(abs: string): void;
  /** A folder the walk listed, with its entries, before any file in it. */
  folder?(abs: string, entries: readonly fs.Dirent[]): void;
}

/**
 * Walks checked starts (scopeStarts) and hands every file in scope to the visitor, in walk order:
 * `include` minus `exclude` globs (relative to the root), honouring every .gitignore on the way
 * down, never node_modules. A caller that reads while it walks (migrate's read thread) gets the
 * first files before the walk is done.
 */
export function walkScope(config: ResolvedConfig, starts: readonly string[], visitor: ScopeVisitor): void {
  const root = config.rootDir;
  const isIncluded = picomatch(config.include, { dot: true });
  const isExcluded = config.exclude.length > 0 ? picomatch(config.exclude, { dot: true }) : () => false;

  // .gitignore files above a named path still apply, so collect the layers from the root down.
  const layersFor = (dir: string): IgnoreLayer[] => {
    const layers: IgnoreLayer[] = [];
    let current = root;
    const rel = path.relative(root, dir);
    const parts = rel && !rel.startsWith('..') ? rel.split(path.sep) : [];
    const first = readGitignore(current);
    if (first) layers.push({ dir: current, rel: '', ig: first });
    for (const part of parts.slice(0, -1)) {
      current = path.join(current, part);
      const ig = readGitignore(current);
      if (ig) layers.push({ dir: current, rel: toPosix(path.relative(root, current)), ig });
    }
    return layers;
  };

  const consider = (abs: string, rel: string, layers: readonly IgnoreLayer[]): void => {
    if (rel.startsWith('..') || path.isAbsolute(rel)) return;
    if (isIncluded(rel) && !isExcluded(rel) && !ignoredBy(layers, rel, false)) visitor.file(abs);
  };

  /** `relDir`: `dir` relative to the root, posix; paths below it are built from it, not recomputed. */
  const walk = (dir: string, relDir: string, inherited: readonly IgnoreLayer[]): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    visitor.folder?.(dir, entries);
    // Read a .gitignore only where the listing shows one (a failed read per folder is costly).
    const own = entries.some((e) => e.name === '.gitignore') ? readGitignore(dir) : undefined;
    const layers = own ? [...inherited, { dir, rel: relDir, ig: own }] : inherited;
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (ALWAYS_SKIPPED.has(entry.name)) continue;
        if (ignoredBy(layers, rel, true)) continue;
        if (config.exclude.length > 0 && isExcluded(rel + '/')) continue;
        walk(abs, rel, layers);
      } else if (entry.isFile()) {
        if (TEMP_FILE_PATTERN.test(entry.name)) visitor.tempFile(abs);
        else consider(abs, rel, layers);
      }
      // Symlinks are not followed (they may lead out of the project); FIFOs, sockets and devices are no source.
    }
  };

  // Temp files of a named file sit beside it, in a folder that is not walked.
  const tempFilesBeside = (file: string): void => {
    const prefix = `.${path.basename(file)}.ssot-`;
    let names: string[];
    try {
      names = fs.readdirSync(path.dirname(file));
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith(prefix) && TEMP_FILE_PATTERN.test(name))
        visitor.tempFile(path.join(path.dirname(file), name));
    }
  };

  for (const start of starts) {
    const rel = toPosix(path.relative(root, start));
    let stat: fs.Stats;
    try {
      stat = fs.statSync(start);
    } catch {
      continue;
    }
    if (stat.isDirectory())
      walk(
        start,
        rel,
        layersFor(path.join(start, '__probe__')).filter((l) => l.dir !== start),
      );
    else {
      consider(start, rel, layersFor(start));
      tempFilesBeside(start);
    }
  }
}

/**
 * The files in scope (walkScope from the paths scopeStarts accepts), and the named paths that are
 * missing or refused. Sorted, so every run and every shard sees the same order.
 */
export function listFiles(config: ResolvedConfig, paths: readonly string[] = []): FileListing {
  const { starts, missing, refused } = scopeStarts(config, paths);
  const files = new Set<string>();
  const tempFiles = new Set<string>();
  walkScope(config, starts, { file: (f) => files.add(f), tempFile: (f) => tempFiles.add(f) });
  return { files: [...files].sort(), missing, refused, tempFiles: [...tempFiles].sort() };
}

/**
 * How many files lie under the starts, counted up to `n`: every regular file, whatever the globs
 * and .gitignore files say (node_modules and VCS folders skipped). An upper bound of the scope's
 * size that costs only the folder reads, for a caller that needs to know whether a scope is small.
 */
export function filesUpTo(starts: readonly string[], n: number): number {
  let count = 0;
  const visit = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (count >= n) return;
      if (entry.isFile()) count++;
      else if (entry.isDirectory() && !ALWAYS_SKIPPED.has(entry.name)) visit(path.join(dir, entry.name));
    }
  };
  for (const start of starts) {
    if (count >= n) break;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(start);
    } catch {
      continue;
    }
    if (stat.isDirectory()) visit(start);
    else count++;
  }
  return Math.min(count, n);
}

/** The message of a run refused for `listing.refused` paths. */
export function describeRefusedPaths(listing: Pick<FileListing, 'refused'>): string {
  return `not project source:\n${listing.refused.map((r) => `  ${r.path}: ${r.reason}`).join('\n')}`;
}
