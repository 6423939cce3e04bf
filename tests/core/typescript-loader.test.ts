// The TypeScript loader of the built package (dist/src/core/typescript-loader.cjs): a V8 code
// cache that is written after a run, used by the next one, rejected and rewritten when it does not
// fit, and off on request. Real processes, since the cache lives per process.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyDemo, ensureBuilt, REPO, tempDir } from '../helpers/index.js';

const LOADER = path.join(REPO, 'dist/src/core/typescript-loader.cjs');
const BIN = path.join(REPO, 'dist/src/cli/bin.js');

beforeAll(() => {
  ensureBuilt();
  expect(fs.existsSync(LOADER), 'npm test builds dist first').toBe(true);
});

/** Loads the loader in a fresh process; optionally saves; prints the state and a sanity check. */
function probe(
  cacheSetting: string,
  script = '',
): { state: string; file?: string; sameInstance: boolean; parsed: number } {
  const code = `
    ${script}
    const loader = require(${JSON.stringify(LOADER)});
    const before = loader.compileCacheState();
    const sf = loader.ts.createSourceFile('a.ts', 'import { A } from "./m"; export const x = 1;', 99);
    loader.saveCompileCache();
    console.log(JSON.stringify({ ...before, sameInstance: require(require.resolve('typescript', { paths: [${JSON.stringify(REPO)}] })) === loader.ts, parsed: sf.statements.length }));`;
  const out = execFileSync(process.execPath, ['-e', code], {
    env: { ...process.env, SSOT_COMPILE_CACHE: cacheSetting, NODE_DISABLE_COMPILE_CACHE: '' },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!) as {
    state: string;
    file?: string;
    sameInstance: boolean;
    parsed: number;
  };
}

const tmp = (): string => tempDir('tscache');

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
    expect(probe('off', `process.env.IGNORED = ${JSON.stringify(dir)};`)).toMatchObject({
      state: 'off',
      sameInstance: true,
      parsed: 2,
    });
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

  it('the CLI saves the cache after a command that loaded TypeScript, and only then', () => {
    const dir = tmp();
    const run = (args: string[], cwd: string) =>
      spawnSync(process.execPath, [BIN, ...args], {
        cwd,
        env: { ...process.env, SSOT_COMPILE_CACHE: dir, NO_COLOR: '1' },
        encoding: 'utf8',
      });
    const cacheFiles = () => fs.readdirSync(dir).filter((f) => f.endsWith('.v8cache'));
    // A run that ends without loading TypeScript (a flag error found before any analysis) has no
    // cache to save, and ends as it would without one: its own message and exit code.
    const usage = run(['migrate', '--rollback-on-type-errors', '.'], REPO);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toBe('ssot: --rollback-on-type-errors needs --typecheck\n');
    expect(cacheFiles()).toEqual([]);
    const project = copyDemo();
    // More than 2 MiB of candidate source parsed by oxc: the run collects oxc's results with V8's
    // gc, which it exposes through a V8 flag, and V8 stamps a code cache with its flags.
    const big = `export const filler = '${'x'.repeat(2_200_000)}';\n`;
    fs.writeFileSync(
      path.join(project, 'src/handlers/big.ts'),
      `import { MessageRouter } from '../websocket/message-router';\nexport const r = new MessageRouter();\n\n\n\n\n${big}`,
    );
    const migrate = run(['migrate', '--allow-dirty', '--dry-run', '--json', '.'], project);
    expect(migrate.status, migrate.stderr).toBe(0);
    expect(cacheFiles()).toHaveLength(1);
    // The cache that run wrote is one a process started without that flag accepts.
    expect(probe(dir)).toMatchObject({ state: 'hit', parsed: 2 });
  });

  it("Node >= 22.1: Node's own compile cache gets our folder, or is not enabled (never its shared temp default)", () => {
    // This machine's Node may predate module.enableCompileCache: stand in for it, recording
    // what the loader asks of it (the one thing under test; Node does the caching).
    const record = (setting: string | undefined, extraEnv: NodeJS.ProcessEnv = {}) => {
      const code = `
        const Module = require('node:module');
        const calls = [];
        Module.enableCompileCache = (...args) => { calls.push(args); return { status: 1, directory: args[0] }; };
        const loader = require(${JSON.stringify(LOADER)});
        console.log(JSON.stringify({ calls, state: loader.compileCacheState() }));`;
      const env: NodeJS.ProcessEnv = { ...process.env, NODE_DISABLE_COMPILE_CACHE: '', ...extraEnv };
      if (setting === undefined) delete env.SSOT_COMPILE_CACHE;
      else env.SSOT_COMPILE_CACHE = setting;
      return JSON.parse(execFileSync(process.execPath, ['-e', code], { env, encoding: 'utf8' }).trim()) as {
        calls: unknown[][];
        state: { state: string; file?: string };
      };
    };
    const dir = tmp();
    expect(record(dir)).toEqual({ calls: [[dir]], state: { state: 'native', file: dir } });
    const ours = path.join(REPO, 'node_modules/.cache/ssot-kit');
    expect(record(undefined)).toEqual({ calls: [[ours]], state: { state: 'native', file: ours } });
    expect(record('off')).toEqual({ calls: [], state: { state: 'off' } });
    expect(record(undefined, { NODE_DISABLE_COMPILE_CACHE: '1' })).toEqual({ calls: [], state: { state: 'off' } });
  });

  it('the cache is written through a fresh, exclusive temp name: a symlink planted at a guessable one is not followed', () => {
    const dir = tmp();
    const victim = path.join(tmp(), 'victim');
    fs.writeFileSync(victim, 'precious');
    // The name an earlier version used (<cache file>.<pid>.tmp), planted by "another user" just
    // before the save.
    const plant = `
      const fs = require('node:fs');
      const loader = require(${JSON.stringify(LOADER)});
      const file = loader.compileCacheState().file;
      fs.symlinkSync(${JSON.stringify(victim)}, file + '.' + process.pid + '.tmp');
      loader.ts.createSourceFile('a.ts', 'export const x = 1;', 99);
      loader.saveCompileCache();
      console.log(loader.compileCacheState().state);`;
    const out = execFileSync(process.execPath, ['-e', plant], {
      env: { ...process.env, SSOT_COMPILE_CACHE: dir, NODE_DISABLE_COMPILE_CACHE: '' },
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('hit');
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.v8cache'))).toHaveLength(1);
    expect(
      fs.readdirSync(dir).filter((f) => f.endsWith('.tmp') && !fs.lstatSync(path.join(dir, f)).isSymbolicLink()),
    ).toEqual([]);
  });

  it.runIf(fs.existsSync('/proc/self'))(
    'a cache folder that cannot be made (under /proc) means no cache, not a hang',
    () => {
      const r = spawnSync(process.execPath, [BIN, 'report', '--format', 'json', path.join(REPO, 'fixtures/demo-app')], {
        env: { ...process.env, SSOT_COMPILE_CACHE: '/proc/ssot-x/cache', NO_COLOR: '1' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.signal).toBeNull();
      expect(r.status).toBe(0);
    },
  );
});
