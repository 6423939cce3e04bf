// Loads TypeScript once per process or thread, with a V8 code cache. Import TypeScript through
// ./typescript.cjs; this module is for the loader's own controls (saveCompileCache).
//
// Two start-up costs are avoided here. (1) An ESM `import ts from 'typescript'` makes Node run its
// CommonJS export scanner over the whole typescript.js in every process and worker thread; a
// CommonJS module whose `module.exports = ts` the scanner does not follow avoids it, types
// unchanged. (2) Compiling typescript.js, and then lazily each parser
// function it runs, is paid again by every process or thread. Node >= 22.1 has a compile cache for
// this (module.enableCompileCache), which we enable in our own folder (never its default, a shared
// temp folder another user could have planted code in); on Node 20 we do the same for this one
// file: compile it through vm.Script with V8's cached data, made after a run (so it holds the
// functions that ran). On every Node version the cache is kept in
// `<node_modules>/.cache/ssot-kit/` (the babel/eslint-loader convention), or in
// $SSOT_COMPILE_CACHE; `SSOT_COMPILE_CACHE=off` turns it off. V8 checks the data against the source
// and its own version and flags, and rejects what does not fit: then the file is compiled as usual
// and the cache is rewritten. The module is registered in require.cache, so every later
// require('typescript') (typescript-eslint, ts-morph's peers) shares this one instance.
import crypto = require('node:crypto');
import fs = require('node:fs');
import { isAscii } from 'node:buffer';
import Module = require('node:module');
import path = require('node:path');
import vm = require('node:vm');
import worker = require('node:worker_threads');
import type * as TS from 'typescript';

type CacheState = 'off' | 'native' | 'already-loaded' | 'hit' | 'miss' | 'rejected' | 'error';

interface Loaded {
  ts: typeof TS;
  state: CacheState;
  cacheFile?: string;
  script?: vm.Script;
}

const localRequire = Module.createRequire(__filename);

function cacheDir(tsFile: string): string | undefined {
  const setting = process.env['SSOT_COMPILE_CACHE'];
  if (setting !== undefined && /^(off|0|false|no)$/i.test(setting)) return undefined;
  if (process.env['NODE_DISABLE_COMPILE_CACHE']) return undefined;
  if (setting) return path.resolve(setting);
  // <node_modules>/typescript/lib/typescript.js -> <node_modules>/.cache/ssot-kit: a folder as
  // trusted as the code beside it. Anywhere else (no node_modules) there is no default: a shared
  // temp folder would let another user plant code for V8 to load.
  const nodeModules = path.dirname(path.dirname(path.dirname(tsFile)));
  return path.basename(nodeModules) === 'node_modules' ? path.join(nodeModules, '.cache', 'ssot-kit') : undefined;
}

function load(): Loaded {
  const tsFile = localRequire.resolve('typescript');
  if (localRequire.cache[tsFile]) return { ts: localRequire('typescript') as typeof TS, state: 'already-loaded' };
  const dir = cacheDir(tsFile);
  const native = (Module as unknown as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (typeof native === 'function') {
    // Node >= 22.1 caches compiled code itself; called without a folder it would use
    // <tmpdir>/node-compile-cache, shared by every user: ours or none.
    if (!dir) return { ts: localRequire('typescript') as typeof TS, state: 'off' };
    try {
      native(dir);
    } catch {
      // not fatal: plain loading below
    }
    return { ts: localRequire('typescript') as typeof TS, state: 'native', cacheFile: dir };
  }
  if (!dir) return { ts: localRequire('typescript') as typeof TS, state: 'off' };
  try {
    // typescript.js is ASCII: read as latin1 it is the same string, without UTF-8 decoding 9 MB.
    const bytes = fs.readFileSync(tsFile);
    const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
    const version =
      /"version":\s*"([^"]+)"/.exec(
        fs.readFileSync(path.join(path.dirname(path.dirname(tsFile)), 'package.json'), 'utf8'),
      )?.[1] ?? 'unknown';
    const cacheFile = path.join(dir, `typescript-${version}-node${process.version}-${process.arch}.v8cache`);
    let cachedData: Buffer | undefined;
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(Module.wrap(source), { filename: tsFile, ...(cachedData ? { cachedData } : {}) });
    // Run it as Node would run the file, and register it so that require('typescript') finds it.
    const mod = new Module(tsFile, module);
    mod.filename = tsFile;
    mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(
      path.dirname(tsFile),
    );
    const wrapper = script.runInThisContext() as (
      exports: unknown,
      require: NodeJS.Require,
      module: Module,
      filename: string,
      dirname: string,
    ) => void;
    wrapper.call(mod.exports, mod.exports, Module.createRequire(tsFile), mod, tsFile, path.dirname(tsFile));
    mod.loaded = true;
    localRequire.cache[tsFile] = mod;
    const state: CacheState = !cachedData ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
    return { ts: mod.exports as typeof TS, state, cacheFile, script };
  } catch {
    // Whatever went wrong with the cache, TypeScript itself must load.
    return { ts: localRequire('typescript') as typeof TS, state: 'error' };
  }
}

const loaded = load();

/**
 * How TypeScript was loaded in this process or thread (for tests and diagnostics); `file` is the
 * cache file, or with Node's own cache ('native') the folder it was given.
 */
export function compileCacheState(): { state: CacheState; file?: string } {
  return { state: loaded.state, ...(loaded.cacheFile ? { file: loaded.cacheFile } : {}) };
}

/**
 * Creates a folder and its missing parents one at a time: fs.mkdirSync's recursive mode loops
 * forever where mkdir answers ENOENT under an existing parent (/proc).
 */
function makeFolder(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !fs.existsSync(d) && path.dirname(d) !== d; d = path.dirname(d)) missing.push(d);
  for (const d of missing.reverse()) fs.mkdirSync(d);
}

/**
 * Writes the code cache when there was none or V8 rejected it. Call once, after the work: the
 * data then includes the functions the run compiled. Main thread only; atomic (temp + rename);
 * never throws (a read-only node_modules just means no cache).
 */
export function saveCompileCache(): void {
  if (!worker.isMainThread || !loaded.script || !loaded.cacheFile) return;
  if (loaded.state !== 'miss' && loaded.state !== 'rejected') return;
  const file = loaded.cacheFile;
  try {
    const data = loaded.script.createCachedData();
    makeFolder(path.dirname(file));
    // A random name created exclusively (O_EXCL): a file or symlink planted at a guessable name
    // is never written through. (This CommonJS module cannot load the ESM atomic-write helper.)
    const tmp = `${file}.${crypto.randomBytes(8).toString('hex')}.tmp`;
    try {
      fs.writeFileSync(tmp, data, { flag: 'wx' });
      fs.renameSync(tmp, file);
    } catch (error) {
      fs.rmSync(tmp, { force: true });
      throw error;
    }
    loaded.state = 'hit';
  } catch {
    // no cache this time
  }
}

export const ts: typeof TS = loaded.ts;
