import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMigrationContext, type MigrationContext } from '../../codemods/import-migration.js';
import type { ResolvedConfig } from '../core/config/types.js';
import { listScope } from '../engine/scope.js';
import {
  defaultJobs,
  HELPER_MIN_SOURCE_BYTES,
  MIN_ITEMS_FOR_HELPERS,
  startPool,
  type Pool,
  type PoolStream,
} from '../engine/pool.js';
import {
  contentHash,
  removeStaleTempFiles,
  TEMP_FILE_PATTERN,
  writeFailureOf,
  writeFileAtomic,
} from '../shared/atomic-write.js';
import { UsageError } from '../shared/errors.js';
import { displayPath } from '../shared/paths.js';
import type { Shard } from '../shared/shard.js';
import { readSourceFile } from '../shared/source-file.js';
import type { SiteRef } from '../../codemods/import-migration.js';
import {
  changedDuringRun,
  migrateWorker,
  projectRealRoot,
  writeFailed,
  type FileOutcome,
  type MigrateItem,
  type MigrateWorkerInit,
} from './worker.js';
import type { WriteBehind } from './write-behind.js';
import type { ListedFolder, Scan, ScannedFile } from './scan.js';
import { startMigrateScan, type StartedScan } from './start-scan.js';
import { SourceFileCache } from '../../codemods/checker-program.js';
import { applyFit, fitSelection } from './fit.js';
import { mayUseCompat } from '../../codemods/canonical/candidates.js';
import { newFindings } from '../../codemods/findings.js';
import { canonicalWorker } from './canonical.js';
import type { CanonicalFileResult } from '../../codemods/canonical-api.js';

/** A problem with the inputs (dirty tree, bad shard, unknown concept): exit 2, nothing written. */
export class MigrateUsageError extends UsageError {}

export interface MigrateOptions {
  config: ResolvedConfig;
  /** Files or folders to migrate (default: every file in scope). */
  paths?: readonly string[];
  concepts?: readonly string[];
  /**
   * 'compat' (stage 1, the default): legacy imports move to the compat layer; 'canonical'
   * (stage 2): compat uses become the canonical API.
   */
  to?: 'compat' | 'canonical';
  dryRun?: boolean;
  allowDirty?: boolean;
  rename?: boolean;
  /** Merge moved names into existing imports of the target (opt-in; see PlanOptions.mergeImports). */
  mergeImports?: boolean;
  typecheck?: boolean;
  rollbackOnTypeErrors?: boolean;
  jobs?: number;
  /** At most this many files are changed (in path order). */
  limit?: number;
  shard?: Shard & { by: 'dir' | 'hash' };
  /**
   * Stage 1 type-checks every changed file and every file that imports one (not only those the
   * selection of fit.ts picks): the reference the selection is tested against; no CLI flag.
   */
  fitEveryChangedFile?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** A scan the caller started (startMigrateScan) with these options; else migrate() starts it. */
  scan?: StartedScan;
  /** Informational messages (not a git tree, ...). */
  onNotice?: (message: string) => void;
}

export interface TypecheckFinding {
  file: string;
  line: number;
  column: number;
  code: number;
  message: string;
}

export interface MigrateFileReport {
  file: string;
  status: 'changed' | 'unchanged' | 'skipped' | 'failed';
  reason?: string;
  error?: string;
  /** Skipped because it could not be read (not UTF-8 text, binary, unreadable): not migrated, and it fails the run. */
  unreadable?: boolean;
  parsed: boolean;
  /** Sites moved (written, unless a dry run); `sitesRewritten` is its length. */
  rewritten: SiteRef[];
  sitesRewritten: number;
  refused: FileOutcome['refused'];
  /** Legacy sites left because none of their names is part of the concept. */
  kept: SiteRef[];
  notes?: string[];
  diff?: string;
  newDiagnostics?: TypecheckFinding[];
  /**
   * `--typecheck` on a written file: `checked` (its diagnostics compared with its original's), or
   * `proven` (its imports bind the same declarations as its original's, so its types are as they
   * were: typecheck-proof.ts; not checked), or `outside` (TypeScript does not take the file into a
   * program under its tsconfig, as JavaScript without `allowJs`: neither checked nor proven).
   */
  typecheck?: 'checked' | 'proven' | 'outside';
  rolledBack?: boolean;
  /** Another process changed the file while the run was at it: left alone (status `failed`). */
  changedDuringRun?: boolean;
}

