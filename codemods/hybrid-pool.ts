import { Worker } from 'node:worker_threads';

/**
 * Worker threads plus the main thread. `src/engine/pool.ts` leaves the main thread idle while
 * its workers run, and each worker loads its own TypeScript (~80 MB, ~0.5 s): on a 2-core
 * machine the codemod is faster and smaller with the main thread working (it has TypeScript
 * loaded already) and helpers only where the work repays their start-up. Same wire protocol as
 * pool.ts (`defineWorker` serves `{ id, items }` batches with `{ id, results | error }`);
 * results come back in input order.
 */
export interface HybridPool<TItem, TResult> {
  map(items: readonly TItem[], onProgress?: (done: number, total: number) => void): Promise<TResult[]>;
  close(): Promise<void>;
}

interface ResultMessage<TResult> {
  id: number;
  results?: TResult[];
  error?: string;
}

export function startHybridPool<TInit, TItem, TResult>(options: {
  workerUrl: URL;
  init: TInit;
  /** Extra threads besides the main thread (0: everything in the main thread). */
  workers: number;
  /** The same work, run in the main thread. */
  local: () => (item: TItem) => TResult;
}): HybridPool<TItem, TResult> {
  const workers = Array.from({ length: Math.max(0, options.workers) }, () => new Worker(options.workerUrl, { workerData: { moduleUrl: options.workerUrl.href, init: options.init } }));
  let localRun: ((item: TItem) => TResult) | undefined;
  let failure: Error | undefined;
  for (const w of workers) {
    w.on('error', (e) => (failure ??= e));
    w.unref();
  }
  return {
    async map(items, onProgress) {
      const total = items.length;
      localRun ??= options.local();
      const run = localRun;
      // Small runs stay in the main thread: a batch round trip is not worth it.
      const useWorkers = workers.length > 0 && total >= 24;
      const batchSize = useWorkers ? Math.max(2, Math.min(16, Math.ceil(total / ((workers.length + 1) * 8)))) : total || 1;
      const batches: { id: number; items: TItem[] }[] = [];
      for (let i = 0, id = 0; i < total; i += batchSize, id++) batches.push({ id, items: items.slice(i, i + batchSize) as TItem[] });
      const results: TResult[][] = new Array(batches.length);
      let next = 0;
      let done = 0;
      let inFlight = 0;
      let wake: (() => void) | undefined;
      const finished = (id: number, r: TResult[]) => {
        results[id] = r;
        done += r.length;
        onProgress?.(done, total);
      };
      const feed = (w: Worker) => {
        const batch = batches[next++];
        if (!batch) return;
        inFlight++;
        w.postMessage(batch);
      };
      const listeners = new Map<Worker, (m: ResultMessage<TResult>) => void>();
      if (useWorkers) {
        for (const w of workers) {
          const onMessage = (m: ResultMessage<TResult>) => {
            inFlight--;
            if (m.error !== undefined || !m.results) failure ??= new Error(`worker failed: ${m.error ?? 'no results'}`);
            else finished(m.id, m.results);
            feed(w);
            wake?.();
          };
          listeners.set(w, onMessage);
          w.on('message', onMessage);
          w.ref();
          feed(w);
        }
      }
      try {
        for (;;) {
          if (failure) throw failure;
          const batch = batches[next];
          if (batch) {
            next++;
            finished(batch.id, batch.items.map(run));
            // Let the workers' replies in, so they are fed again while this thread works.
            await new Promise<void>((resolve) => setImmediate(resolve));
            continue;
          }
          if (inFlight === 0) break;
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
        if (failure) throw failure;
      } finally {
        for (const [w, l] of listeners) {
          w.off('message', l);
          w.unref();
        }
      }
      return results.flat();
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
