import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedConfig } from '../core/config/types.js';
import { conformsTo } from '../core/config/validate.js';
import { legacyModuleFiles } from '../core/detection-context.js';
import type { FileRecord } from './report-worker.js';
import { cacheEntrySchema } from './cache-schema.js';
import { writeFileAtomic } from '../shared/atomic-write.js';
import { fileKind } from '../shared/source-file.js';

/**
 * The report's content-hash cache: one JSON file holding a FileRecord per file, keyed by the
 * file's content hash. The whole cache is also keyed on everything else an analysis depends on:
 * the tool version, the resolved config, the project root, the sorted list of files in scope
 * (resolution of a specifier depends on which files exist) and the tsconfig/package.json
 * contents that steer resolution. When that key changes, every entry is stale.
 *
 * Written atomically (temporary file + rename); a cache that cannot be read or parsed, or is
 * not of the cache's shape, is ignored with a warning and rebuilt, never trusted: each entry is
 * checked against cacheEntrySchema before the report sees it.
 */
export const CACHE_FILE_NAME = 'report-cache.json';
const CACHE_FORMAT = 4;

interface CacheFile {
  format: number;
  key: string;
  entries: Record<string, FileRecord>;
}

export interface CacheStats {
  hits: number;
  misses: number;
}

/** Default cache folder: node_modules/.cache/ssot when node_modules exists, else .ssot-cache. */
export function defaultCacheDir(rootDir: string): string {
  return fs.existsSync(path.join(rootDir, 'node_modules'))
    ? path.join(rootDir, 'node_modules', '.cache', 'ssot')
    : path.join(rootDir, '.ssot-cache');
}

function sha(parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 32);
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The tsconfig/jsconfig files that may steer resolution for these files: the configured one, or
 * for each folder the nearest one up to the root, plus every file they extend (read as text).
 */
function resolutionInputs(config: ResolvedConfig, files: readonly string[]): string[] {
  const found = new Set<string>();
  if (config.tsconfig) found.add(config.tsconfig);
  else {
    const seenDirs = new Set<string>();
    for (const file of files) {
      let dir = path.dirname(file);
      while (!seenDirs.has(dir)) {
        seenDirs.add(dir);
        for (const name of ['tsconfig.json', 'jsconfig.json']) {
          const candidate = path.join(dir, name);
          if (fs.existsSync(candidate)) found.add(candidate);
        }
        const parent = path.dirname(dir);
        if (parent === dir || path.relative(config.rootDir, parent).startsWith('..')) break;
        dir = parent;
      }
    }
  }
  // Follow relative `extends` (one level is the common case; follow chains, bounded).
  const queue = [...found];
  for (let i = 0; i < queue.length && i < 200; i++) {
    const text = readOrEmpty(queue[i]!);
    for (const m of text.matchAll(/"extends"\s*:\s*(\[[^\]]*\]|"[^"]*")/g)) {
      const specs = (m[1] ?? '').match(/"([^"]*)"/g) ?? [];
      for (const quoted of specs) {
        const spec = quoted.slice(1, -1);
        if (!spec.startsWith('.')) continue;
        const target = path.resolve(path.dirname(queue[i]!), spec.endsWith('.json') ? spec : spec + '.json');
        if (!found.has(target)) {
          found.add(target);
          queue.push(target);
        }
      }
    }
  }
  return [...found].sort().flatMap((f) => [f, readOrEmpty(f)]);
}

/**
 * The canonical and legacy modules' files: duplicate detection reads their code in every file's
 * analysis (the registry profile derived from the canonical, the bodies a copy is compared with).
 */
function detectionInputs(config: ResolvedConfig): string[] {
  const files = new Set<string>();
  for (const concept of config.concepts) {
    if (concept.canonical.path) files.add(concept.canonical.path);
    for (const legacy of concept.legacy) for (const file of legacyModuleFiles(legacy)) files.add(file);
  }
  return [...files].sort().flatMap((f) => [f, readOrEmpty(f)]);
}

