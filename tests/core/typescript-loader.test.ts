// The TypeScript loader of the built package (dist/src/core/typescript-loader.cjs): a V8 code
// cache that is written after a run, used by the next one, rejected and rewritten when it does not
// fit, and off on request. Real processes, since the cache lives per process.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, REPO } from '../helpers/index.js';

const LOADER = path.join(REPO, 'dist/src/core/typescript-loader.cjs');
const BIN = path.join(REPO, 'dist/src/cli/bin.js');

beforeAll(() => {
  ensureBuilt();
  expect(fs.existsSync(LOADER), 'npm test builds dist first').toBe(true);
});

/** Loads the loader in a fresh process; optionally saves; prints the state and a sanity check. */
function probe(cacheSetting: string, script = ''): { state: string; file?: string; sameInstance: boolean; parsed: number } {
  const code = `
    ${script}
    const loader = require(${JSON.stringify(LOADER)});
    const before = loader.compileCacheState();
    const sf = loader.ts.createSourceFile('a.ts', 'import { A } from "./m"; export const x = 1;', 99);
    loader.saveCompileCache();
    console.log(JSON.stringify({ ...before, sameInstance: require(require.resolve('typescript', { paths: [${JSON.stringify(REPO)}] })) === loader.ts, parsed: sf.statements.length }));`;
  const out = execFileSync(process.execPath, ['-e', code], { env: { ...process.env, SSOT_COMPILE_CACHE: cacheSetting, NODE_DISABLE_COMPILE_CACHE: '' }, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as { state: string; file?: string; sameInstance: boolean; parsed: number };
}

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'ssot-tscache-'));

describe('TypeScript loader with a V8 code cache', () => {
  it('misses, writes the cache after the run, then hits; every require gets the same instance', () => {
    const dir = tmp();
    const first = probe(dir);
    expect(first).toMatchObject({ state: 'miss', sameInstance: true, parsed: 2 });
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.v8cache'))).toHaveLength(1);
    const second = probe(dir);
    expect(second).toMatchObject({ state: 'hit', sameInstance: true, parsed: 2 });
    expect(second.file).toBe(first.file);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a cache V8 does not accept is rejected, TypeScript loads anyway, and the cache is rewritten', () => {
    const dir = tmp();
    const { file } = probe(dir);
    fs.writeFileSync(file!, Buffer.alloc(4096, 7));
    expect(probe(dir)).toMatchObject({ state: 'rejected', parsed: 2 });
    expect(probe(dir)).toMatchObject({ state: 'hit', parsed: 2 });
  });

  it('SSOT_COMPILE_CACHE=off loads TypeScript plainly and writes nothing', () => {
    const dir = tmp();
    expect(probe('off', `process.env.IGNORED = ${JSON.stringify(dir)};`)).toMatchObject({ state: 'off', sameInstance: true, parsed: 2 });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('reuses a TypeScript that was required before (typescript-eslint loads it first in ESLint)', () => {
    const dir = tmp();
    const pre = `require(require.resolve('typescript', { paths: [${JSON.stringify(REPO)}] }));`;
    expect(probe(dir, pre)).toMatchObject({ state: 'already-loaded', sameInstance: true, parsed: 2 });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('the CLI writes the cache after a run and gives the same output with it', () => {
    const dir = tmp();
    const run = (setting: string) =>
      execFileSync(process.execPath, [BIN, 'report', '--format', 'json', path.join(REPO, 'fixtures/demo-app')], {
        env: { ...process.env, SSOT_COMPILE_CACHE: setting, NO_COLOR: '1' },
        encoding: 'utf8',
      });
    const plain = run('off');
    const cold = run(dir);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.v8cache'))).toHaveLength(1);
    const warm = run(dir);
    // Timings differ from run to run; everything else must be the same.
    const strip = (s: string) => s.replace(/"(generatedAt|\w*Ms)":\s*("[^"]*"|\d+)/g, '"$1":0');
    expect(strip(cold)).toBe(strip(plain));
    expect(strip(warm)).toBe(strip(plain));
  });
});
