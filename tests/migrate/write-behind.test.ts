// The write-behind thread of `ssot migrate`: writes are atomic and confirmed, failures are
// reported per file, and a full queue falls back to writing in the caller's thread.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FileOutcome } from '../../src/migrate/worker.js';
import type { WriteBehind } from '../../src/migrate/write-behind.js';
import { ensureBuilt, REPO, tempDir } from '../helpers/index.js';

type WriteBehindModule = typeof import('../../src/migrate/write-behind.js');
type WorkerModule = typeof import('../../src/migrate/worker.js');
let mod: WriteBehindModule;
let workerMod: WorkerModule;

beforeAll(async () => {
  // The thread runs the built module (a worker thread cannot load TypeScript sources).
  ensureBuilt();
  mod = (await import(path.join(REPO, 'dist/src/migrate/write-behind.js'))) as WriteBehindModule;
  workerMod = (await import(path.join(REPO, 'dist/src/migrate/worker.js'))) as WorkerModule;
});

function files(dir: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const f = path.join(dir, `f${i}.ts`);
    fs.writeFileSync(f, `old ${i}\n`);
    return f;
  });
}

async function withWriter<T>(
  options: Parameters<WriteBehindModule['startWriteBehind']>[0],
  fn: (w: WriteBehind) => Promise<T>,
): Promise<T> {
  const w = mod.startWriteBehind(options);
  try {
    return await fn(w);
  } finally {
    await w.close();
  }
}

describe('write-behind', () => {
  it('writes every file and confirms them all on flush', async () => {
    const dir = tempDir('wb');
    const list = files(dir, 200);
    const failed = await withWriter({}, async (w) => {
      for (const [i, f] of list.entries()) w.write(f, `new ${i} äö\n`);
      return w.flush();
    });
    expect(failed.size).toBe(0);
    for (const [i, f] of list.entries()) expect(fs.readFileSync(f, 'utf8')).toBe(`new ${i} äö\n`);
    // No temp file is left behind.
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('reports a failed write by file and keeps writing the others', async () => {
    const dir = tempDir('wb');
    const [a, b] = files(dir, 2);
    const gone = path.join(dir, 'missing-folder', 'x.ts');
    const failed = await withWriter({}, async (w) => {
      w.write(a!, 'A');
      w.write(gone, 'X');
      w.write(b!, 'B');
      return w.flush();
    });
    expect([...failed.keys()]).toEqual([gone]);
    expect(failed.get(gone)).toEqual({ reason: 'ENOENT', kind: 'io' });
    expect(fs.readFileSync(a!, 'utf8')).toBe('A');
    expect(fs.readFileSync(b!, 'utf8')).toBe('B');
    expect(fs.existsSync(gone)).toBe(false);
  });

  it('writes in the calling thread once the queue holds more than maxPendingBytes', async () => {
    const dir = tempDir('wb');
    const [a, b] = files(dir, 2);
    await withWriter({ maxPendingBytes: 0 }, async (w) => {
      w.write(a!, 'A');
      // Written synchronously: visible before any flush.
      expect(fs.readFileSync(a!, 'utf8')).toBe('A');
      w.write(path.join(dir, 'nope', 'y.ts'), 'Y');
      w.write(b!, 'B');
      const failed = await w.flush();
      expect([...failed.values()]).toEqual([{ reason: 'ENOENT', kind: 'io' }]);
    });
    expect(fs.readFileSync(b!, 'utf8')).toBe('B');
  });

  it('flush with nothing pending resolves at once; failures are reported once', async () => {
    await withWriter({}, async (w) => {
      expect((await w.flush()).size).toBe(0);
      w.write('/nonexistent-ssot-dir/z.ts', 'Z');
      expect((await w.flush()).size).toBe(1);
      expect((await w.flush()).size).toBe(0);
    });
  });

  it('a thread that goes away fails what it had not confirmed; flush never hangs', async () => {
    const dir = tempDir('wb');
    const list = files(dir, 50);
    const w = mod.startWriteBehind();
    for (const f of list) w.write(f, 'new');
    await w.close(); // terminated with writes in flight
    const failed = await w.flush();
    for (const f of list) {
      // Each file is whole (old or new), and one that is not confirmed is never counted as written.
      const text = fs.readFileSync(f, 'utf8');
      expect(['new', `old ${list.indexOf(f)}\n`]).toContain(text);
      if (text !== 'new') expect(failed.has(f), f).toBe(true);
    }
    // Later writes go through the calling thread.
    w.write(list[0]!, 'after');
    expect(fs.readFileSync(list[0]!, 'utf8')).toBe('after');
  });

  it('a file whose write failed counts as failed with no site rewritten', () => {
    const site = { line: 1, column: 1, form: 'import' as const, specifier: './legacy' };
    const outcome: FileOutcome = {
      file: '/p/a.ts',
      status: 'changed',
      parsed: true,
      rewritten: [site, site, site],
      refused: [],
      kept: [],
      notes: [],
    };
    expect(workerMod.writeFailed(outcome, { reason: 'EROFS', kind: 'io' })).toMatchObject({
      status: 'failed',
      error: 'write failed: EROFS',
      rewritten: [],
    });
  });
});