/** The key of everything besides a file's own content that its analysis depends on. */
export function cacheKey(config: ResolvedConfig, toolVersion: string, filesInScope: readonly string[]): string {
  return sha([
    `format ${CACHE_FORMAT}`,
    toolVersion,
    config.rootDir,
    JSON.stringify(config),
    filesInScope.join('\n'),
    readOrEmpty(path.join(config.rootDir, 'package.json')),
    ...resolutionInputs(config, filesInScope),
    // A legacy file module's default export decides how its default imports map (defaultExportName).
    ...config.concepts
      .flatMap((c) => c.legacy)
      .flatMap((l) => (l.kind === 'path' && l.path && !l.isDirectory ? [readOrEmpty(l.path)] : [])),
    ...detectionInputs(config),
  ]);
}

/** sha256 of a file's bytes (hex, 32 chars), or '' when it cannot be read. */
function hashFile(file: string): string {
  try {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 32);
  } catch {
    return '';
  }
}

export class ReportCache {
  private entries: Record<string, FileRecord> = {};
  /** True when the file on disk was written under this key (so a run without misses need not rewrite it). */
  private loadedUnderKey = false;
  /** Entries of the wrong shape were found: the next save keeps only what this run checked or made. */
  private badEntries = 0;
  private readonly fresh: Record<string, FileRecord> = {};
  readonly stats: CacheStats = { hits: 0, misses: 0 };
  readonly warnings: string[] = [];

  constructor(
    readonly file: string,
    private readonly key: string,
  ) {
    let text: string;
    try {
      // A FIFO or device at the cache's name would block the read or never end.
      const st = fs.statSync(file);
      if (!st.isFile()) throw new Error(`not a regular file (${fileKind(st)})`);
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        this.warnings.push(`cannot read cache ${file}: ${(error as Error).message}; ignoring it`);
      return;
    }
    try {
      const parsed = JSON.parse(text) as Partial<CacheFile>;
      const fits =
        parsed &&
        typeof parsed === 'object' &&
        parsed.format === CACHE_FORMAT &&
        typeof parsed.key === 'string' &&
        typeof parsed.entries === 'object' &&
        parsed.entries !== null &&
        !Array.isArray(parsed.entries);
      if (!fits) throw new Error('unexpected content');
      if (parsed.key === key) {
        this.entries = parsed.entries!;
        this.loadedUnderKey = true;
      }
    } catch (error) {
      this.warnings.push(`ignoring corrupt cache ${file} (${(error as Error).message}); it will be rewritten`);
    }
  }

  /** The cached record for a file whose content hashes to `hash`, if any. */
  get(file: string, hash: string): FileRecord | undefined {
    const entry = Object.hasOwn(this.entries, file) ? this.entries[file] : undefined;
    // Other files the analysis read (a base class followed through re-exports) must be unchanged too.
    const depsUnchanged = Object.entries(entry?.dependencyHashes ?? {}).every(([dep, h]) => hashFile(dep) === h);
    if (entry && entry.hash === hash && (entry.analysis || entry.skipped) && depsUnchanged) {
      if (entry.file === file && conformsTo(entry, cacheEntrySchema)) {
        this.stats.hits++;
        this.fresh[file] = entry;
        return entry;
      }
      if (this.badEntries++ === 0) {
        const what = `holds entries of the wrong shape (first: ${file})`;
        this.warnings.push(`cache ${this.file} ${what}; analysing them again and rewriting the cache`);
      }
    }
    this.stats.misses++;
    return undefined;
  }

  set(record: FileRecord): void {
    if (!record.hash) return;
    const deps = record.analysis?.dependencies ?? [];
    const dependencyHashes = Object.fromEntries(deps.map((d) => [d, hashFile(d)]));
    this.fresh[record.file] = deps.length > 0 ? { ...record, dependencyHashes } : record;
  }

  /**
   * Writes the entries seen in this run, merged over the others still valid under this key (a
   * run over a part of the project keeps the rest). Atomic: temp file then rename.
   */
  save(): void {
    if (this.loadedUnderKey && this.stats.misses === 0) return; // nothing new to write
    // After a bad entry, entries this run did not check are not carried over.
    const kept = this.badEntries > 0 ? {} : this.entries;
    const out: CacheFile = { format: CACHE_FORMAT, key: this.key, entries: { ...kept, ...this.fresh } };
    writeFileAtomic(this.file, JSON.stringify(out), { createDirs: true, removeLeftovers: true });
  }
}
