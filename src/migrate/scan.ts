import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessagePort } from 'node:worker_threads';
import type { ResolvedConfig } from '../core/config/types.js';
import { walkScope } from '../core/files.js';
import { checkedStarts, CollectError, emptyScopeError, listScope } from '../engine/scope.js';
import { UsageError } from '../shared/errors.js';
import { selectShard, type Shard } from '../shared/shard.js';
import { createSourceScanner } from '../shared/source-file.js';

/**
 * The listing and reading half of `ssot migrate`'s prefilter: every file in scope is read once and
 * handed to the caller, which decides from the bytes whether the file can hold a legacy import.
 * On the calling thread the files are listed first and read in path order; a reading thread reads
 * each file as its walk finds it (a shard, chosen from the whole listing, is listed first there
 * too). Listing and reading thousands of files is mostly system calls; on a thread of its own
 * (started by the CLI before it loads the parsers and the planner) they overlap that loading, and
 * then the parsing and planning of the candidates found so far, which the main thread does
 * meanwhile. The thread lists and reads only: the prefilter itself (per folder, from the tsconfig
 * that applies) stays on the main thread, so there is one prefilter and no TypeScript load in the
 * reading thread.
 */

/** What to scan: the scope of a run (config, paths) and its shard. */
export interface ScanScope {
  config: ResolvedConfig;
  paths: readonly string[];
  shard?: Shard & { by: 'dir' | 'hash' };
}

export interface ScanListing {
  /** The files in scope (of the shard), in path order. */
  files: string[];
  /** Temp files of interrupted or concurrent atomic writes seen on the way. */
  tempFiles: string[];
}

/** The scope's files (listScope: a path out of scope or an empty scope is a UsageError), sharded. */
function listForScan({ config, paths, shard }: ScanScope): ScanListing {
  const listing = listScope(config, paths);
  const files = shard ? selectShard(config.rootDir, listing.files, shard, shard.by) : listing.files;
  return { files, tempFiles: listing.tempFiles };
}

/**
 * A folder a reading thread's walk listed (before the files in it): whether it holds a
 * tsconfig.json and a jsconfig.json, and, for such a regular file that the thread could read, its
 * text: so that the tsconfig search of the prefilter and the resolver need not ask the file system
 * again, nor the main thread read the configs (ModuleResolver.noteFolder). A folder where either
 * name is a symbolic link is not reported (whether it leads to a file is the file system's to say).
 */
export type ListedFolder = [dir: string, tsconfig: boolean | string, jsconfig: boolean | string];

/** A config file's text if the folder entry is a regular file that reads, else whether it is there. */
function configEntry(dir: string, entry: fs.Dirent | undefined): boolean | string {
  if (!entry) return false;
  if (!entry.isFile()) return true;
  try {
    return fs.readFileSync(path.join(dir, entry.name), 'utf8');
  } catch {
    return true;
  }
}

/** A file of the scan: its bytes (valid during the callback only), or why it could not be read. */
export type ScannedFile = { file: string; bytes: Buffer } | { file: string; reason: string };

export interface Scan {
  /**
   * The files in scope. Settled by the time `read` resolves; a reading thread that reads while it
   * walks settles it only then. Rejects with the listing's UsageError (CollectError).
   */
  listing: Promise<ScanListing>;
  /**
   * Calls `onFile` once for every file in scope, and awaits `betweenBatches` after each batch (the
   * caller works on what it found meanwhile): in path order on this thread, in walk order from a
   * reading thread that walks and reads at once. Rejects with the listing's UsageError (before any
   * file) or if the reading thread fails.
   */
  read(
    onFile: (file: ScannedFile) => void,
    betweenBatches: () => Promise<void>,
    onFolder?: (folder: ListedFolder) => void,
  ): Promise<void>;
}

/** Files per batch: the caller gets to work on candidates between batches. */
const BATCH_FILES = 64;

