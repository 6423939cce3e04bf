import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { createAnalysisContext, unparsedAnalysis } from '../core/analyze.js';
import { toPosix } from '../shared/paths.js';
import type { ResolvedConfig } from '../core/config/types.js';
import { listFiles } from '../core/files.js';
import { CACHE_FILE_NAME, ReportCache, cacheKey, defaultCacheDir } from './cache.js';
import { defaultJobs, HELPER_MIN_SOURCE_BYTES, MIN_ITEMS_FOR_HELPERS, startPool, type Pool } from './pool.js';
import { hashText, safeRecord, type FileRecord, type ReportWorkerInit } from './report-worker.js';
import { ensureDir } from '../shared/atomic-write.js';
import { selectShard, type Shard } from '../shared/shard.js';
import { readSourceFile } from '../shared/source-file.js';
import { CollectError, listScope } from './scope.js';

export { listScope } from './scope.js';

export interface CollectOptions {
  /** Files or folders to narrow the scan to (absolute or relative to the cwd). */
  paths?: readonly string[];
  jobs?: number;
  /** Use the content-hash cache; `cacheLocation` is a folder (default: see defaultCacheDir). */
  cache?: boolean;
  cacheLocation?: string;
  /** Analyse only files changed since this git ref (plus untracked files). */
  changedSince?: string;
  shard?: Shard;
  toolVersion: string;
  onProgress?: (done: number, total: number) => void;
}

export interface Collected {
  /** Files the scope lists (include/exclude/paths), before --changed-since and --shard. */
  inScope: string[];
  /** The files analysed, in order, one record each. */
  records: FileRecord[];
  missing: string[];
  cache?: { file: string; hits: number; misses: number; warnings: string[] };
  /** Files analysed in this run (cache misses, or every file without a cache). */
  analysedFiles: number;
  /** Threads that analysed files: this one, and the helpers when the work repaid them. */
  threads: number;
}

function git(args: string[], cwd: string): string {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new CollectError(`git ${args.join(' ')} failed in ${cwd}: ${stderr || (error as Error).message}`);
  }
}

/**
 * Files changed since `ref` (committed, staged or not) and untracked files that are not ignored,
 * as paths relative to the project root. Git names files relative to the top of the work tree;
 * the root's own prefix there (`git rev-parse --show-prefix`) maps them back, so symlinked
 * temp folders and sub-folder projects agree with the file listing.
 */
function changedFiles(rootDir: string, ref: string): Set<string> {
  if (ref.startsWith('-')) throw new CollectError(`--changed-since expects a git ref, got "${ref}"`);
  try {
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], rootDir);
  } catch (error) {
    throw new CollectError(
      `--changed-since: "${ref}" is not a commit of the git repository at ${rootDir} (${(error as Error).message})`,
    );
  }
  const prefix = git(['rev-parse', '--show-prefix'], rootDir).trim();
  const changed = git(['diff', '--name-only', '-z', ref, '--'], rootDir).split('\0');
  const untracked = git(['ls-files', '--others', '--exclude-standard', '-z', '--full-name'], rootDir).split('\0');
  const out = new Set<string>();
  for (const rel of [...changed, ...untracked]) if (rel && rel.startsWith(prefix)) out.add(rel.slice(prefix.length));
  return out;
}

