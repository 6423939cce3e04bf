import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from './errors.js';
import { isInside } from './paths.js';
import { fileKind, stampOf, type FileStamp } from './source-file.js';

/**
 * Temp files of an atomic write: `.<name>.ssot-<pid>-<random>.tmp` beside the target. The pid
 * tells a later run whether the writer is gone (a killed run's leftover) or still at work (a
 * concurrent run's); names without a pid come from versions before it and are always leftovers.
 */
export const TEMP_FILE_PATTERN = /^\..+\.ssot-(?:(\d+)-)?[0-9a-f]{16}\.tmp$/;

/** A file system error or refusal while writing `file`; a UsageError, so the CLI exits 2 with it. */
export class WriteError extends UsageError {
  constructor(
    readonly file: string,
    /** Short: an errno code (`ENOENT`) or what was refused. */
    readonly reason: string,
    /** 'changed': the file is no longer what was read; 'refused': writing would do harm; 'io': the system said no. */
    readonly kind: 'changed' | 'refused' | 'io' = 'io',
    action = 'write',
  ) {
    super(`cannot ${action} ${file}: ${reason}`);
  }
}

/** Why one write did not happen, in the form a caller reports per file. */
export interface WriteFailure {
  reason: string;
  kind: WriteError['kind'];
}

export function writeFailureOf(error: unknown): WriteFailure {
  if (error instanceof WriteError) return { reason: error.reason, kind: error.kind };
  return { reason: codeOf(error), kind: 'io' };
}

/** The file as it was read: written over only while it still is (compare-and-swap). */
export interface ExpectedFile {
  stamp: FileStamp;
  /**
   * What was read: the text (readSourceFile's, which encodes back to exactly the bytes read) or
   * the bytes. Compared byte for byte with the file just before the rename: cheaper than a hash
   * of both, and the caller holds it anyway.
   */
  content: string | Buffer;
}

export interface AtomicWriteOptions {
  /** Create missing parent folders (reports, baselines, caches); source files always exist. */
  createDirs?: boolean;
  /** The real path of the folder the target must resolve inside (the project root). */
  within?: string;
  expect?: ExpectedFile;
  /**
   * First remove the temp files an interrupted write to this target left (one folder listing:
   * for writers of one file, such as reports and caches; `ssot migrate` sweeps from its listing).
   */
  removeLeftovers?: boolean;
}

