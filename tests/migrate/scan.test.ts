// The listing and reading half of migrate's prefilter (src/migrate/scan.ts): on the calling thread
// or on the write-behind thread, every file in scope comes back once, in path order, with its bytes
// or the reason it could not be read; a bad scope is the same usage error either way; a thread that
// ends before the scan does is an error, never a verdict.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../src/core/config/types.js';
import type { Scan, ScanScope } from '../../src/migrate/scan.js';
import { ensureBuilt, REPO, tempDir } from '../helpers/index.js';

type ScanModule = typeof import('../../src/migrate/scan.js');
type WriteBehindModule = typeof import('../../src/migrate/write-behind.js');
type SourceFileModule = typeof import('../../src/shared/source-file.js');
let scanMod: ScanModule;
let writeBehind: WriteBehindModule;
let sourceFile: SourceFileModule;

beforeAll(async () => {
  // The thread runs the built modules (a worker thread cannot load TypeScript sources).
  ensureBuilt();
  scanMod = (await import(path.join(REPO, 'dist/src/migrate/scan.js'))) as ScanModule;
  writeBehind = (await import(path.join(REPO, 'dist/src/migrate/write-behind.js'))) as WriteBehindModule;
  sourceFile = (await import(path.join(REPO, 'dist/src/shared/source-file.js'))) as SourceFileModule;
});

type Seen = { file: string; text?: string; reason?: string };

async function collect(scan: Scan): Promise<{
  files: string[];
  seen: Seen[];
  batches: number;
  folders: Map<string, [boolean | string, boolean | string]>;
}> {
  const { files } = await scan.listing;
  const seen: Seen[] = [];
  const folders = new Map<string, [boolean | string, boolean | string]>();
  let batches = 0;
  await scan.read(
    (f) => {
      // A folder is reported before the files in it.
      if (folders.size > 0) expect(folders.has(path.dirname(f.file)), f.file).toBe(true);
      seen.push(
        'reason' in f ? { file: f.file, reason: f.reason } : { file: f.file, text: f.bytes.toString('latin1') },
      );
    },
    async () => {
      batches++;
    },
    ([dir, tsconfig, jsconfig]) => folders.set(dir, [tsconfig, jsconfig]),
  );
  return { files, seen, batches, folders };
}

/** A project with files beyond a batch's buffer, empty ones, a binary one, and files out of scope. */
function project(): { scope: ScanScope; expected: Seen[] } {
  const dir = tempDir('scan');
  const config = {
    rootDir: dir,
    include: ['**/*.ts'],
    exclude: ['skip/**'],
    concepts: [],
  } as unknown as ResolvedConfig;
  const expected: Seen[] = [];
  const add = (name: string, content: Buffer | string, reason?: string): void => {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    expected.push(reason ? { file, reason } : { file, text: Buffer.from(content).toString('latin1') });
  };
  // Created out of path order: a folder lists its entries in the order they were made, or hashed.
  for (let i = 149; i >= 0; i--)
    add(`a/f${String(i).padStart(3, '0')}.ts`, `import { a${i} } from './event';\n`.repeat(i % 7));
  // Before every file of folder `a` in path order ('.' < '/'), after them in a walk of sorted entries.
  add('a.ts', 'export {};\n');
  add('b/large.ts', 'x'.repeat(1_300_000) + '\n');
  add('b/utf8.ts', 'const s = "äö€";\n');
  add('b/binary.ts', Buffer.from([0x61, 0x00, 0x62]), 'binary file (contains a NUL byte)');
  for (let i = 0; i < 70; i++) add(`c/g${i}.ts`, `export const g${i} = ${i};\n`);
  fs.writeFileSync(path.join(dir, 'c/tsconfig.json'), '{ "compilerOptions": {} }');
  fs.writeFileSync(path.join(dir, 'b/jsconfig.json'), '{}');
  // A folder that only looks like a config is there, with no text to hand over.
  fs.mkdirSync(path.join(dir, 'd/tsconfig.json'), { recursive: true });
  add('d/h.ts', 'export {};\n');
  fs.mkdirSync(path.join(dir, 'skip'));
  fs.writeFileSync(path.join(dir, 'skip/out.ts'), 'out of scope\n');
  fs.writeFileSync(path.join(dir, 'c/readme.md'), 'not included\n');
  expected.sort((x, y) => (x.file < y.file ? -1 : 1));
  return { scope: { config, paths: [] }, expected };
}

function threaded(scope: ScanScope) {
  const channel = new MessageChannel();
  const writer = writeBehind.startWriteBehind({ scan: { ...scope, port: channel.port2 } });
  return { scan: scanMod.scanFromPort(channel.port1), writer };
}

