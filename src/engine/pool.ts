import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

/**
 * The one worker pool of the CLI (report, init and migrate): the main thread works through the
 * items itself and helper threads take batches beside it. On a 2-core machine a pool whose main
 * thread idles while its workers run pays for one more TypeScript load than it needs; so the main
 * thread (which has TypeScript loaded already) always works, and helpers only join when the run
 * is large enough to repay their start-up. Results come back in input order.
 *
 * A worker module calls `defineWorker(import.meta.url, setup)` at top level: in a helper thread
 * that starts serving batches, in the main thread it registers `setup` so the same code runs
 * in-thread.
 */
export type WorkerSetup<TInit, TItem, TResult> = (init: TInit) => (item: TItem) => TResult;

export interface Pool<TItem, TResult> {
  map(items: readonly TItem[], onProgress?: (done: number, total: number) => void): Promise<TResult[]>;
  /**
   * Items handed to the helpers while the caller still produces them (the prefilter finds
   * candidates as it reads): each push is a batch an idle helper takes at once. A caller that
   * works synchronously between pushes should yield now and then, so that a helper's reply (and
   * its next batch) gets through.
   */
  stream(): PoolStream<TItem, TResult>;
  /**
   * Starts more helpers; a stream that is running takes them on (a run that learns only while it
   * reads that its work repays a helper).
   */
  addHelpers(n: number): void;
  /** Helper threads started so far. */
  readonly helpers: number;
  close(): Promise<void>;
}

export interface PoolStream<TItem, TResult> {
  push(items: readonly TItem[]): void;
  /**
   * This thread works through the batches pushed so far that no helper has taken, then returns
   * (the caller pushes more later); results are kept for `finish`.
   */
  drain(): Promise<void>;
  /** No more items: this thread works through the batches no helper has taken; results in push order. */
  finish(onProgress?: (done: number, total: number) => void): Promise<TResult[]>;
}

export interface PoolOptions<TInit, TItem, TResult> {
  /** URL of a module that calls `defineWorker()` at top level. */
  workerUrl: URL;
  /** Passed once to each helper's setup (must be structured-cloneable). */
  init: TInit;
  /** Helper threads besides the main thread (0: everything in the main thread). */
  helpers: number;
  /** The main thread's own run (default: the worker module's setup applied to `init`). */
  local?: () => (item: TItem) => TResult;
  /** Runs with fewer items stay in the main thread (default MIN_ITEMS_FOR_HELPERS). */
  minItemsForHelpers?: number;
}

interface BatchMessage<TItem> {
  id: number;
  items: TItem[];
}

interface ResultMessage<TResult> {
  id: number;
  results?: TResult[];
  error?: string;
}

/** Fewer items than this stay in the main thread: a batch round trip is not worth it. */
export const MIN_ITEMS_FOR_HELPERS = 24;

/**
 * Source (bytes) that the analysis will parse, from which a helper thread repays its start-up (a
 * thread, our modules, TypeScript, its own prefilter, a cold parser). Report and migrate both
 * count only the files their prefilter lets through: reading and prefiltering are cheap, parsing
 * is the cost. The figures behind it (one thread against a helper on real repositories) are in
 * docs/benchmarks.md.
 */
export const HELPER_MIN_SOURCE_BYTES = 8 * 1024 * 1024;

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

const setups = new Map<string, WorkerSetup<unknown, unknown, unknown>>();

/** The same module as source (.ts, under a test runner) or as built output (.js). */
function moduleKey(url: string): string {
  return url.replace(/\.(c|m)?(t|j)s$/, '');
}

export function defineWorker<TInit, TItem, TResult>(
  moduleUrl: string,
  setup: WorkerSetup<TInit, TItem, TResult>,
): void {
  setups.set(moduleKey(moduleUrl), setup as WorkerSetup<unknown, unknown, unknown>);
  if (isMainThread || !parentPort || (workerData as { moduleUrl?: string })?.moduleUrl !== moduleUrl) return;
  const port = parentPort;
  const run = setup((workerData as { init: TInit }).init);
  port.on('message', (message: BatchMessage<TItem>) => {
    try {
      port.postMessage({ id: message.id, results: message.items.map(run) } satisfies ResultMessage<TResult>);
    } catch (error) {
      const text = (error as Error)?.stack ?? String(error);
      port.postMessage({ id: message.id, error: text } satisfies ResultMessage<TResult>);
    }
  });
}

async function localSetup<TInit, TItem, TResult>(workerUrl: URL, init: TInit): Promise<(item: TItem) => TResult> {
  await import(workerUrl.href);
  const setup = setups.get(moduleKey(workerUrl.href)) as WorkerSetup<TInit, TItem, TResult> | undefined;
  if (!setup) throw new Error(`${workerUrl.href} did not call defineWorker()`);
  return setup(init);
}

/** Items per batch: small enough that a slow file does not idle the other threads. */
export function batchSizeFor(total: number, threads: number): number {
  return Math.max(2, Math.min(16, Math.ceil(total / (threads * 8))));
}

/**
 * Starts the helpers at once (their start-up overlaps whatever the caller does before `map`);
 * `map` may be called several times; `close` ends the helpers.
 */
