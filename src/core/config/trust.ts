import * as fs from 'node:fs';
import * as path from 'node:path';
import { isInside } from '../../shared/paths.js';

/**
 * Which configs the tool may load, in the spirit of git's `safe.directory`. A config module
 * (`.mjs`/`.js`/`.cjs`) is code that runs with the invoking user's rights, so it must be owned by
 * that user or root, and neither it nor its folder may be writable by other users. The upward
 * search for a config never enters a folder other users can write (a config planted in the shared
 * temp folder is never found). POSIX only: where there are no uids (Windows) every file passes.
 *
 * `SSOT_SAFE_CONFIG` lists config files or folders (separated by `path.delimiter`) to load
 * anyway, or `*` for every config.
 */
export const SAFE_CONFIG_ENV = 'SSOT_SAFE_CONFIG';

function currentIds(): { uid: number; gid: number } | undefined {
  if (typeof process.geteuid !== 'function' || typeof process.getegid !== 'function') return undefined;
  return { uid: process.geteuid(), gid: process.getegid() };
}

/**
 * Who besides the owner may write it, or undefined. A group-writable file of the user's own
 * primary group passes: with user private groups (Debian's default umask 002) that group is the
 * user alone.
 */
function writableByOthers(st: fs.Stats, ids: { gid: number }): string | undefined {
  if (st.mode & 0o002) return 'every user';
  if (st.mode & 0o020 && st.gid !== ids.gid) return `group ${st.gid}`;
  return undefined;
}

/** Why other users could change what is in folder `dir`, or undefined when they cannot. */
export function untrustedFolderReason(dir: string): string | undefined {
  const ids = currentIds();
  if (!ids) return undefined;
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    return undefined;
  }
  if (st.uid !== ids.uid && st.uid !== 0)
    return `the folder ${dir} is owned by uid ${st.uid}, not by you (uid ${ids.uid}) or root`;
  const who = writableByOthers(st, ids);
  return who ? `the folder ${dir} is writable by ${who}` : undefined;
}

/** Whether SSOT_SAFE_CONFIG names this config (or a folder holding it, or `*`). */
export function allowedByEnv(file: string): boolean {
  const setting = process.env[SAFE_CONFIG_ENV];
  if (!setting) return false;
  return setting
    .split(path.delimiter)
    .some((entry) => entry.trim() === '*' || (entry.trim() !== '' && isInside(file, path.resolve(entry.trim()))));
}

/**
 * Why the config module `file` must not be run, or undefined when it may: owned by another user
 * (not root), or writable by other users, or in a folder that is.
 */
export function untrustedModuleReason(file: string): string | undefined {
  const ids = currentIds();
  if (!ids || allowedByEnv(file)) return undefined;
  let real = file;
  let st: fs.Stats;
  try {
    real = fs.realpathSync(file);
    st = fs.statSync(real);
  } catch {
    return undefined; // loading it reports the problem
  }
  if (st.uid !== ids.uid && st.uid !== 0) return `it is owned by uid ${st.uid}, not by you (uid ${ids.uid}) or root`;
  const who = writableByOthers(st, ids);
  if (who) return `it is writable by ${who}`;
  return untrustedFolderReason(path.dirname(real));
}

/** The message of a refused config module: what is wrong and how to allow it. */
export function untrustedModuleMessage(file: string, reason: string): string {
  return (
    `Refusing to run the config module ${file}: ${reason}. A config module runs as you; ` +
    `if you trust it, allow it with ${SAFE_CONFIG_ENV}=${file} ` +
    `(a list of files or folders separated by "${path.delimiter}", or * for all), ` +
    'or use an ssot.config.json, which is read as data and never run.'
  );
}