/** Best effort: the path of `dir` inside its git work tree ("" at the top, undefined outside git). */
export function gitPrefix(dir: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--show-prefix'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** Best effort: the current commit of the repo holding `dir`, or undefined outside git. */
export function currentCommit(dir: string): string | undefined {
  try {
    return (
      execFileSync('git', ['rev-parse', 'HEAD'], {
        cwd: dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/**
 * Runs the core's analysis over the files of a report: lists the scope, narrows it to changed
 * files and to a shard, answers what it can from the cache and sends the rest to worker threads
 * (analyzeFile in each; the same code runs in-thread for small runs). Records come back in
 * path order, whatever the source.
 */
export async function collectRecords(config: ResolvedConfig, options: CollectOptions): Promise<Collected> {
  const listing = listScope(config, options.paths);
  let files = listing.files;
  if (options.changedSince !== undefined) {
    const changed = changedFiles(config.rootDir, options.changedSince);
    files = files.filter((f) => changed.has(toPosix(path.relative(config.rootDir, f))));
  }
  if (options.shard) files = selectShard(config.rootDir, files, options.shard);

  let cache: ReportCache | undefined;
  const byFile = new Map<string, FileRecord>();
  // Texts already read (for the cache's hashes), so the analysis need not read them again.
  const texts = new Map<string, { text: string; hash: string }>();
  let todo = files;
  if (options.cache) {
    // Resolution depends on which files exist, so the key covers the whole scope, not just `paths`.
    const whole = options.paths && options.paths.length > 0 ? listFiles(config).files : listing.files;
    const dir = options.cacheLocation ? path.resolve(options.cacheLocation) : defaultCacheDir(config.rootDir);
    // A --cache-location that cannot be a folder is a usage error now, not a warning after the work.
    if (options.cacheLocation) ensureDir(dir);
    cache = new ReportCache(path.join(dir, CACHE_FILE_NAME), cacheKey(config, options.toolVersion, whole));
    todo = [];
    for (const file of files) {
      const source = readSourceFile(file, { allowInvalidUtf8: true });
      if (!source.ok) {
        byFile.set(file, { file, skipped: source.reason });
        continue;
      }
      const hash = hashText(source.text);
      const hit = cache.get(file, hash);
      if (hit) byFile.set(file, hit);
      else {
        todo.push(file);
        texts.set(file, { text: source.text, hash });
      }
    }
  }

  let threads = 1;
  if (todo.length > 0) {
    const analysed = await analyseFiles(config, todo, texts, { ...options, hashes: cache !== undefined });
    threads = analysed.threads;
    for (const record of analysed.records) {
      byFile.set(record.file, record);
      cache?.set(record);
    }
  }

  const analysed = cache ? cache.stats.misses : files.length;
  if (cache) {
    try {
      cache.save();
    } catch (error) {
      cache.warnings.push(`cannot write cache ${cache.file}: ${(error as Error).message}`);
    }
  }
  return {
    inScope: listing.files,
    records: files.map((f) => byFile.get(f)!),
    missing: listing.missing,
    ...(cache
      ? { cache: { file: cache.file, hits: cache.stats.hits, misses: cache.stats.misses, warnings: cache.warnings } }
      : {}),
    analysedFiles: analysed,
    threads,
  };
}

/**
 * The analysis of some files, with the thread policy of `ssot migrate` (HELPER_MIN_SOURCE_BYTES):
 * each text is read and prefiltered here, which is cheap, and what a helper thread repays is the
 * analysis of the files the prefilter lets through. Helpers join only when there is that much
 * source to analyse, started as soon as it is reached so their start-up overlaps the rest of the
 * reading; otherwise this thread analyses the texts it already holds. An explicit --jobs n starts
 * its helpers at once. Records come back in the order of `files`.
 */
async function analyseFiles(
  config: ResolvedConfig,
  files: readonly string[],
  texts: ReadonlyMap<string, { text: string; hash: string }>,
  options: Pick<CollectOptions, 'jobs' | 'onProgress'> & {
    /** Content hashes in the records: only the cache keys on them. */
    hashes: boolean;
  },
): Promise<{ records: FileRecord[]; threads: number }> {
  const jobs = Math.max(1, options.jobs ?? defaultJobs());
  const ctx = createAnalysisContext(config);
  const toAnalyse = new Map<string, { text: string; hash?: string }>();
  // This thread's share: the texts it read, analysed with its own context.
  const local = () => (file: string) => {
    const { text, hash } = toAnalyse.get(file)!;
    return safeRecord(ctx, file, text, hash);
  };
  let helpers = 0;
  const start = (n: number): Pool<string, FileRecord> =>
    startPool<ReportWorkerInit, string, FileRecord>({
      workerUrl: new URL('./report-worker.js', import.meta.url),
      init: { config, hashes: options.hashes },
      helpers: (helpers = n),
      local,
    });
  let pool = options.jobs !== undefined && jobs > 1 ? start(jobs - 1) : undefined;
  try {
    const byFile = new Map<string, FileRecord>();
    let sourceBytes = 0;
    for (const file of files) {
      let known: { text: string; hash?: string } | undefined = texts.get(file);
      if (!known) {
        const source = readSourceFile(file, { allowInvalidUtf8: true });
        if (!source.ok) {
          byFile.set(file, { file, skipped: source.reason });
          continue;
        }
        known = options.hashes ? { text: source.text, hash: hashText(source.text) } : { text: source.text };
      }
      if (!ctx.prefilter.mayMatch(known.text, file)) {
        byFile.set(file, {
          file,
          ...(known.hash !== undefined ? { hash: known.hash } : {}),
          analysis: unparsedAnalysis(file),
        });
        continue;
      }
      toAnalyse.set(file, known);
      sourceBytes += known.text.length;
      if (!pool && jobs > 1 && sourceBytes >= HELPER_MIN_SOURCE_BYTES) pool = start(jobs - 1);
    }
    const offset = files.length - toAnalyse.size;
    const progress = options.onProgress;
    progress?.(offset, files.length);
    const items = [...toAnalyse.keys()];
    // Helpers read their files again: a path is cheaper to send than its text.
    pool ??= start(0);
    for (const record of await pool.map(items, progress ? (d) => progress(offset + d, files.length) : undefined))
      byFile.set(record.file, record);
    const threads = helpers > 0 && items.length >= MIN_ITEMS_FOR_HELPERS ? helpers + 1 : 1;
    return { records: files.map((f) => byFile.get(f)!), threads };
  } finally {
    await pool?.close();
  }
}