/**
 * Counts of a run, each the length of a list in `files` (or a sum of per-file lists), except
 * `filesRuledOut`: files the text prefilter proved to hold no legacy import, counted, not listed.
 */
export interface MigrateSummary {
  /** `files.length` + filesRuledOut. */
  filesScanned: number;
  filesRuledOut: number;
  filesParsed: number;
  filesChanged: number;
  /** Listed unchanged files + filesRuledOut. */
  filesUnchanged: number;
  filesSkipped: number;
  /** Of filesSkipped: files that could not be read. */
  filesUnreadable: number;
  filesFailed: number;
  /** Of the failed files: those another process changed during the run (left as they were). */
  filesChangedDuringRun: number;
  sitesRewritten: number;
  sitesRefused: number;
  sitesKept: number;
  newTypeErrors?: number;
  /** Files whose `typecheck` is `checked`, `proven`, `outside`. */
  filesTypeChecked?: number;
  filesProvenAlike?: number;
  filesOutsideTypecheck?: number;
  filesRolledBack?: number;
  dryRun: boolean;
  gitTree: boolean;
  jobs: number;
  /** Threads that did the work: the main thread plus helpers. */
  threads: number;
  timeMs: number;
}

/** The counts of a run from its listed files (and the number of files the prefilter ruled out). */
export function summarize(
  files: readonly MigrateFileReport[],
  filesRuledOut: number,
  run: { dryRun: boolean; gitTree: boolean; jobs: number; threads: number; timeMs: number; typecheck: boolean },
): MigrateSummary {
  const count = (f: (r: MigrateFileReport) => boolean): number => files.filter(f).length;
  const sum = (f: (r: MigrateFileReport) => number): number => files.reduce((n, r) => n + f(r), 0);
  return {
    filesScanned: files.length + filesRuledOut,
    filesRuledOut,
    filesParsed: count((r) => r.parsed),
    filesChanged: count((r) => r.status === 'changed'),
    filesUnchanged: count((r) => r.status === 'unchanged') + filesRuledOut,
    filesSkipped: count((r) => r.status === 'skipped'),
    filesUnreadable: count((r) => r.unreadable === true),
    filesFailed: count((r) => r.status === 'failed'),
    filesChangedDuringRun: count((r) => r.changedDuringRun === true),
    sitesRewritten: sum((r) => r.rewritten.length),
    sitesRefused: sum((r) => r.refused.length),
    sitesKept: sum((r) => r.kept.length),
    ...(run.typecheck
      ? {
          newTypeErrors: sum((r) => r.newDiagnostics?.length ?? 0),
          filesTypeChecked: count((r) => r.typecheck === 'checked'),
          filesProvenAlike: count((r) => r.typecheck === 'proven'),
          filesOutsideTypecheck: count((r) => r.typecheck === 'outside'),
          filesRolledBack: count((r) => r.rolledBack === true),
        }
      : {}),
    dryRun: run.dryRun,
    gitTree: run.gitTree,
    jobs: run.jobs,
    threads: run.threads,
    timeMs: run.timeMs,
  };
}

/** 1 when the run did not do everything: a file failed or could not be read, a site was refused, or types broke. */
export function migrateExitCode(summary: MigrateSummary): 0 | 1 {
  return summary.filesFailed > 0 ||
    summary.filesUnreadable > 0 ||
    summary.sitesRefused > 0 ||
    (summary.newTypeErrors ?? 0) > 0
    ? 1
    : 0;
}

