import * as fs from 'node:fs';
import { MessageChannel } from 'node:worker_threads';
import type { ResolvedConfig } from '../core/config/types.js';
import { filesUpTo, scopeStarts } from '../core/files.js';
import { defaultJobs } from '../engine/pool.js';
import type { Shard } from '../shared/shard.js';
import { scanFromPort, scanInThread, type Scan } from './scan.js';
import { startWriteBehind, type WriteBehind } from './write-behind.js';

/**
 * The first step of `ssot migrate`, light enough for the CLI to take before it loads the parsers
 * and the planner (this module loads neither): the listing and reading of the run's files start
 * here, so that loading overlaps them.
 */

/** A scan under way (scan.ts), and the thread that reads it and then writes, if the run has one. */
export interface StartedScan {
  scan: Scan;
  writer?: WriteBehind;
}

/** The real path of the project root: every write must land inside it. */
export function projectRealRoot(config: ResolvedConfig): string {
  try {
    return fs.realpathSync(config.rootDir);
  } catch {
    return config.rootDir;
  }
}

/**
 * From this many files in scope the listing and reading go to a thread of their own: below it the
 * thread's start-up (an isolate, Node, the walk's modules) costs about what it saves.
 */
const READ_THREAD_MIN_FILES = 1000;

/**
 * Whether the scope may hold `n` files or more: files under its paths, counted up to `n` whatever
 * the globs and .gitignore files keep out (an upper bound: a run over a small scope never starts
 * the thread). Named paths that are missing or refused count for nothing (the scan on this thread
 * reports them).
 */
function mayHoldAtLeast(config: ResolvedConfig, paths: readonly string[], n: number): boolean {
  const { starts, missing, refused } = scopeStarts(config, paths);
  if (missing.length > 0 || refused.length > 0) return false;
  return filesUpTo(starts, n) >= n;
}

/**
 * Starts the listing and reading of a run's files: on the write-behind thread (which then writes
 * the main thread's output) when the run may use more than one thread and the scope holds at least
 * READ_THREAD_MIN_FILES files (mayHoldAtLeast), else on this thread when the run reads. migrate() calls it, or takes
 * one the caller started with the same options.
 */
export function startMigrateScan(options: {
  config: ResolvedConfig;
  paths?: readonly string[];
  shard?: Shard & { by: 'dir' | 'hash' };
  jobs?: number;
  to?: 'compat' | 'canonical';
}): StartedScan {
  const scope = {
    config: options.config,
    paths: options.paths ?? [],
    ...(options.shard ? { shard: options.shard } : {}),
  };
  // Stage 2 plans every file at once on this thread, from texts read here; --jobs 1 is one thread.
  if (
    options.to === 'canonical' ||
    Math.max(1, options.jobs ?? defaultJobs()) === 1 ||
    !mayHoldAtLeast(options.config, scope.paths, READ_THREAD_MIN_FILES)
  )
    return { scan: scanInThread(scope) };
  const channel = new MessageChannel();
  const writer = startWriteBehind({ within: projectRealRoot(options.config), scan: { ...scope, port: channel.port2 } });
  return { scan: scanFromPort(channel.port1), writer };
}
