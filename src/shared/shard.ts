import { createHash } from 'node:crypto';
import { UsageError } from './errors.js';
import { relativePosix } from './paths.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export function parseShard(text: string, flag = '--shard'): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(`${flag} expects i/n with 1 <= i <= n (e.g. 2/4), got "${text}"`);
  }
  return { index, count };
}

/** Stable shard of a key (a root-relative posix path): first 4 bytes of its sha256, modulo the count. */
export function shardOf(key: string, count: number): number {
  return (createHash('sha256').update(key).digest().readUInt32BE(0) % count) + 1;
}

/**
 * Keeps the files of one shard. `hash`: by each file's root-relative path. `dir`: whole top-level
 * folders (below the folder all files share), so each shard is a reviewable area.
 */
export function selectShard(
  rootDir: string,
  files: readonly string[],
  shard: Shard,
  by: 'dir' | 'hash' = 'hash',
): string[] {
  const rels = files.map((f) => relativePosix(rootDir, f));
  if (by === 'hash') return files.filter((_, i) => shardOf(rels[i]!, shard.count) === shard.index);
  const dirs = rels.map((r) => r.split('/').slice(0, -1));
  let common = dirs[0]?.length ?? 0;
  for (const d of dirs) {
    let i = 0;
    while (i < common && i < d.length && d[i] === dirs[0]![i]) i++;
    common = i;
  }
  return files.filter((_, i) => {
    const segs = rels[i]!.split('/');
    const unit = segs.length - 1 > common ? segs.slice(0, common + 1).join('/') : '.';
    return shardOf(unit, shard.count) === shard.index;
  });
}