/** sha256 of the bytes (of a string: its UTF-8 bytes): how a run that plans first recognises a file later. */
export function contentHash(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

/**
 * Creates `dir` and its missing parents, one level at a time. fs.mkdirSync's recursive mode
 * loops forever where mkdir answers ENOENT for a folder whose parent exists (under /proc);
 * here every failure is a WriteError naming the folder.
 */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  let current = path.resolve(dir);
  for (;;) {
    let st: fs.Stats;
    try {
      st = fs.statSync(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new WriteError(current, codeOf(error), 'io', 'create the folder');
      missing.push(current);
      const parent = path.dirname(current);
      if (parent === current) throw new WriteError(current, codeOf(error), 'io', 'create the folder');
      current = parent;
      continue;
    }
    if (!st.isDirectory()) throw new WriteError(current, `not a folder (${fileKind(st)})`, 'io', 'create a folder in');
    break;
  }
  for (const folder of missing.reverse()) {
    try {
      fs.mkdirSync(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new WriteError(folder, codeOf(error), 'io', 'create the folder');
    }
  }
}

/** The whole content of an open file, read by position (the descriptor's offset is not used). */
function readWhole(fd: number): Buffer {
  const size = fs.fstatSync(fd).size;
  const buffer = Buffer.allocUnsafe(size);
  let done = 0;
  while (done < size) {
    const n = fs.readSync(fd, buffer, done, size - done, done);
    if (n === 0) break;
    done += n;
  }
  return buffer.subarray(0, done);
}

/**
 * Opens `target` and checks that it still holds what `expected` describes; returns the open
 * descriptor (the caller closes it), or throws a 'changed' WriteError.
 */
function openUnchanged(file: string, target: string, expected: ExpectedFile): number {
  const changed = (what: string): WriteError => new WriteError(file, `changed since it was read (${what})`, 'changed');
  let fd: number;
  try {
    fd = fs.openSync(target, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw changed(codeOf(error) === 'ENOENT' ? 'deleted' : codeOf(error));
  }
  try {
    const st = fs.fstatSync(fd, { bigint: true });
    const was = expected.stamp;
    if (st.dev !== was.dev || st.ino !== was.ino) throw changed('replaced');
    if (Number(st.size) !== was.size) throw changed('size');
    if (st.mtimeNs !== was.mtimeNs) throw changed('modification time');
    if (st.ctimeNs !== was.ctimeNs) throw changed('status change time');
    // Same size and times can still hide a write within one clock tick: compare the bytes too.
    const content = typeof expected.content === 'string' ? Buffer.from(expected.content, 'utf8') : expected.content;
    if (!readWhole(fd).equals(content)) throw changed('content');
    return fd;
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
}

/** Descriptors of replaced files whose close is still running (see closeReplaced). */
let closing = 0;
/** At most this many at once (each holds a descriptor); beyond it a close waits as before. */
const MAX_CLOSING = 32;

/**
 * Closes the descriptor of a file that a rename has replaced. That close drops the last reference
 * to the old inode, and the file system frees its blocks then, which some do within the close
 * (ext4 mounted with `discard`: as slow as the rest of a write). Nothing reads the descriptor
 * after the checks of renameChecked, so the close runs on libuv's thread pool and this thread
 * goes on; the process does not exit before it is done (it ends by its exit code, not exit()).
 */
function closeReplaced(fd: number): void {
  if (closing >= MAX_CLOSING) {
    fs.closeSync(fd);
    return;
  }
  closing++;
  fs.close(fd, () => {
    closing--;
  });
}

/**
 * The rename of a compare-and-swap write. Between the check and the rename another process may
 * still write to the old file, which the rename would then discard. The old file stays open
 * here, so after the rename its size and modification time tell whether that happened (its
 * status change time moves with the rename itself); if so its content is put back, compare-and-
 * swap against what this write put there, and the file counts as changed.
 */
function renameChecked(
  file: string,
  tmp: string,
  target: string,
  data: string | Buffer,
  expected: ExpectedFile,
  options: AtomicWriteOptions,
): void {
  const held = openUnchanged(file, target, expected);
  try {
    fs.renameSync(tmp, target);
    const after = fs.fstatSync(held, { bigint: true });
    if (Number(after.size) === expected.stamp.size && after.mtimeNs === expected.stamp.mtimeNs) return;
    const theirs = readWhole(held);
    const ours = fs.statSync(target, { bigint: true });
    try {
      writeFileAtomic(file, theirs, { ...options, expect: { stamp: stampOf(ours), content: data } });
    } catch {
      throw new WriteError(
        file,
        'changed while it was being replaced; its other version could not be put back (written to again)',
        'changed',
      );
    }
    throw new WriteError(file, 'changed while it was being replaced; that version was put back', 'changed');
  } finally {
    closeReplaced(held);
  }
}

/**
 * Replaces a file's content atomically: a temp file with a random name, created exclusively
 * (O_EXCL, so a planted file or symlink at that name is never written through) in the target's
 * folder (same file system), with the original's mode, owner and group, then renamed over the
 * target. An interrupted run leaves the old file or the new one, never half of each, and at most
 * a temp file the next run removes (see removeStaleTempFiles). No fsync: it protects against
 * power loss, not interruption, and git holds the old content anyway.
 *
 * A symlinked target is followed: its target file is replaced, if it resolves inside `within`.
 * Refused with a reason (a WriteError, nothing written): a target that is not a regular file,
 * that has more than one hard link (a rename would cut it from the others), whose owner or group
 * this process cannot give the new file, or (with `expect`) that changed since it was read; that
 * check runs just before the rename, and again on the old file just after it (renameChecked).
 */
export function writeFileAtomic(file: string, data: string | Buffer, options: AtomicWriteOptions = {}): void {
  let target = path.resolve(file);
  let existing: fs.Stats | undefined;
  try {
    target = fs.realpathSync(file);
    existing = fs.statSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new WriteError(file, codeOf(error));
    if (options.expect) throw new WriteError(file, 'changed since it was read (deleted)', 'changed');
    if (options.createDirs) ensureDir(path.dirname(target));
    try {
      // A new file: where its folder really is (a symlinked folder may lead elsewhere).
      target = path.join(fs.realpathSync(path.dirname(target)), path.basename(target));
    } catch {
      // no such folder: the open below says so
    }
  }
  if (options.within !== undefined && !isInside(target, options.within)) {
    throw new WriteError(file, `resolves to ${target}, outside the project root ${options.within}`, 'refused');
  }
  if (existing) {
    if (!existing.isFile()) throw new WriteError(file, `not a regular file (${fileKind(existing)})`, 'refused');
    if (existing.nlink > 1)
      throw new WriteError(
        file,
        `has ${existing.nlink} hard links; replacing it would cut it from the others`,
        'refused',
      );
  }
  if (options.removeLeftovers) removeStaleTempFiles(staleTempFilesOf(target));
  const mode = existing ? existing.mode & 0o7777 : 0o666;
  const tmp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.ssot-${process.pid}-${randomBytes(8).toString('hex')}.tmp`,
  );
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', mode);
    if (typeof data === 'string') fs.writeSync(fd, data, null, 'utf8');
    else fs.writeSync(fd, data);
    // The umask applied at creation: put the original's mode back.
    if (existing && mode !== 0o666) fs.fchmodSync(fd, mode);
    if (existing) keepOwner(fd, file, existing);
    fs.closeSync(fd);
    fd = undefined;
    if (options.expect) renameChecked(file, tmp, target, data, options.expect, options);
    else fs.renameSync(tmp, target);
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    if (error instanceof WriteError) throw error;
    throw new WriteError(file, codeOf(error));
  }
}

/** Gives the temp file the original's owner and group (root can; others only their own groups). */
function keepOwner(fd: number, file: string, original: fs.Stats): void {
  const created = fs.fstatSync(fd);
  if (created.uid === original.uid && created.gid === original.gid) return;
  try {
    fs.fchownSync(fd, original.uid, original.gid);
  } catch (error) {
    throw new WriteError(
      file,
      `owned by ${original.uid}:${original.gid}, which this user cannot keep (${codeOf(error)})`,
      'refused',
    );
  }
}

/**
 * Whether a temp file name is a leftover: its writer (by the pid in the name) is not running,
 * or it predates pids in names. A concurrent run's temp file is not a leftover.
 */
export function isStaleTempName(name: string): boolean {
  const m = TEMP_FILE_PATTERN.exec(name);
  if (!m) return false;
  if (m[1] === undefined) return true;
  const pid = Number(m[1]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists (another user's).
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Removes leftover temp files (absolute paths); returns those removed. */
export function removeStaleTempFiles(files: Iterable<string>): string[] {
  const removed: string[] = [];
  for (const file of files) {
    if (!isStaleTempName(path.basename(file))) continue;
    try {
      const st = fs.lstatSync(file);
      if (!st.isFile()) continue;
      fs.unlinkSync(file);
      removed.push(file);
    } catch {
      // gone already (another run swept it)
    }
  }
  return removed;
}

/** The leftover temp files of writes to `target` (for writers of single files: reports, caches). */
export function staleTempFilesOf(target: string): string[] {
  let real = path.resolve(target);
  try {
    real = fs.realpathSync(real);
  } catch {
    // not there yet: its temp files would sit beside the name given
  }
  const dir = path.dirname(real);
  const prefix = `.${path.basename(real)}.ssot-`;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n.startsWith(prefix) && isStaleTempName(n)).map((n) => path.join(dir, n));
}
