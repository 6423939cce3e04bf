// The reading half of migrate's prefilter (src/migrate/scan.ts): on the calling thread or on the
// write-behind thread, every listed file comes back once, in order, with its bytes or the reason
// it could not be read; a thread that ends before the scan does is an error, never a verdict.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, REPO, tempDir } from '../helpers/index.js';

type ScanModule = typeof import('../../src/migrate/scan.js');
type WriteBehindModule = typeof import('../../src/migrate/write-behind.js');
let scanMod: ScanModule;
let writeBehind: WriteBehindModule;

beforeAll(async () => {
  // The thread runs the built modules (a worker thread cannot load TypeScript sources).
  ensureBuilt();
  scanMod = (await import(path.join(REPO, 'dist/src/migrate/scan.js'))) as ScanModule;
  writeBehind = (await import(path.join(REPO, 'dist/src/migrate/write-behind.js'))) as WriteBehindModule;
});

type Seen = { file: string; text?: string; reason?: string };

async function collect(scan: import('../../src/migrate/scan.js').Scan): Promise<{ seen: Seen[]; batches: number }> {
  const seen: Seen[] = [];
  let batches = 0;
  await scan.read(
    (f) =>
      seen.push(
        'reason' in f ? { file: f.file, reason: f.reason } : { file: f.file, text: f.bytes.toString('latin1') },
      ),
    async () => {
      batches++;
    },
  );
  return { seen, batches };
}

/** Files of every kind the scan meets: sizes beyond a batch's buffer, empty, binary, gone, a FIFO. */
function project(): { files: string[]; expected: Seen[] } {
  const dir = tempDir('scan');
  const files: string[] = [];
  const expected: Seen[] = [];
  const add = (name: string, content: Buffer | string | undefined, reason?: string): void => {
    const file = path.join(dir, name);
    if (content !== undefined) fs.writeFileSync(file, content);
    files.push(file);
    expected.push(reason ? { file, reason } : { file, text: Buffer.from(content!).toString('latin1') });
  };
  for (let i = 0; i < 150; i++)
    add(`f${String(i).padStart(3, '0')}.ts`, `import { a${i} } from './event';\n`.repeat(i % 7));
  add('large.ts', 'x'.repeat(1_300_000) + '\n');
  add('utf8.ts', 'const s = "äö€";\n');
  add('binary.ts', Buffer.from([0x61, 0x00, 0x62]), 'binary file (contains a NUL byte)');
  add('gone.ts', undefined, 'cannot read: ENOENT');
  const fifo = path.join(dir, 'pipe.ts');
  execFileSync('mkfifo', [fifo]);
  files.push(fifo);
  expected.push({ file: fifo, reason: 'not a regular file (FIFO)' });
  for (let i = 0; i < 70; i++) add(`g${i}.ts`, `export const g${i} = ${i};\n`);
  return { files, expected };
}

describe('scan', () => {
  it('reads every file in order on the calling thread, with the reason for each it cannot read', async () => {
    const { files, expected } = project();
    const { seen, batches } = await collect(scanMod.scanInThread(files));
    expect(seen).toEqual(expected);
    expect(batches).toBeGreaterThan(1);
  });

  it('gives the same files, bytes and reasons from the write-behind thread', async () => {
    const { files, expected } = project();
    const channel = new MessageChannel();
    const writer = writeBehind.startWriteBehind({ scan: { files, port: channel.port2 } });
    try {
      const { seen, batches } = await collect(scanMod.scanFromPort(channel.port1));
      expect(seen).toEqual(expected);
      expect(batches).toBeGreaterThan(1);
      // The thread serves writes after its scan.
      const target = path.join(path.dirname(files[0]!), 'written.ts');
      fs.writeFileSync(target, 'old\n');
      writer.write(target, 'new\n');
      expect((await writer.flush()).size).toBe(0);
      expect(fs.readFileSync(target, 'utf8')).toBe('new\n');
    } finally {
      await writer.close();
    }
  });

  it('rejects when the thread ends before it has sent every file', async () => {
    const { files } = project();
    const channel = new MessageChannel();
    const writer = writeBehind.startWriteBehind({ scan: { files, port: channel.port2 } });
    await writer.close();
    await expect(collect(scanMod.scanFromPort(channel.port1))).rejects.toThrow(/ended before reading every file/);
  });
});