export interface MigrateResult {
  root: string;
  files: MigrateFileReport[];
  missing: string[];
  summary: MigrateSummary;
  /** 0: all good; 1: some file failed or could not be read, some site was refused, or types broke (migrateExitCode). */
  exitCode: 0 | 1;
}

// ---- git --------------------------------------------------------------------------------------

/**
 * `undefined` when `dir` is not in a git work tree (or git is missing); else the absolute paths
 * under `dir` with uncommitted changes (modified, staged, untracked; both sides of a rename).
 * Temp files of atomic writes (a killed run's leftovers, which this run removes, or a concurrent
 * run's) are not changes of the user's.
 */
export function gitDirtyPaths(dir: string): string[] | undefined {
  const top = spawnSync('git', ['rev-parse', '--is-inside-work-tree', '--show-toplevel'], {
    cwd: dir,
    encoding: 'utf8',
  });
  const [inside, toplevel] = top.stdout?.split('\n') ?? [];
  if (top.error || top.status !== 0 || inside?.trim() !== 'true' || !toplevel) return undefined;
  // -z: paths relative to the top level, unquoted, NUL-separated; a rename is followed by its old path.
  const status = spawnSync('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', '.'], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (status.status !== 0) return undefined;
  const entries = status.stdout.split('\0');
  const out: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (entry.length < 4) continue;
    const file = entry.slice(3);
    if (!(entry.startsWith('?? ') && TEMP_FILE_PATTERN.test(path.posix.basename(file))))
      out.push(path.resolve(toplevel, file));
    if (entry[0] === 'R' || entry[0] === 'C') out.push(path.resolve(toplevel, entries[++i] ?? ''));
  }
  return out;
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * The uncommitted-changes check: a run may not rewrite a file whose changes git does not hold
 * (they could not be told apart from the codemod's, nor restored). Other uncommitted files (the
 * tool's own config, baseline and history, a lock file, unrelated work) never block it.
 */
function refuseDirty(dirtyFiles: readonly string[], root: string): never {
  const shown = dirtyFiles
    .slice(0, 10)
    .map((f) => displayPath(root, f))
    .join('\n  ');
  const more = dirtyFiles.length > 10 ? `\n  ... and ${dirtyFiles.length - 10} more` : '';
  throw new MigrateUsageError(
    `files this run would rewrite have uncommitted changes; commit ` +
      `or stash them, or pass --allow-dirty:\n  ${shown}${more}`,
  );
}

// ---- the run ------------------------------------------------------------------------------------

/**
 * `ssot migrate`: text prefilter -> TypeScript parse (core) -> the core's rewrite plan -> splice
 * -> re-parse the output -> atomic write, over worker threads that receive file paths only.
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const started = performance.now();
  const { config } = options;
  const root = config.rootDir;
  // The listing and reading start first (on their own thread when the run has one): they overlap
  // everything up to the parsing.
  const { scan, writer } = options.scan ?? startMigrateScan(options);
  try {
    for (const id of options.concepts ?? []) {
      if (!config.concepts.some((c) => c.id === id))
        throw new MigrateUsageError(
          `--concept ${id}: no such concept (known: ${config.concepts.map((c) => c.id).join(', ')})`,
        );
    }
    if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1))
      throw new MigrateUsageError('--limit expects a positive integer');

    const dirty = gitDirtyPaths(root);
    const gitTree = dirty !== undefined;
    if (!gitTree)
      options.onNotice?.(`${root} is not in a git work tree: migrating without the uncommitted-changes check`);
    const guarded = gitTree && !options.allowDirty && !options.dryRun ? new Set(dirty) : new Set<string>();

    const init: MigrateWorkerInit = {
      config,
      rename: Boolean(options.rename),
      mergeImports: Boolean(options.mergeImports),
      ...(options.concepts ? { concepts: [...options.concepts] } : {}),
      // The two-phase run (see `twoPhase` below) writes what it planned: each thread keeps its plans.
      keepPlans: !options.dryRun && (options.limit !== undefined || Boolean(options.typecheck)),
    };
    // Stage 1 looks for member callers in the whole project (fit.ts), the run's paths or shard or not.
    const wholeProject = !options.shard && (options.paths ?? []).every((p) => path.resolve(p) === path.resolve(root));
    let listed: readonly string[] | undefined;
    void scan.listing.then((l) => (listed = l.files)).catch(() => undefined);
    const projectFiles = (): readonly string[] => (wholeProject ? listed : undefined) ?? listScope(config, []).files;
    const mctx = createMigrationContext(config);
    return await run(options, started, gitTree, init, mctx, guarded, projectFiles, scan, writer);
  } catch (error) {
    await writer?.close();
    throw error;
  }
}

/**
 * The thread policy. The work that a thread repays is the parsing of candidates, and its cost is
 * in proportion to their source (oxc reads each in full, TypeScript its import header or the whole
 * file). A helper costs a thread, our modules, a TypeScript and oxc load, its own prefilter, a cold
 * parser and ~70 MB, and on a 2-core machine shared with other work it takes CPU from the main
 * thread while it warms up. Where most candidates are planned from their import header, that
 * warm-up costs about as much as migrating a few MB of candidates, so a helper joins (up to the
 * core count less one) only when the candidate source, estimated while the prefilter runs,
 * reaches HELPER_MIN_SOURCE_BYTES (shared with the report, in the pool): it is started then, so its
 * start-up overlaps the rest of the prefilter, not the parsing. An explicit --jobs n is used as
 * given, its helpers started at once.
 *
 * The estimate is taken after this many files (and then every CHECK_EVERY files).
 */
const ESTIMATE_AFTER_FILES = 256;
const CHECK_EVERY = 128;
/** Candidates per batch handed to the pool while the prefilter runs. */
const STREAM_BATCH = 8;

async function run(
  options: MigrateOptions,
  started: number,
  gitTree: boolean,
  init: MigrateWorkerInit,
  mctx: MigrationContext,
  dirty: ReadonlySet<string>,
  projectFiles: () => readonly string[],
  scan: Scan,
  writer: WriteBehind | undefined,
): Promise<MigrateResult> {
  const { config } = options;
  const root = config.rootDir;
  const stage2 = options.to === 'canonical';
  const selected = config.concepts.filter((c) => !options.concepts || options.concepts.includes(c.id));
  const prefilter = stage2 ? undefined : mctx.prefilter;
  const mayUse = stage2 ? mayUseCompat(selected) : undefined;

  const jobs = Math.max(1, options.jobs ?? defaultJobs());
  // Stage 2 plans every file at once, here, over one type-checked project: no helper threads.
  const mayHelp = !stage2 && jobs > 1;
  const within = projectRealRoot(config);
  // Stage 2's plans (see below): its thread writes them.
  let stage2Results = new Map<string, CanonicalFileResult>();
  const pool: Pool<MigrateItem, FileOutcome> = startPool({
    workerUrl: new URL('./worker.js', import.meta.url),
    init,
    // An explicit --jobs: its helpers start now and warm up while the prefilter runs.
    helpers: options.jobs !== undefined && mayHelp ? jobs - 1 : 0,
    local: () =>
      stage2
        ? canonicalWorker(stage2Results, texts, root, within)
        : migrateWorker(init, mctx, writer?.write, (file) => {
            const text = scannedTexts.get(file);
            scannedTexts.delete(file);
            return text;
          }),
  });
  const addHelpers = (n: number): void => {
    pool.addHelpers(Math.min(jobs - 1, Math.max(1, n)));
    // A helper reads its files itself, and which thread takes a file is not known here.
    scannedTexts.clear();
  };

  // Candidates go to the pool as the prefilter finds them (a stream): helpers take them, and this
  // thread works through the rest between batches of files read. Not when the run must first know
  // that it rewrites no file with uncommitted changes (those are planned first, below). Two phases
  // when the set of files to write must be known first (--limit, --typecheck): plan everywhere,
  // then write only the chosen files.
  const twoPhase = !options.dryRun && (options.limit !== undefined || Boolean(options.typecheck));
  const firstMode: MigrateItem['mode'] = twoPhase ? 'plan' : options.dryRun ? 'diff' : 'write';
  const streams = !stage2 && dirty.size === 0;
  let stream: PoolStream<MigrateItem, FileOutcome> | undefined = streams ? pool.stream() : undefined;
  let sent = 0;
  const send = (all: boolean): void => {
    while (stream && candidates.length - sent >= (all ? 1 : STREAM_BATCH)) {
      const n = Math.min(STREAM_BATCH, candidates.length - sent);
      // The files the type checker looks at are planned by the pool and written by applyFit.
      const items = candidates
        .slice(sent, sent + n)
        .map((file) => ({ file, mode: fitFiles.has(file) ? ('plan' as const) : firstMode }));
      stream.push(items);
      sent += n;
    }
  };

  // The text prefilter runs here, on the main thread, over bytes read here or by the read thread:
  // reading is cheap, parsing is the cost, so only files that spell a legacy module are parsed.
  // Files that could not be read (listed), and how many the prefilter ruled out (counted only).
  const unreadable: FileOutcome[] = [];
  let ruledOutCount = 0;
  const candidates: string[] = [];
  // Candidates that read or call members of moved classes, and those such a file reaches through
  // imports: planned by the pool, checked with the type checker and written here (fit.ts), so the
  // compat layer takes every call they make.
  const fitting = stage2 ? undefined : fitSelection(mctx, projectFiles, options.fitEveryChangedFile);
  // The lib files and installed packages the fit check parses serve --typecheck's program too.
  const sourceFiles = options.typecheck ? new SourceFileCache() : undefined;
  const fitFiles = new Set<string>();
  // Stage 2 plans on this thread from the texts read here.
  const texts = new Map<string, string>();
  // Stage 1 without helpers, streaming: the candidates' texts, which this thread's worker takes
  // between batches instead of reading each file again (its stamp is taken then; see
  // sourceFromScannedText). Held only while the stream drains them, so they stay few.
  const scannedTexts = new Map<string, string>();
  let candidateBytes = 0;
  let scanned = 0;
  let total: number | undefined;
  void scan.listing.then((l) => (total = l.files.length)).catch(() => undefined);
  const consider = (source: ScannedFile): void => {
    const { file } = source;
    const i = scanned++;
    if ('reason' in source) {
      const nothing = { rewritten: [], refused: [], kept: [], notes: [] };
      unreadable.push({ file, parsed: false, ...nothing, status: 'skipped', reason: source.reason, unreadable: true });
      return;
    }
    // Most files are ruled out by their bytes, without decoding them.
    const text = prefilter?.rulesOutBytes(source.bytes, file) ? undefined : source.bytes.toString('utf8');
    if (text !== undefined && (prefilter ? prefilter.mayMatch(text, file) : mayUse!(text))) {
      candidates.push(file);
      candidateBytes += source.bytes.length;
      if (fitting?.needsFit(file, text)) fitFiles.add(file);
      if (stage2) texts.set(file, text);
      else if (pool.helpers === 0 && stream) scannedTexts.set(file, text);
    } else ruledOutCount++;
    // The work estimate: candidate bytes so far, extrapolated to every file (to the files found
    // so far while a reading thread still walks).
    const estimate = (candidateBytes * Math.max(total ?? 0, i + 1)) / (i + 1);
    if (pool.helpers === 0 && mayHelp && i >= ESTIMATE_AFTER_FILES && i % CHECK_EVERY === 0) {
      if (estimate >= HELPER_MIN_SOURCE_BYTES) addHelpers(Math.floor(estimate / HELPER_MIN_SOURCE_BYTES) - 1);
    }
  };
  try {
    // The folders the read thread listed answer the prefilter's and the resolver's tsconfig search.
    const resolver = mctx.ctx.resolver;
    const listedFolder = ([dir, tsconfig, jsconfig]: ListedFolder): void =>
      resolver.noteFolder(dir, tsconfig, jsconfig);
    await scan.read(
      consider,
      async () => {
        send(false);
        if (!stream) return;
        // What no helper took, this thread migrates now; then the helpers' replies get in.
        await stream.drain();
        await new Promise<void>((resolve) => setImmediate(resolve));
      },
      listedFolder,
    );
  } catch (error) {
    await Promise.all([pool.close(), writer?.close()]);
    throw error;
  }
  // A missing path, a path outside the project or an empty scope failed the read above (exit 2).
  const { files, tempFiles } = await scan.listing;
  if (tempFiles.length > 0) {
    const count = tempFiles.length;
    if (options.dryRun) {
      const note = 'of an interrupted or concurrent run (a run that writes removes the leftovers)';
      options.onNotice?.(`${count} temp file(s) ${note}`);
    } else {
      const removed = removeStaleTempFiles(tempFiles);
      if (removed.length > 0) options.onNotice?.(`removed ${removed.length} temp file(s) left by an interrupted run`);
    }
  }
  send(true);
  if (pool.helpers === 0 && mayHelp && candidateBytes >= HELPER_MIN_SOURCE_BYTES)
    addHelpers(Math.floor(candidateBytes / HELPER_MIN_SOURCE_BYTES) - 1);
  const helpers = pool.helpers;
  const planOptions = {
    rename: init.rename,
    mergeImports: init.mergeImports,
    ...(init.concepts ? { concepts: init.concepts } : {}),
  };
  options.onProgress?.(files.length - candidates.length, files.length);
  const progressOffset = files.length - candidates.length;
  const progress = options.onProgress
    ? (d: number) => options.onProgress!(progressOffset + d, files.length)
    : undefined;
  // Stage 2 loads the type checker only when there is a file to rewrite.
  if (stage2 && texts.size > 0)
    stage2Results = new Map(
      (await import('../../codemods/canonical-api.js'))
        .migrateToCanonical(
          mctx,
          [...texts].map(([file, text]) => ({ file, text })),
          options.concepts ? { concepts: options.concepts } : {},
        )
        .map((r) => [r.file, r]),
    );
  const threadsUsed =
    helpers > 0 && (stream !== undefined || candidates.length >= MIN_ITEMS_FOR_HELPERS) ? helpers + 1 : 1;
  try {
    return await runWith(pool);
  } finally {
    await Promise.all([pool.close(), writer?.close()]);
  }

  // (a function declaration: hoisted above its use)
  async function runWith(pool: Pool<MigrateItem, FileOutcome>): Promise<MigrateResult> {
    /** The first pass over the candidates takes what the stream has done already. */
    const runPool = async (
      items: readonly MigrateItem[],
      withProgress: boolean,
      fit = items[0]?.mode !== 'plan',
    ): Promise<FileOutcome[]> => {
      const mode = items[0]?.mode;
      const first = stream && items.length === candidates.length && mode === firstMode ? stream : undefined;
      stream = undefined;
      // The files the type checker looks at are planned by the pool and written by applyFit.
      let out = first
        ? await first.finish(withProgress ? progress : undefined)
        : await pool.map(
            items.map((i) => (fitFiles.has(i.file) ? { ...i, mode: 'plan' as const } : i)),
            withProgress ? progress : undefined,
          );
      if (fit && mode !== undefined && fitFiles.size > 0) {
        const fitItems = items.filter((i) => fitFiles.has(i.file));
        const fitted = new Map(
          (
            await applyFit(
              mctx,
              out.filter((o) => fitFiles.has(o.file)),
              fitItems,
              mode,
              planOptions,
              fitting!,
              sourceFiles,
            )
          ).map((o) => [o.file, o]),
        );
        out = out.map((o) => fitted.get(o.file) ?? o);
      }
      if (!writer || mode !== 'write') return out;
      // A file counts as changed only once its write is confirmed.
      const failedWrites = await writer.flush();
      return failedWrites.size === 0
        ? out
        : out.map((o) => (failedWrites.has(o.file) ? writeFailed(o, failedWrites.get(o.file)!) : o));
    };

    // Dirty candidates are planned first: the run stops before writing anything if it would
    // rewrite one of them.
    const dirtyCandidates = dirty.size === 0 ? [] : candidates.filter((f) => dirty.has(realPath(f)));
    if (dirtyCandidates.length > 0) {
      const planned = await runPool(
        dirtyCandidates.map((file) => ({ file, mode: 'plan' })),
        false,
        true,
      );
      const blocking = planned.filter((o) => o.status === 'changed').map((o) => o.file);
      if (blocking.length > 0) refuseDirty(blocking, root);
    }

    let outcomes: FileOutcome[];
    const finalOutcomes = new Map<string, FileOutcome>();
    let typecheckReports = new Map<string, TypecheckFinding[]>();
    let typecheckProven = new Set<string>();
    let typecheckOutside = new Set<string>();
    const rolledBack = new Set<string>();
    let rollbackNotes: string[] = [];
    if (!twoPhase) {
      const mode = options.dryRun ? 'diff' : 'write';
      outcomes = byFile(
        await runPool(
          candidates.map((file) => ({ file, mode })),
          true,
        ),
      );
      if (options.dryRun && options.limit !== undefined) {
        // A dry run shows what the limited run would change: the first n files that change.
        const beyond = new Set(
          outcomes
            .filter((o) => o.status === 'changed')
            .slice(options.limit)
            .map((o) => o.file),
        );
        outcomes = outcomes.map((o) => {
          if (!beyond.has(o.file)) return o;
          const { diff: _diff, ...rest } = o;
          return { ...rest, status: 'skipped', reason: `beyond --limit ${options.limit}`, rewritten: [] };
        });
      }
    } else {
      outcomes = byFile(
        await runPool(
          candidates.map((file) => ({ file, mode: 'plan' })),
          true,
        ),
      );
      const planned = new Map(outcomes.map((o) => [o.file, o]));
      let chosen = outcomes.filter((o) => o.status === 'changed').map((o) => o.file);
      if (options.limit !== undefined) {
        const beyond = new Set(chosen.slice(options.limit));
        chosen = chosen.slice(0, options.limit);
        outcomes = outcomes.map((o) =>
          beyond.has(o.file)
            ? { ...o, status: 'skipped', reason: `beyond --limit ${options.limit}`, rewritten: [] }
            : o,
        );
      }
      const originals = new Map<string, string>();
      if (options.typecheck && chosen.length > 0) {
        // The text a rollback restores: what was planned on (else the file changed meanwhile).
        chosen = chosen.filter((f) => {
          const source = readSourceFile(f);
          if (source.ok && contentHash(source.text) === planned.get(f)?.readSha256) {
            originals.set(f, source.text);
            return true;
          }
          finalOutcomes.set(f, changedDuringRun(planned.get(f)!, 'changed since it was planned'));
          return false;
        });
      }
      // Each file is written only if it still holds the text that was planned (and type-checked).
      const items: MigrateItem[] = chosen.map((file) => {
        return { file, mode: 'write', expectSha256: planned.get(file)!.readSha256! };
      });
      const written = items.length > 0 ? await runPool(items, false) : [];
      for (const o of written) finalOutcomes.set(o.file, o);
      const changed = written.filter((o) => o.status === 'changed').map((o) => o.file);
      if (options.typecheck && changed.length > 0) {
        // The helpers are done: their memory goes before the type checker's comes.
        await pool.close();
        // One check of the files as written and of their original texts (see typecheckRewrites).
        const { typecheckRewrites } = await import('./typecheck.js');
        const rewrites = changed
          .filter((file) => originals.has(file))
          .map((file) => ({ file, original: originals.get(file)! }));
        const { before, after, proven, outside } = typecheckRewrites(config, rewrites, sourceFiles);
        typecheckReports = newDiagnostics(before, after);
        typecheckProven = proven;
        typecheckOutside = outside;
        if (options.rollbackOnTypeErrors) {
          for (const [file, found] of typecheckReports) {
            if (found.length === 0) continue;
            const original = originals.get(file);
            if (original === undefined) continue;
            // Restore only what this run wrote: an edit made since stays.
            const now = readSourceFile(file);
            const ours = finalOutcomes.get(file)?.writtenSha256;
            if (!now.ok || ours === undefined || contentHash(now.text) !== ours) {
              const reason = 'changed since it was written, not rolled back';
              finalOutcomes.set(file, changedDuringRun(finalOutcomes.get(file)!, reason));
              continue;
            }
            try {
              writeFileAtomic(file, original, { within, expect: { stamp: now.stamp, content: now.text } });
              rolledBack.add(file);
            } catch (error) {
              finalOutcomes.set(file, writeFailed(finalOutcomes.get(file)!, writeFailureOf(error)));
            }
          }
          if (rolledBack.size > 0) rollbackNotes = [`rolled back ${rolledBack.size} file(s) with new type errors`];
        }
      }
      outcomes = outcomes.map((o) => finalOutcomes.get(o.file) ?? o);
    }

    // Back in path order with the files that could not be read.
    outcomes = byFile([...outcomes, ...unreadable]);
    const reports: MigrateFileReport[] = [];
    let filesRuledOut = ruledOutCount;
    for (const o of outcomes) {
      // Files the prefilter ruled out are counted, not listed.
      if (!o.parsed && o.status === 'unchanged') {
        filesRuledOut++;
        continue;
      }
      const report: MigrateFileReport = {
        file: displayPath(root, o.file),
        status: o.status,
        parsed: o.parsed,
        rewritten: o.rewritten,
        sitesRewritten: 0,
        refused: o.refused,
        kept: o.kept,
      };
      if (o.reason) report.reason = o.reason;
      if (o.unreadable) report.unreadable = true;
      if (o.error) report.error = o.error;
      if (o.notes.length > 0) report.notes = o.notes;
      if (o.diff) report.diff = o.diff;
      if (o.changedDuringRun) report.changedDuringRun = true;
      const diags = typecheckReports.get(o.file);
      if (diags && diags.length > 0) report.newDiagnostics = diags;
      if (diags)
        report.typecheck = typecheckProven.has(o.file)
          ? 'proven'
          : typecheckOutside.has(o.file)
            ? 'outside'
            : 'checked';
      if (rolledBack.has(o.file)) {
        report.rolledBack = true;
        report.status = 'failed';
        report.error = `rolled back: ${diags?.length ?? 0} new type error(s)`;
        report.rewritten = [];
      }
      report.sitesRewritten = report.rewritten.length;
      reports.push(report);
    }
    for (const note of rollbackNotes) options.onNotice?.(note);
    const summary = summarize(reports, filesRuledOut, {
      dryRun: Boolean(options.dryRun),
      gitTree,
      jobs,
      threads: threadsUsed,
      timeMs: Math.round(performance.now() - started),
      typecheck: Boolean(options.typecheck),
    });
    return { root, files: reports, missing: [], summary, exitCode: migrateExitCode(summary) };
  }
}

/**
 * In path order: a reading thread hands files over in the order its walk finds them, and --limit
 * takes the first files in path order.
 */
function byFile(outcomes: FileOutcome[]): FileOutcome[] {
  return outcomes.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** Diagnostics present after but not before, per file (compared by code and message, as a multiset). */
function newDiagnostics(
  before: Map<string, TypecheckFinding[]>,
  after: Map<string, TypecheckFinding[]>,
): Map<string, TypecheckFinding[]> {
  const out = new Map<string, TypecheckFinding[]>();
  for (const [file, list] of after) out.set(file, newFindings(before.get(file) ?? [], list));
  return out;
}
