import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

/**
 * A small ordered map over worker threads. The main thread splits `items` into batches and
 * hands them out as workers become free (so one slow file does not idle the other cores);
 * results come back in input order. With `jobs <= 1`, or few items, it runs in this thread:
 * starting a worker costs ~50 ms and a second copy of TypeScript, which small runs do not repay.
 */
export interface PoolOptions<TInit, TItem> {
  /** URL of a module that calls `defineWorker()` at top level. */
  workerUrl: URL;
  /** Passed once to each worker's setup (must be structured-cloneable). */
  init: TInit;
  items: readonly TItem[];
  /** Number of worker threads (default: available cores). */
  jobs?: number;
  /** Items per message (default: adaptive). */
  batchSize?: number;
  /** Below this many items the work runs in-thread (default 64). */
  minItemsForWorkers?: number;
  /** Called as results arrive, for progress. */
  onProgress?: (done: number, total: number) => void;
}

export type WorkerSetup<TInit, TItem, TResult> = (init: TInit) => (item: TItem) => TResult;

interface BatchMessage<TItem> {
  id: number;
  items: TItem[];
}

interface ResultMessage<TResult> {
  id: number;
  results?: TResult[];
  error?: string;
}

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

const setups = new Map<string, WorkerSetup<unknown, unknown, unknown>>();

/** The same module as source (.ts, under a test runner) or as built output (.js). */
function moduleKey(url: string): string {
  return url.replace(/\.(c|m)?(t|j)s$/, '');
}

/**
 * Declares the work of a worker module. In a worker thread it starts serving batches; in the
 * main thread it registers the setup so `mapInPool` can run the same code in-thread.
 */
export function defineWorker<TInit, TItem, TResult>(moduleUrl: string, setup: WorkerSetup<TInit, TItem, TResult>): void {
  setups.set(moduleKey(moduleUrl), setup as WorkerSetup<unknown, unknown, unknown>);
  if (isMainThread || !parentPort || (workerData as { moduleUrl?: string })?.moduleUrl !== moduleUrl) return;
  const port = parentPort;
  const run = setup((workerData as { init: TInit }).init);
  port.on('message', (message: BatchMessage<TItem>) => {
    try {
      port.postMessage({ id: message.id, results: message.items.map(run) } satisfies ResultMessage<TResult>);
    } catch (error) {
      port.postMessage({ id: message.id, error: (error as Error)?.stack ?? String(error) } satisfies ResultMessage<TResult>);
    }
  });
}

export async function mapInPool<TInit, TItem, TResult>(options: PoolOptions<TInit, TItem>): Promise<TResult[]> {
  const { items, onProgress } = options;
  const total = items.length;
  const jobs = Math.max(1, Math.min(options.jobs ?? defaultJobs(), total));
  const minItems = options.minItemsForWorkers ?? 64;
  if (jobs <= 1 || total < minItems) {
    await import(options.workerUrl.href);
    const setup = setups.get(moduleKey(options.workerUrl.href)) as WorkerSetup<TInit, TItem, TResult> | undefined;
    if (!setup) throw new Error(`${options.workerUrl.href} did not call defineWorker()`);
    const run = setup(options.init);
    const out: TResult[] = [];
    items.forEach((item, i) => {
      out.push(run(item));
      onProgress?.(i + 1, total);
    });
    return out;
  }

  const batchSize = options.batchSize ?? Math.max(1, Math.min(64, Math.ceil(total / (jobs * 8))));
  const batches: BatchMessage<TItem>[] = [];
  for (let i = 0, id = 0; i < total; i += batchSize, id++) batches.push({ id, items: items.slice(i, i + batchSize) as TItem[] });
  const results: TResult[][] = new Array(batches.length);
  let next = 0;
  let done = 0;

  const workers = Array.from({ length: jobs }, () => new Worker(options.workerUrl, { workerData: { moduleUrl: options.workerUrl.href, init: options.init } }));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const feed = (): void => {
              const batch = batches[next++];
              if (!batch) {
                resolve();
                return;
              }
              worker.postMessage(batch);
            };
            worker.on('message', (message: ResultMessage<TResult>) => {
              if (message.error !== undefined || !message.results) {
                reject(new Error(`worker failed: ${message.error ?? 'no results'}`));
                return;
              }
              results[message.id] = message.results;
              done += message.results.length;
              onProgress?.(done, total);
              feed();
            });
            worker.once('error', reject);
            worker.once('exit', (code) => {
              if (next <= batches.length && done < total) reject(new Error(`worker exited with code ${code} before finishing`));
            });
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results.flat();
}
