import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Temp files of an atomic write: `.<name>.ssot-<random>.tmp` beside the target. */
export const TEMP_FILE_PATTERN = /^\..+\.ssot-[0-9a-f]{16}\.tmp$/;

export interface AtomicWriteOptions {
  /** Create missing parent folders (reports, baselines, caches); source files always exist. */
  createDirs?: boolean;
}

/**
 * Replaces a file's content atomically: a temp file with a random name, created exclusively
 * (O_EXCL, so a planted file or symlink at that name is never written through) in the target's
 * folder (same file system), with the original's mode, then renamed over the target. An
 * interrupted run leaves the old file or the new one, never half of each. No fsync: it protects
 * against power loss, not interruption, and git holds the old content anyway.
 * A symlinked target is followed: its target file is replaced.
 */
export function writeFileAtomic(file: string, data: string, options: AtomicWriteOptions = {}): void {
  let target = file;
  let mode = 0o666;
  try {
    target = fs.realpathSync(file);
    mode = fs.statSync(target).mode & 0o7777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (options.createDirs) fs.mkdirSync(path.dirname(file), { recursive: true });
  }
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.ssot-${randomBytes(8).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', mode);
    fs.writeSync(fd, data, null, 'utf8');
    // The umask applied at creation: put the original's mode back.
    if (mode !== 0o666) fs.fchmodSync(fd, mode);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, target);
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}
