import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/core/config/load.js';
import { CACHE_FILE_NAME, ReportCache, cacheKey, defaultCacheDir } from '../../src/engine/cache.js';
import type { FileRecord } from '../../src/engine/report-worker.js';
import { cleanup, makeProject, write } from '../helpers/index.js';

afterEach(cleanup);

function project() {
  const root = makeProject({
    'src/a.ts': 'export const a = 1;\n',
    'src/b.ts': 'export const b = 2;\n',
    'tsconfig.json': '{}',
  });
  const config = resolveConfig({ concepts: [{ id: 'c', canonical: { module: 'src/a.ts' } }] }, root);
  const files = [path.join(root, 'src/a.ts'), path.join(root, 'src/b.ts')];
  return { root, config, files, cacheFile: path.join(root, '.ssot-cache', CACHE_FILE_NAME) };
}

const record = (file: string, hash: string): FileRecord => ({ file, hash, skipped: 'stand-in analysis' });

describe('ReportCache', () => {
  it('misses, saves, then hits the same file and hash; another hash misses', () => {
    const { config, files, cacheFile } = project();
    const key = cacheKey(config, '1.0.0', files);
    const first = new ReportCache(cacheFile, key);
    expect(first.get(files[0]!, 'h1')).toBeUndefined();
    first.set(record(files[0]!, 'h1'));
    first.save();
    expect(fs.existsSync(cacheFile)).toBe(true);

    const second = new ReportCache(cacheFile, key);
    expect(second.get(files[0]!, 'h1')).toEqual(record(files[0]!, 'h1'));
    expect(second.get(files[0]!, 'h2')).toBeUndefined();
    expect(second.stats).toEqual({ hits: 1, misses: 1 });
    expect(second.warnings).toEqual([]);
  });

  it('a run over part of the project keeps the other entries', () => {
    const { config, files, cacheFile } = project();
    const key = cacheKey(config, '1.0.0', files);
    const a = new ReportCache(cacheFile, key);
    a.set(record(files[0]!, 'ha'));
    a.set(record(files[1]!, 'hb'));
    a.save();
    const partial = new ReportCache(cacheFile, key);
    expect(partial.get(files[0]!, 'ha-changed')).toBeUndefined();
    partial.set(record(files[0]!, 'ha-changed'));
    partial.save();
    const after = new ReportCache(cacheFile, key);
    expect(after.get(files[1]!, 'hb')).toBeDefined();
    expect(after.get(files[0]!, 'ha-changed')).toBeDefined();
  });

  it('entries written under another key are stale', () => {
    const { config, files, cacheFile } = project();
    const old = new ReportCache(cacheFile, cacheKey(config, '1.0.0', files));
    old.set(record(files[0]!, 'h'));
    old.save();
    const newer = new ReportCache(cacheFile, cacheKey(config, '1.0.1', files));
    expect(newer.get(files[0]!, 'h')).toBeUndefined();
  });

  it('a corrupt cache is ignored with a warning and rewritten', () => {
    const { config, files, cacheFile } = project();
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    fs.writeFileSync(cacheFile, '{ not json');
    const key = cacheKey(config, '1.0.0', files);
    const cache = new ReportCache(cacheFile, key);
    expect(cache.warnings.join('\n')).toMatch(/ignoring corrupt cache/);
    expect(cache.get(files[0]!, 'h')).toBeUndefined();
    cache.set(record(files[0]!, 'h'));
    cache.save();
    expect(new ReportCache(cacheFile, key).get(files[0]!, 'h')).toBeDefined();
  });
});

describe('cacheKey', () => {
  it('changes with the files in scope, the tsconfig, package.json and the tool version', () => {
    const { root, config, files } = project();
    const base = cacheKey(config, '1.0.0', files);
    expect(cacheKey(config, '1.0.0', files)).toBe(base);
    expect(cacheKey(config, '1.0.0', files.slice(0, 1))).not.toBe(base);
    expect(cacheKey(config, '2.0.0', files)).not.toBe(base);
    write(root, 'tsconfig.json', '{ "compilerOptions": { "baseUrl": "." } }');
    const afterTsconfig = cacheKey(config, '1.0.0', files);
    expect(afterTsconfig).not.toBe(base);
    write(root, 'package.json', '{ "name": "x" }');
    expect(cacheKey(config, '1.0.0', files)).not.toBe(afterTsconfig);
  });

  it('follows a tsconfig extends chain', () => {
    const { root, config, files } = project();
    write(root, 'tsconfig.json', '{ "extends": "./configs/base.json" }');
    write(root, 'configs/base.json', '{}');
    const before = cacheKey(config, '1.0.0', files);
    write(root, 'configs/base.json', '{ "compilerOptions": { "paths": { "@x": ["src/a.ts"] } } }');
    expect(cacheKey(config, '1.0.0', files)).not.toBe(before);
  });
});

describe('defaultCacheDir', () => {
  it('uses node_modules/.cache when node_modules exists, else .ssot-cache', () => {
    const { root } = project();
    expect(defaultCacheDir(root)).toBe(path.join(root, '.ssot-cache'));
    fs.mkdirSync(path.join(root, 'node_modules'));
    expect(defaultCacheDir(root)).toBe(path.join(root, 'node_modules', '.cache', 'ssot'));
  });
});
