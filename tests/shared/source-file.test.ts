// readSourceFile: how every command reads a file as source (report, check, migrate, init).
// Odd files are a reason, never an exception and never a hang; the stamp is what the compare-
// and-swap of a later write checks against.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/shared/atomic-write.js';
import { readSourceFile, sourceFromScannedText } from '../../src/shared/source-file.js';
import { cleanup, ensureBuilt, REPO, tempDir } from '../helpers/index.js';

beforeAll(() => ensureBuilt());
afterEach(() => cleanup());

describe('readSourceFile', () => {
  it('reads UTF-8 text with its byte count and a stamp of the file as read', () => {
    const dir = tempDir('src');
    const file = path.join(dir, 'a.ts');
    fs.writeFileSync(file, '\uFEFFconst s = "äö \uFFFD";\r\n');
    const read = readSourceFile(file);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.text).toBe('\uFEFFconst s = "äö \uFFFD";\r\n');
    expect(read.bytes).toBe(fs.statSync(file).size);
    // The text encodes back to exactly the bytes on disk (what a content hash of it relies on).
    expect(Buffer.from(read.text, 'utf8').equals(fs.readFileSync(file))).toBe(true);
    const st = fs.statSync(file, { bigint: true });
    expect(read.stamp).toEqual({
      dev: st.dev,
      ino: st.ino,
      size: Number(st.size),
      mtimeNs: st.mtimeNs,
      ctimeNs: st.ctimeNs,
      nlink: 1,
      uid: Number(st.uid),
      gid: Number(st.gid),
      mode: Number(st.mode),
    });
  });

  it('binary and invalid UTF-8 are reasons, not text', () => {
    const dir = tempDir('src');
    fs.writeFileSync(path.join(dir, 'bin.ts'), Buffer.from([0x61, 0x00, 0x62]));
    fs.writeFileSync(path.join(dir, 'latin1.ts'), Buffer.from([0x61, 0xe4, 0x62]));
    expect(readSourceFile(path.join(dir, 'bin.ts'))).toEqual({
      ok: false,
      reason: 'binary file (contains a NUL byte)',
    });
    expect(readSourceFile(path.join(dir, 'latin1.ts'))).toEqual({ ok: false, reason: 'not valid UTF-8' });
  });

  it('a missing file, a folder and a device are reasons', () => {
    const dir = tempDir('src');
    expect(readSourceFile(path.join(dir, 'nope.ts'))).toEqual({ ok: false, reason: 'cannot read: ENOENT' });
    expect(readSourceFile(dir)).toEqual({ ok: false, reason: 'not a regular file (folder)' });
    expect(readSourceFile('/dev/null')).toEqual({ ok: false, reason: 'not a regular file (character device)' });
  });

  it('a FIFO is a reason at once (no writer needed: the read never waits for one)', () => {
    const dir = tempDir('src');
    const fifo = path.join(dir, 'pipe.ts');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // In a child process: a read that waits for a writer would block this test runner for good.
    const module = path.join(REPO, 'dist/src/shared/source-file.js');
    const code = `import(${JSON.stringify(module)}).then((m) => console.log(JSON.stringify(m.readSourceFile(${JSON.stringify(fifo)}))));`;
    const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout: 20_000 });
    expect(r.signal).toBeNull();
    expect(JSON.parse(r.stdout)).toEqual({ ok: false, reason: 'not a regular file (FIFO)' });
  });
});

describe('sourceFromScannedText (a text the scan read, not read again)', () => {
  it("gives readSourceFile's text and stamp for a file that did not change", () => {
    const dir = tempDir('src');
    const file = path.join(dir, 'a.ts');
    fs.writeFileSync(file, 'import { A } from "./event";\n');
    expect(sourceFromScannedText(file, fs.readFileSync(file, 'utf8'))).toEqual(readSourceFile(file));
  });

  it('a file changed after the scan is refused by the write, as after readSourceFile', () => {
    const dir = tempDir('src');
    const file = path.join(dir, 'a.ts');
    fs.writeFileSync(file, 'import { A } from "./event";\n');
    const scanned = fs.readFileSync(file, 'utf8');
    // Someone else writes the file after the scan read it and before the run takes its stamp.
    fs.writeFileSync(file, 'import { A } from "./event"; // theirs\n');
    const source = sourceFromScannedText(file, scanned);
    expect(source.ok).toBe(true);
    if (!source.ok) return;
    // The stamp is the file's as it is now; the text is what the scan read: the write compares both.
    expect(() =>
      writeFileAtomic(file, 'import { A } from "./events";\n', {
        expect: { stamp: source.stamp, content: source.text },
      }),
    ).toThrow(/changed since it was read \(content\)/);
    expect(fs.readFileSync(file, 'utf8')).toBe('import { A } from "./event"; // theirs\n');
  });

  it('a file gone or replaced by a folder is a reason; U+FFFD in the text reads the file again', () => {
    const dir = tempDir('src');
    expect(sourceFromScannedText(path.join(dir, 'gone.ts'), 'x')).toEqual({ ok: false, reason: 'cannot read: ENOENT' });
    expect(sourceFromScannedText(dir, 'x')).toEqual({ ok: false, reason: 'not a regular file (folder)' });
    // The scan decodes invalid UTF-8 to U+FFFD: only the bytes tell it from the character itself.
    const invalid = path.join(dir, 'latin1.ts');
    fs.writeFileSync(invalid, Buffer.from([0x61, 0xe4, 0x62]));
    const decoded = fs.readFileSync(invalid).toString('utf8');
    expect(decoded).toContain('\uFFFD');
    expect(sourceFromScannedText(invalid, decoded)).toEqual({ ok: false, reason: 'not valid UTF-8' });
  });
});