describe('scan', () => {
  it('lists the scope and reads every file in path order on the calling thread', async () => {
    const { scope, expected } = project();
    const { files, seen, batches } = await collect(scanMod.scanInThread(scope));
    expect(files).toEqual(expected.map((e) => e.file));
    expect(seen).toEqual(expected);
    expect(batches).toBeGreaterThan(1);
  });

  it('gives the same listing, bytes and reasons from the write-behind thread, which then writes', async () => {
    const { scope, expected } = project();
    const { scan, writer } = threaded(scope);
    try {
      const { files, seen, batches, folders } = await collect(scan);
      expect(files).toEqual(expected.map((e) => e.file));
      // In the order its walk finds them (it reads while it walks): each file once.
      expect(seen).not.toEqual(expected);
      expect([...seen].sort((x, y) => (x.file < y.file ? -1 : 1))).toEqual(expected);
      expect(batches).toBeGreaterThan(1);
      // What its walk saw of the folders: where a tsconfig.json or a jsconfig.json is, with the
      // text of each that is a file (the main thread then reads none of them).
      const root = scope.config.rootDir;
      expect(folders.get(root)).toEqual([false, false]);
      expect(folders.get(path.join(root, 'b'))).toEqual([false, '{}']);
      expect(folders.get(path.join(root, 'c'))).toEqual(['{ "compilerOptions": {} }', false]);
      expect(folders.get(path.join(root, 'd'))).toEqual([true, false]);
      expect(folders.has(path.join(root, 'skip'))).toBe(false);
      const target = expected[0]!.file;
      writer.write(target, 'new\n');
      expect((await writer.flush()).size).toBe(0);
      expect(fs.readFileSync(target, 'utf8')).toBe('new\n');
    } finally {
      await writer.close();
    }
  });

  it('reads only the shard, the same on either thread', async () => {
    const { scope, expected } = project();
    const sharded = { ...scope, shard: { index: 1, count: 3, by: 'hash' as const } };
    const here = await collect(scanMod.scanInThread(sharded));
    const { scan, writer } = threaded(sharded);
    try {
      const there = await collect(scan);
      // A shard is chosen from the whole listing: that thread lists first, then reads in path order.
      expect(there.seen).toEqual(here.seen);
      expect(here.files.length).toBeGreaterThan(0);
      expect(here.files.length).toBeLessThan(expected.length);
    } finally {
      await writer.close();
    }
  });

  it('a path that does not exist is the same usage error on either thread, and nothing is read', async () => {
    const { scope } = project();
    const bad = { ...scope, paths: [path.join(scope.config.rootDir, 'nope')] };
    await expect(scanMod.scanInThread(bad).listing).rejects.toThrow(/no such file or folder: nope/);
    const { scan, writer } = threaded(bad);
    try {
      const error = await scan.listing.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toBe('no such file or folder: nope');
      expect((error as Error).constructor.name).toBe('CollectError');
    } finally {
      await writer.close();
    }
  });

  it('rejects when the thread ends before it has sent every file', async () => {
    const { scope } = project();
    const { scan, writer } = threaded(scope);
    await writer.close();
    await expect(collect(scan)).rejects.toThrow(/ended before reading every file/);
  });
});

describe('createSourceScanner', () => {
  it('gives what readSourceFile gives, as bytes, for any file, reusing one buffer', () => {
    const dir = tempDir('scanner');
    const fifo = path.join(dir, 'pipe.ts');
    execFileSync('mkfifo', [fifo]);
    const files = [
      ['big.ts', 'y'.repeat(700_000)],
      ['small.ts', 'small\n'],
      ['empty.ts', ''],
      ['binary.ts', Buffer.from([1, 0, 2])],
      ['latin1.ts', Buffer.from([0xe4, 0x0a])],
    ].map(([name, content]) => {
      const file = path.join(dir, name as string);
      fs.writeFileSync(file, content as string | Buffer);
      return file;
    });
    const all = [...files, fifo, path.join(dir, 'gone.ts'), dir];
    const read = sourceFile.createSourceScanner();
    for (const file of all) {
      const got = read(file);
      const want = sourceFile.readSourceFile(file, { allowInvalidUtf8: true });
      if (want.ok) expect(got.ok && got.bytes.equals(fs.readFileSync(file)), file).toBe(true);
      else expect(got, file).toEqual({ ok: false, reason: want.reason });
    }
    expect(read(fifo)).toEqual({ ok: false, reason: 'not a regular file (FIFO)' });
    expect(read(path.join(dir, 'gone.ts'))).toEqual({ ok: false, reason: 'cannot read: ENOENT' });
  });
});