/** Lists and reads on the calling thread. */
export function scanInThread(scope: ScanScope): Scan {
  let listed: ScanListing | undefined;
  const listing = new Promise<ScanListing>((resolve) => resolve((listed = listForScan(scope))));
  // Awaited by the caller before it reads; a rejection it never awaits must not end the process.
  listing.catch(() => undefined);
  return {
    listing,
    async read(onFile, betweenBatches) {
      const files = listed?.files ?? (await listing).files;
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
  /** Folders listed since the last batch, before the files in them. */
  folders: ListedFolder[];
}

type ScanMessage =
  | ({ kind: 'listing' } & ScanListing)
  | BatchMessage
  | { kind: 'end' }
  | { kind: 'failed'; message: string; usage: boolean };

/** The request that starts the listing and reading in the thread (see serveScan). */
export interface ScanRequest extends ScanScope {
  port: MessagePort;
}

/** What a scan thread sends on `port` (the other end is given to serveScan). */
export function scanFromPort(port: MessagePort): Scan {
  // Until the caller reads, messages wait here (the listing is taken out at once).
  const early: ScanMessage[] = [];
  let deliver: ((m: ScanMessage) => void) | undefined;
  let listed: (listing: ScanListing) => void;
  let unlisted: (error: Error) => void;
  const listing = new Promise<ScanListing>((resolve, reject) => {
    listed = resolve;
    unlisted = reject;
  });
  listing.catch(() => undefined);
  const failure = (m: { message: string; usage: boolean }): Error =>
    m.usage ? new CollectError(m.message) : new Error(`the reading thread failed: ${m.message}`);
  const receive = (m: ScanMessage): void => {
    if (m.kind === 'listing') listed({ files: m.files, tempFiles: m.tempFiles });
    else if (m.kind === 'failed') unlisted(failure(m));
    if (deliver) deliver(m);
    else early.push(m);
  };
  const closed = (): void => {
    // The thread ended (crashed, terminated) before it sent the end: the files it did not send
    // were never read, so there is no verdict over them.
    receive({ kind: 'failed', message: 'it ended before reading every file', usage: false });
  };
  port.on('message', receive);
  port.on('close', closed);
  return {
    listing,
    read(onFile, betweenBatches, onFolder) {
      return new Promise<void>((resolve, reject) => {
        const queue: ScanMessage[] = early.splice(0);
        let working = false;
        let settled = false;
        const settle = (error?: Error): void => {
          if (settled) return;
          settled = true;
          deliver = undefined;
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
              if (m.kind === 'listing') continue;
              if (m.kind === 'end') return settle();
              if (m.kind === 'failed') return settle(failure(m));
              if (onFolder) for (const folder of m.folders) onFolder(folder);
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
        deliver = (m) => {
          queue.push(m);
          void work();
        };
        void work();
      });
    },
  };
}

/** Size of a batch's buffer; a batch that holds a larger file gets a larger one. */
const BATCH_BYTES = 512 * 1024;

/**
 * The thread's side: lists and reads the scope, sending the files in batches on `port`. Without a
 * shard it reads each file as the walk finds it (a shard is chosen from the whole listing, so a
 * sharded scan lists first); the listing (sorted) follows the last batch, or comes first when
 * sharded. The port stays open (the receiver closes it after the end): a port that closes tells
 * the receiver that the thread is gone.
 */
export function serveScan(request: ScanRequest): void {
  const { port } = request;
  const fail = (error: unknown): void => {
    const usage = error instanceof UsageError;
    port.postMessage({
      kind: 'failed',
      message: (error as Error)?.message ?? String(error),
      usage,
    } satisfies ScanMessage);
  };
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
    /** The batch that takes the next `size` bytes (a new one when they do not fit). */
    const batchFor = (size: number): BatchMessage => {
      if (batch && used + size > batch.buffer.byteLength) send();
      if (!batch) {
        const buffer = new ArrayBuffer(Math.max(BATCH_BYTES, size));
        batch = { kind: 'batch', files: [], buffer, ends: [], reasons: {}, folders: [] };
        bytes = Buffer.from(batch.buffer);
        used = 0;
      }
      return batch;
    };
    const read = (file: string): void => {
      const source = readSource(file);
      const size = source.ok ? source.bytes.length : 0;
      batch = batchFor(size);
      const i = batch.files.length;
      batch.files.push(file);
      if (!source.ok) {
        batch.ends.push(-1);
        batch.reasons[i] = source.reason;
      } else {
        source.bytes.copy(bytes, used);
        used += size;
        batch.ends.push(used);
      }
      if (batch.files.length >= BATCH_FILES) send();
    };
    if (request.shard) {
      const listing = listForScan(request);
      port.postMessage({ kind: 'listing', ...listing } satisfies ScanMessage);
      for (const file of listing.files) read(file);
      send();
    } else {
      // A named path that is missing or not project source stops the run before any file is read.
      const starts = checkedStarts(request.config, request.paths);
      const files = new Set<string>();
      const tempFiles = new Set<string>();
      walkScope(request.config, starts, {
        file: (f) => {
          if (files.has(f)) return;
          files.add(f);
          read(f);
        },
        tempFile: (f) => tempFiles.add(f),
        folder: (dir, entries) => {
          const named = (name: string) => entries.find((e) => e.name === name);
          const ts = named('tsconfig.json');
          const js = named('jsconfig.json');
          if (!ts?.isSymbolicLink() && !js?.isSymbolicLink())
            batchFor(0).folders.push([dir, configEntry(dir, ts), configEntry(dir, js)]);
        },
      });
      send();
      if (files.size === 0) throw emptyScopeError(request.config, request.paths);
      port.postMessage({
        kind: 'listing',
        files: [...files].sort(),
        tempFiles: [...tempFiles].sort(),
      } satisfies ScanMessage);
    }
    port.postMessage({ kind: 'end' } satisfies ScanMessage);
  } catch (error) {
    fail(error);
  }
}
