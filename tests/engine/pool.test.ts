import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type * as PoolModule from '../../src/engine/pool.js';
import { ensureBuilt, REPO } from '../helpers/index.js';

// Real helper threads run built JavaScript: the pool and the worker module come from dist.
let pool: typeof PoolModule;
const workerUrl = new URL('./workers/square.mjs', import.meta.url);
type Out = { value: number; thread: number };
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  ensureBuilt();
  pool = (await import(`${REPO}/dist/src/engine/pool.js`)) as typeof PoolModule;
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
});

function start(init: Record<string, number>, helpers: number) {
  const p = pool.startPool<Record<string, number>, number, Out>({ workerUrl, init: { factor: 3, ...init }, helpers });
  open.push(p);
  return p;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('startPool', () => {
  it('returns results in input order, with the main thread and a helper both working', async () => {
    const p = start({}, 1);
    const out = await p.map(range(400));
    expect(out.map((o) => o.value)).toEqual(range(400).map((n) => n * 3));
    const threads = new Set(out.map((o) => o.thread));
    expect(threads.has(0)).toBe(true);
    expect(threads.size).toBe(2);
  });

  it('keeps small runs and runs without helpers in the main thread', async () => {
    const small = await start({}, 1).map(range(pool.MIN_ITEMS_FOR_HELPERS - 1));
    expect(new Set(small.map((o) => o.thread))).toEqual(new Set([0]));
    const none = await start({}, 0).map(range(200));
    expect(new Set(none.map((o) => o.thread))).toEqual(new Set([0]));
  });

  it('a long run in the main thread lets the event loop in between its batches', async () => {
    // What runs on the loop (I/O completions, native finalizers) must not wait for the whole run.
    let doneWhenLoopRan: number | undefined;
    let done = 0;
    const out = await start({}, 0).map(range(200), (d) => {
      // Asked for once the work has begun: it runs only when the thread yields.
      if (done === 0) setImmediate(() => (doneWhenLoopRan = done));
      done = d;
    });
    expect(out.map((o) => o.value)).toEqual(range(200).map((n) => n * 3));
    expect(doneWhenLoopRan).toBeDefined();
    expect(doneWhenLoopRan!).toBeLessThan(200);
  });

  it('can map several times and reports progress up to the total', async () => {
    const p = start({}, 1);
    const seen: number[] = [];
    await p.map(range(100), (done, total) => {
      expect(total).toBe(100);
      seen.push(done);
    });
    expect(seen.at(-1)).toBe(100);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect((await p.map([5])).map((o) => o.value)).toEqual([15]);
  });

  it('drains pushed batches in this thread, and a running stream takes on helpers started later', async () => {
    const p = start({}, 0);
    const s = p.stream();
    s.push(range(8));
    await s.drain();
    // A helper that starts now joins the stream and takes what is pushed while it is idle.
    p.addHelpers(1);
    expect(p.helpers).toBe(1);
    for (let i = 8; i < 400; i += 8) s.push(range(400).slice(i, i + 8));
    const out = await s.finish();
    expect(out.map((o) => o.value)).toEqual(range(400).map((n) => n * 3));
    expect(out.slice(0, 8).every((o) => o.thread === 0)).toBe(true);
    expect(new Set(out.map((o) => o.thread)).size).toBe(2);
  });

  it('rejects when an item throws, whichever thread ran it', async () => {
    await expect(start({ throwOn: 150 }, 1).map(range(300))).rejects.toThrow(/boom on 150/);
  });

  it('rejects instead of hanging when a helper exits on its own', async () => {
    // The helper is fed a batch at once and exits on it; the main thread would finish its share.
    await expect(start({ helperExits: 1 }, 1).map(range(300))).rejects.toThrow(/worker exited with code 3/);
  });
});

describe('mapInPool', () => {
  it('gives the same results with one thread and with two', async () => {
    const one = await pool.mapInPool<Record<string, number>, number, Out>({
      workerUrl,
      init: { factor: 2 },
      items: range(120),
      jobs: 1,
    });
    const two = await pool.mapInPool<Record<string, number>, number, Out>({
      workerUrl,
      init: { factor: 2 },
      items: range(120),
      jobs: 2,
    });
    expect(two.map((o) => o.value)).toEqual(one.map((o) => o.value));
    expect(new Set(one.map((o) => o.thread))).toEqual(new Set([0]));
  });
});

describe('batchSizeFor', () => {
  it('stays between 2 and 16 items and shrinks with more threads', () => {
    expect(pool.batchSizeFor(10, 2)).toBe(2);
    expect(pool.batchSizeFor(100_000, 2)).toBe(16);
    expect(pool.batchSizeFor(200, 4)).toBeLessThanOrEqual(pool.batchSizeFor(200, 2));
  });
});
