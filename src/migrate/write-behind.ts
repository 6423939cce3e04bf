import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { writeFailureOf, writeFileAtomic, type ExpectedFile, type WriteFailure } from '../shared/atomic-write.js';
import { serveScan, type ScanRequest } from './scan.js';

/**
 * Atomic writes on a thread of their own, so the thread that parses and plans goes on with the next
 * file while the kernel creates, writes and renames the previous one (docs/benchmarks.md has what
 * that saves). Each write is still writeFileAtomic: temp file + rename, inside the project root,
 * compare-and-swap against the file as it was read, so an interrupted run leaves every file old or
 * new and a file edited meanwhile is left alone.
 * `flush()` waits for all of them and says which failed; callers report a file only after that.
 *
 * Memory stays bounded: when more than `maxPendingBytes` of output waits, `write` does the write
 * itself, synchronously, until the thread catches up.
 */
export interface WriteBehind {
  write(file: string, data: string, expect?: ExpectedFile): void;
  /** Waits for every write so far. Returns the failed ones: file -> why. */
  flush(): Promise<Map<string, WriteFailure>>;
  close(): Promise<void>;
}

interface WriteRequest {
  id: number;
  file: string;
  data: string;
  expect?: ExpectedFile;
}

interface WriteReply {
  id: number;
  failure?: WriteFailure;
}

/** Marks the writer thread (other worker threads import this module too, and must not serve). */
const WRITE_BEHIND = 'ssotWriteBehind';

export const DEFAULT_MAX_PENDING_BYTES = 32 * 1024 * 1024;

export interface WriteBehindOptions {
  maxPendingBytes?: number;
  /** The real path of the folder every write must land in (the project root). */
  within?: string;
  /**
   * Files the thread reads first, for the prefilter (scan.ts), before it serves writes: one
   * thread overlaps both the reading and the writing with the main thread's parsing.
   */
  scan?: ScanRequest;
}

export function startWriteBehind(options: WriteBehindOptions = {}): WriteBehind {
  const maxPendingBytes = options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES;
  const within = options.within;
  const scan = options.scan;
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { [WRITE_BEHIND]: true, within, ...(scan ? { scan } : {}) },
    ...(scan ? { transferList: [scan.port] } : {}),
  });
  const pending = new Map<number, { file: string; bytes: number }>();
  const failed = new Map<string, WriteFailure>();
  let pendingBytes = 0;
  let nextId = 0;
  let crashed: Error | undefined;
  let waiters: Array<() => void> = [];
  const settle = (): void => {
    if (pending.size > 0 && !crashed) return;
    const ws = waiters;
    waiters = [];
    for (const w of ws) w();
  };
  worker.on('message', (reply: WriteReply) => {
    const entry = pending.get(reply.id);
    if (!entry) return;
    pending.delete(reply.id);
    pendingBytes -= entry.bytes;
    if (reply.failure !== undefined) failed.set(entry.file, reply.failure);
    settle();
  });
  const fail = (error: Error): void => {
    crashed ??= error;
    // Whatever the thread had not confirmed counts as failed: never report an unconfirmed write.
    const reason = `writer thread failed: ${error.message}`;
    for (const { file } of pending.values()) failed.set(file, { reason, kind: 'io' });
    pending.clear();
    pendingBytes = 0;
    settle();
  };
  worker.on('error', fail);
  // An exit without an error (killed, terminated) must not leave flush() waiting forever.
  worker.on('exit', (code) => fail(new Error(`writer thread exited (code ${code})`)));
  worker.unref();
  return {
    write(file, data, expect) {
      // What the queued strings hold, at most (the output, and the original to compare with).
      const bytes = (data.length + (typeof expect?.content === 'string' ? expect.content.length : 0)) * 2;
      if (crashed || pendingBytes + bytes > maxPendingBytes) {
        try {
          writeFileAtomic(file, data, { ...(within !== undefined ? { within } : {}), ...(expect ? { expect } : {}) });
        } catch (error) {
          failed.set(file, writeFailureOf(error));
        }
        return;
      }
      const id = nextId++;
      pending.set(id, { file, bytes });
      pendingBytes += bytes;
      worker.ref();
      worker.postMessage({ id, file, data, ...(expect ? { expect } : {}) } satisfies WriteRequest);
    },
    async flush() {
      if (pending.size > 0 && !crashed) await new Promise<void>((resolve) => waiters.push(resolve));
      worker.unref();
      const out = new Map(failed);
      failed.clear();
      return out;
    },
    async close() {
      await worker.terminate();
    },
  };
}

// The thread: write what arrives, in order, and confirm each write.
if (!isMainThread && parentPort && (workerData as Record<string, unknown> | null)?.[WRITE_BEHIND] === true) {
  const port = parentPort;
  const { within, scan } = workerData as { within?: string; scan?: ScanRequest };
  port.on('message', ({ id, file, data, expect }: WriteRequest) => {
    let failure: WriteFailure | undefined;
    try {
      writeFileAtomic(file, data, { ...(within !== undefined ? { within } : {}), ...(expect ? { expect } : {}) });
    } catch (error) {
      failure = writeFailureOf(error);
    }
    port.postMessage({ id, ...(failure !== undefined ? { failure } : {}) } satisfies WriteReply);
  });
  // Writes that arrive meanwhile wait for the scan (they are queued on the port).
  if (scan) serveScan(scan);
}
