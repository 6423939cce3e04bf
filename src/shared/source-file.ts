import * as fs from 'node:fs';

/**
 * What a file was when it was read: enough to tell, before replacing it, whether anything wrote
 * to it since (compare-and-swap in atomic-write.ts), and what owner and mode to keep. Times in
 * nanoseconds; `ino`, `dev` and the times as bigints (they exceed 2^53 on some file systems).
 */
export interface FileStamp {
  dev: bigint;
  ino: bigint;
  size: number;
  mtimeNs: bigint;
  ctimeNs: bigint;
  nlink: number;
  uid: number;
  gid: number;
  mode: number;
}

export type SourceRead =
  | {
      ok: true;
      text: string;
      bytes: number;
      stamp: FileStamp;
      /** False when the bytes are not valid UTF-8 (only with `allowInvalidUtf8`): the text holds U+FFFD where they were. */
      validUtf8: boolean;
    }
  | { ok: false; reason: string };

export function stampOf(st: fs.BigIntStats): FileStamp {
  return {
    dev: st.dev,
    ino: st.ino,
    size: Number(st.size),
    mtimeNs: st.mtimeNs,
    ctimeNs: st.ctimeNs,
    nlink: Number(st.nlink),
    uid: Number(st.uid),
    gid: Number(st.gid),
    mode: Number(st.mode),
  };
}

/** What kind of file a stat describes, for messages ('FIFO', 'folder', ...). */
export function fileKind(st: fs.Stats | fs.BigIntStats): string {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'folder';
  if (st.isFIFO()) return 'FIFO';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  if (st.isSymbolicLink()) return 'symbolic link';
  return 'special file';
}

/**
 * Opening for reading never waits: a FIFO opened without O_NONBLOCK blocks until a writer
 * appears (a FIFO named on the command line would hang the run). On regular files the flag does
 * nothing. Windows has neither flag.
 */
const READ_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

/**
 * Reads a file as source text for analysis or rewriting. A file that cannot be read, is not a
 * regular file (FIFO, device, socket) or holds a NUL byte (binary) is a `reason`, never an
 * exception: one odd file must not end the run. A file that is not valid UTF-8 is a reason too,
 * unless `allowInvalidUtf8`: analysis reads it as ESLint does (each invalid sequence becomes
 * U+FFFD; specifiers and names are intact), while a rewrite must refuse it, since a text round
 * trip would not reproduce its bytes. The stamp is taken from the open file before its bytes are
 * read, so a write that lands during the read shows as a change later.
 */
export function readSourceFile(file: string, options: { allowInvalidUtf8?: boolean } = {}): SourceRead {
  const read = readBytes(file);
  if (!read.ok) return read;
  const { buffer, stamp } = read;
  const text = buffer.toString('utf8');
  // toString replaces invalid sequences with U+FFFD; a file that holds U+FFFD itself re-encodes
  // to the same bytes, so the comparison is only needed when the replacement character appears.
  // Valid UTF-8 means `text` encodes back to exactly these bytes: a hash of the text is a hash of the file.
  const validUtf8 = !text.includes('\uFFFD') || Buffer.from(text, 'utf8').equals(buffer);
  if (!validUtf8 && !options.allowInvalidUtf8) return { ok: false, reason: 'not valid UTF-8' };
  return { ok: true, text, bytes: buffer.length, stamp, validUtf8 };
}

/**
 * readSourceFile for a file whose bytes an earlier pass of the same run read already (migrate's
 * scan, createSourceScanner: a regular file without a NUL byte) and decoded as `text`
 * (`bytes.toString('utf8')`): the file is not read again, only its status is taken, now. That
 * stamp is newer than the bytes, and it need not match them: whoever writes the file compares
 * its bytes with `text` as well (atomic-write's compare-and-swap), so a change between the read
 * and this call shows as different content and the write is refused, as a change after
 * readSourceFile would be. Falls back to reading the file when `text` holds U+FFFD, which alone
 * cannot tell invalid UTF-8 from the character itself.
 */
export function sourceFromScannedText(file: string, text: string): SourceRead {
  if (text.includes('\uFFFD')) return readSourceFile(file);
  let st: fs.BigIntStats;
  try {
    st = fs.statSync(file, { bigint: true });
  } catch (error) {
    return { ok: false, reason: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  if (!st.isFile()) return { ok: false, reason: `not a regular file (${fileKind(st)})` };
  return { ok: true, text, bytes: Buffer.byteLength(text, 'utf8'), stamp: stampOf(st), validUtf8: true };
}

/**
 * Opens a file to read it as source: the descriptor (the caller closes it) and its status, or
 * why it cannot be read (unreadable, not a regular file). Closes what it opened when it refuses.
 */
function openSource<B extends boolean>(
  file: string,
  bigint: B,
): { ok: true; fd: number; st: B extends true ? fs.BigIntStats : fs.Stats } | { ok: false; reason: string } {
  let fd: number;
  try {
    fd = fs.openSync(file, READ_FLAGS);
  } catch (error) {
    return { ok: false, reason: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  try {
    const st = (bigint ? fs.fstatSync(fd, { bigint: true }) : fs.fstatSync(fd)) as B extends true
      ? fs.BigIntStats
      : fs.Stats;
    if (!st.isFile()) {
      fs.closeSync(fd);
      return { ok: false, reason: `not a regular file (${fileKind(st)})` };
    }
    return { ok: true, fd, st };
  } catch (error) {
    fs.closeSync(fd);
    return { ok: false, reason: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
}

const BINARY = 'binary file (contains a NUL byte)';

function readBytes(file: string): { ok: true; buffer: Buffer; stamp: FileStamp } | { ok: false; reason: string } {
  const opened = openSource(file, true);
  if (!opened.ok) return opened;
  let buffer: Buffer;
  try {
    buffer = fs.readFileSync(opened.fd);
  } catch (error) {
    return { ok: false, reason: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  } finally {
    fs.closeSync(opened.fd);
  }
  if (buffer.includes(0)) return { ok: false, reason: BINARY };
  return { ok: true, buffer, stamp: stampOf(opened.st) };
}

/**
 * Reads files one after another into one buffer that it reuses (grown when a file needs more):
 * for a pass that looks at every file of a project once and keeps none (the migrate prefilter),
 * without a buffer per file to allocate and collect. The bytes a call returns are valid until the
 * next call. The checks are readSourceFile's with `allowInvalidUtf8` (binary, not a regular file,
 * unreadable); there is no stamp: whoever rewrites a file reads it again.
 */
export function createSourceScanner(): (file: string) => { ok: true; bytes: Buffer } | { ok: false; reason: string } {
  let scratch = Buffer.allocUnsafe(256 * 1024);
  return (file) => {
    const opened = openSource(file, false);
    if (!opened.ok) return opened;
    let length = 0;
    try {
      if (opened.st.size >= scratch.length) scratch = Buffer.allocUnsafe(opened.st.size * 2);
      // To the end of the file, as readFileSync reads: it may have grown since the fstat.
      for (;;) {
        if (length === scratch.length) {
          const larger = Buffer.allocUnsafe(scratch.length * 2);
          scratch.copy(larger, 0, 0, length);
          scratch = larger;
        }
        const n = fs.readSync(opened.fd, scratch, length, scratch.length - length, null);
        if (n === 0) break;
        length += n;
      }
    } catch (error) {
      return { ok: false, reason: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
    } finally {
      fs.closeSync(opened.fd);
    }
    const bytes = scratch.subarray(0, length);
    if (bytes.includes(0)) return { ok: false, reason: BINARY };
    return { ok: true, bytes };
  };
}
