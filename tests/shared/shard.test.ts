import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/shared/errors.js';
import { parseShard, selectShard, shardOf } from '../../src/shared/shard.js';

describe('parseShard', () => {
  it('reads i/n and refuses anything else as a usage error naming the flag', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', 'a/b', '1-2', '']) {
      expect(() => parseShard(bad)).toThrow(UsageError);
      expect(() => parseShard(bad)).toThrow(/--shard expects i\/n/);
    }
  });
});

describe('selectShard', () => {
  const root = '/repo';
  const files = Array.from({ length: 60 }, (_, i) => path.join(root, `pkg${i % 6}`, 'src', `f${i}.ts`));

  it('every file lands in exactly one shard, by hash and by folder', () => {
    for (const by of ['hash', 'dir'] as const) {
      const shards = [1, 2, 3].map((index) => selectShard(root, files, { index, count: 3 }, by));
      expect(shards.flat().sort()).toEqual([...files].sort());
    }
  });

  it('by folder keeps each top-level folder whole', () => {
    for (const index of [1, 2, 3]) {
      const picked = selectShard(root, files, { index, count: 3 }, 'dir');
      const folders = new Set(picked.map((f) => path.relative(root, f).split(path.sep)[0]));
      for (const folder of folders) expect(picked.filter((f) => f.includes(`/${folder}/`)).length).toBe(10);
    }
  });

  it('is stable: the shard of a path is a function of the path alone', () => {
    expect(shardOf('src/a.ts', 7)).toBe(shardOf('src/a.ts', 7));
    const one = selectShard(root, files, { index: 1, count: 2 });
    expect(selectShard(root, [...files].reverse(), { index: 1, count: 2 }).sort()).toEqual([...one].sort());
  });
});
