import { MessagePort } from 'node:worker_threads';
import { createSourceScanner } from '../shared/source-file.js';

/**
 * The reading half of `ssot migrate`'s prefilter: every listed file is read once, in order, and
 * handed to the caller, which decides from the bytes whether the file can hold a legacy import.
 * Reading thousands of files is mostly system calls; on a thread of its own it overlaps the
 * parsing and planning of the candidates found so far, which the main thread does meanwhile. The
 * thread reads only: the prefilter itself (per folder, from the tsconfig that applies) stays on
 * the main thread, so there is one prefilter and no TypeScript load in the reading thread.
 */

/** A file of the scan: its bytes (valid during the callback only), or why it could not be read. */
export type ScannedFile = { file: string; bytes: Buffer } | { file: string; reason: string };

export interface Scan {
  /**
   * Calls `onFile` for every file in order, and awaits `betweenBatches` after each batch (the
   * caller works on what it found meanwhile). Rejects if the reading thread fails.
   */
  read(onFile: (file: ScannedFile) => void, betweenBatches: () => Promise<void>): Promise<void>;
}

/** Files per batch: the caller gets to work on candidates between batches. */
const BATCH_FILES = 64;

/** Reads on the calling thread. */
export function scanInThread(files: readonly string[]): Scan {
  return {
    async read(onFile, betweenBatches) {
      const readSource = createSourceScanner();
      for (let i = 0; i < files.length; i++) {
        const file = files[i]!;
        const read = readSource(file);
        onFile(read.ok ? { file, bytes: read.bytes } : { file, reason: read.reason });
        if ((i + 1) % BATCH_FILES === 0) await betweenBatches();
      }
    },
  };
}

/**
 * A batch as the reading thread sends it: the bytes of its files one after another in one buffer
 * (one transfer, no copy), `ends[i]` where file i's bytes end, or -1 and `reasons[i]` when it
 * could not be read.
 */
interface BatchMessage {
  kind: 'batch';
  files: string[];
  buffer: ArrayBuffer;
  ends: number[];
  reasons: Record<number, string>;
}

type ScanMessage = BatchMessage | { kind: 'end' } | { kind: 'failed'; message: string };

/** The request that starts the reading in the thread (see serveScan). */
export interface ScanRequest {
  files: string[];
  port: MessagePort;
}

/** Reads what a scan thread sends on `port` (the other end is given to serveScan). */
export function scanFromPort(port: MessagePort): Scan {
  return {
    read(onFile, betweenBatches) {
      return new Promise<void>((resolve, reject) => {
        const queue: ScanMessage[] = [];
        let working = false;
        let settled = false;
        const settle = (error?: Error): void => {
          if (settled) return;
          settled = true;
          port.off('message', receive);
          port.off('close', closed);
          port.close();
          if (error) reject(error);
          else resolve();
        };
        // One batch at a time: the callbacks of a batch run before the next batch is looked at.
        const work = async (): Promise<void> => {
          if (working) return;
          working = true;
          try {
            for (let m = queue.shift(); m !== undefined && !settled; m = queue.shift()) {
              if (m.kind === 'end') return settle();
              if (m.kind === 'failed') return settle(new Error(`the reading thread failed: ${m.message}`));
              const bytes = Buffer.from(m.buffer);
              let start = 0;
              for (let i = 0; i < m.files.length; i++) {
                const end = m.ends[i]!;
                if (end < 0) onFile({ file: m.files[i]!, reason: m.reasons[i]! });
                else {
                  onFile({ file: m.files[i]!, bytes: bytes.subarray(start, end) });
                  start = end;
                }
              }
              await betweenBatches();
            }
          } catch (error) {
            settle(error as Error);
          } finally {
            working = false;
          }
        };
        const receive = (m: ScanMessage): void => {
          queue.push(m);
          void work();
        };
        const closed = (): void => {
          // The thread ended (crashed, terminated) before it sent the end: the files it did not
          // send were never read, so there is no verdict over them.
          queue.push({ kind: 'failed', message: 'it ended before reading every file' });
          void work();
        };
        port.on('message', receive);
        port.on('close', closed);
      });
    },
  };
}

/** Size of a batch's buffer; a batch that holds a larger file gets a larger one. */
const BATCH_BYTES = 512 * 1024;

/**
 * The thread's side: reads `files` in order and sends them in batches on `port`. The port stays
 * open (the receiver closes it after the end): a port that closes tells the receiver that the
 * thread is gone.
 */
export function serveScan({ files, port }: ScanRequest): void {
  try {
    const readSource = createSourceScanner();
    let batch: BatchMessage | undefined;
    let bytes = Buffer.alloc(0);
    let used = 0;
    const send = (): void => {
      // The batch's buffer moves to the receiver (transferred, not copied).
      if (batch) port.postMessage(batch, [batch.buffer]);
      batch = undefined;
    };
    for (const file of files) {
      const read = readSource(file);
      const size = read.ok ? read.bytes.length : 0;
      if (batch && used + size > batch.buffer.byteLength) send();
      if (!batch) {
        batch = {
          kind: 'batch',
          files: [],
          buffer: new ArrayBuffer(Math.max(BATCH_BYTES, size)),
          ends: [],
          reasons: {},
        };
        bytes = Buffer.from(batch.buffer);
        used = 0;
      }
      const i = batch.files.length;
      batch.files.push(file);
      if (!read.ok) {
        batch.ends.push(-1);
        batch.reasons[i] = read.reason;
      } else {
        read.bytes.copy(bytes, used);
        used += size;
        batch.ends.push(used);
      }
      if (batch.files.length >= BATCH_FILES) send();
    }
    send();
    port.postMessage({ kind: 'end' } satisfies ScanMessage);
  } catch (error) {
    port.postMessage({ kind: 'failed', message: (error as Error)?.message ?? String(error) } satisfies ScanMessage);
  }
}