export function startPool<TInit, TItem, TResult>(options: PoolOptions<TInit, TItem, TResult>): Pool<TItem, TResult> {
  const workerData = { moduleUrl: options.workerUrl.href, init: options.init };
  const workers: Worker[] = [];
  let localRun: ((item: TItem) => TResult) | undefined;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const fail = (error: Error): void => {
    failure ??= error;
    wake?.();
  };
  /** The stream helpers work for (a helper that starts later joins it). */
  let joinStream: ((w: Worker) => void) | undefined;
  const addHelpers = (n: number): void => {
    for (let i = 0; i < n; i++) {
      const w = new Worker(options.workerUrl, { workerData });
      w.on('error', fail);
      // A helper that exits on its own (process.exit, out of memory) must not leave `map` waiting.
      w.on('exit', (code) => fail(new Error(`worker exited with code ${code} before finishing`)));
      w.unref();
      workers.push(w);
      joinStream?.(w);
    }
  };
  addHelpers(Math.max(0, options.helpers));
  let closed = false;
  const stream = (useHelpers: boolean): PoolStream<TItem, TResult> => {
    const batches: BatchMessage<TItem>[] = [];
    const results: TResult[][] = [];
    let next = 0;
    let done = 0;
    let total = 0;
    let inFlight = 0;
    let progress: ((done: number, total: number) => void) | undefined;
    const finished = (id: number, r: TResult[]): void => {
      results[id] = r;
      done += r.length;
      progress?.(done, total);
    };
    const idle = new Set<Worker>();
    const feed = (w: Worker): void => {
      const batch = batches[next];
      if (!batch) {
        idle.add(w);
        return;
      }
      next++;
      inFlight++;
      idle.delete(w);
      w.postMessage(batch);
    };
    const listeners = new Map<Worker, (m: ResultMessage<TResult>) => void>();
    const join = (w: Worker): void => {
      const onMessage = (m: ResultMessage<TResult>): void => {
        inFlight--;
        if (m.error !== undefined || !m.results) fail(new Error(`worker failed: ${m.error ?? 'no results'}`));
        else finished(m.id, m.results);
        feed(w);
        wake?.();
      };
      listeners.set(w, onMessage);
      w.on('message', onMessage);
      w.ref();
      feed(w);
    };
    if (useHelpers) {
      for (const w of workers) join(w);
      joinStream = join;
    }
    const runLocal = async (): Promise<(item: TItem) => TResult> =>
      (localRun ??= options.local
        ? options.local()
        : await localSetup<TInit, TItem, TResult>(options.workerUrl, options.init));
    /** This thread works through one batch no helper has taken; false when there is none. */
    const takeOne = async (): Promise<boolean> => {
      if (failure) throw failure;
      const batch = batches[next];
      if (!batch) return false;
      next++;
      finished(batch.id, batch.items.map(await runLocal()));
      // Let the helpers' replies in, so they are fed again while this thread works (and I/O
      // completions and finalizers run).
      await new Promise<void>((resolve) => setImmediate(resolve));
      return true;
    };
    return {
      push(items) {
        if (items.length === 0) return;
        batches.push({ id: batches.length, items: [...items] });
        total += items.length;
        for (const w of [...idle]) feed(w);
      },
      async drain() {
        while (await takeOne());
      },
      async finish(onProgress) {
        progress = onProgress;
        progress?.(done, total);
        try {
          for (;;) {
            if (await takeOne()) continue;
            if (failure) throw failure;
            if (inFlight === 0) break;
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
          }
          if (failure) throw failure;
        } finally {
          if (joinStream === join) joinStream = undefined;
          for (const [w, l] of listeners) {
            w.off('message', l);
            w.unref();
          }
        }
        return results.flat();
      },
    };
  };
  return {
    async map(items, onProgress) {
      const total = items.length;
      const useHelpers = workers.length > 0 && total >= (options.minItemsForHelpers ?? MIN_ITEMS_FOR_HELPERS);
      // Batches also without helpers: this thread yields to the event loop after each (finish), so
      // I/O completions and the finalizers of native results (oxc's) run during a long run.
      const batchSize = batchSizeFor(total, useHelpers ? workers.length + 1 : 1);
      const s = stream(useHelpers);
      for (let i = 0; i < total; i += batchSize) s.push(items.slice(i, i + batchSize));
      return s.finish(onProgress);
    },
    stream() {
      return stream(true);
    },
    addHelpers,
    get helpers() {
      return workers.length;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const w of workers) w.removeAllListeners('exit');
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** Helpers for a one-off map: `jobs` threads in all, helpers only for runs that repay them. */
export async function mapInPool<TInit, TItem, TResult>(options: {
  workerUrl: URL;
  init: TInit;
  items: readonly TItem[];
  /** Threads in all, the main thread included (default: available cores). */
  jobs?: number;
  onProgress?: (done: number, total: number) => void;
  minItemsForHelpers?: number;
}): Promise<TResult[]> {
  const jobs = Math.max(1, options.jobs ?? defaultJobs());
  const minItems = options.minItemsForHelpers ?? MIN_ITEMS_FOR_HELPERS;
  const helpers = options.items.length >= minItems ? Math.min(jobs - 1, options.items.length) : 0;
  const { workerUrl, init } = options;
  const pool = startPool<TInit, TItem, TResult>({ workerUrl, init, helpers, minItemsForHelpers: minItems });
  try {
    return await pool.map(options.items, options.onProgress);
  } finally {
    await pool.close();
  }
}
