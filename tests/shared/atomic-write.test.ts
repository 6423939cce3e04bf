// writeFileAtomic and its helpers: the one way the tool replaces a file (migrate, reports,
// baselines, caches, init). Real files, real owners (the suite runs as root: chown works),
// real FIFOs and /proc; a child process where a mistake would block the test runner.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureDir,
  isStaleTempName,
  removeStaleTempFiles,
  staleTempFilesOf,
  TEMP_FILE_PATTERN,
  writeFileAtomic,
  WriteError,
  type ExpectedFile,
} from '../../src/shared/atomic-write.js';
import { readSourceFile, stampOf } from '../../src/shared/source-file.js';
import { cleanup, ensureBuilt, REPO, tempDir } from '../helpers/index.js';

const isRoot = process.getuid?.() === 0;
const OTHER_UID = 4242;
const OTHER_GID = 4343;

beforeAll(() => ensureBuilt());
afterEach(() => cleanup());

/** What readSourceFile saw, as a compare-and-swap expectation. */
function asRead(file: string): ExpectedFile {
  const source = readSourceFile(file);
  if (!source.ok) throw new Error(source.reason);
  return { stamp: source.stamp, content: source.text };
}

function writeError(fn: () => unknown): WriteError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WriteError);
    return error as WriteError;
  }
  throw new Error('expected a WriteError');
}

function tempNames(dir: string): string[] {
  return fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'));
}

/** A pid that is not running (the highest pid the kernel hands out, plus one, never runs). */
function deadPid(): number {
  const max = Number(fs.readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim());
  return max + 1;
}

describe('writeFileAtomic', () => {
  it('replaces the content, keeps the mode and leaves no temp file', () => {
    const dir = tempDir('aw');
    const file = path.join(dir, 'a.ts');
    fs.writeFileSync(file, 'old\n');
    fs.chmodSync(file, 0o751);
    writeFileAtomic(file, 'new äö\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('new äö\n');
    expect(fs.statSync(file).mode & 0o7777).toBe(0o751);
    expect(tempNames(dir)).toEqual([]);
  });

  it('many compare-and-swap writes in a row: every file replaced, and every descriptor of a replaced file closed', async () => {
    const dir = tempDir('aw');
    const openFds = (): number => fs.readdirSync('/proc/self/fd').length;
    const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));
    // Closes another test file of this worker left running finish first.
    for (let i = 0, n = -1; i < 200 && openFds() !== n; i++) {
      n = openFds();
      await tick();
    }
    const before = openFds();
    // More files than replaced descriptors may close at once in the background (then a close waits).
    const files = Array.from({ length: 100 }, (_, i) => path.join(dir, `f${i}.ts`));
    for (const f of files) fs.writeFileSync(f, `old ${f}\n`);
    for (const f of files) writeFileAtomic(f, `new ${f}\n`, { expect: asRead(f) });
    for (const f of files) expect(fs.readFileSync(f, 'utf8')).toBe(`new ${f}\n`);
    expect(tempNames(dir)).toEqual([]);
    // The background closes finish on their own, before the process could exit.
    for (let i = 0; i < 200 && openFds() > before; i++) await tick();
    expect(openFds()).toBeLessThanOrEqual(before);
  });

  it.runIf(isRoot)("keeps another user's owner and group (fchown as root)", () => {
    const dir = tempDir('aw');
    const file = path.join(dir, 'a.ts');
    fs.writeFileSync(file, 'old\n');
    fs.chownSync(file, OTHER_UID, OTHER_GID);
    writeFileAtomic(file, 'new\n', { expect: asRead(file) });
    const st = fs.statSync(file);
    expect([st.uid, st.gid]).toEqual([OTHER_UID, OTHER_GID]);
    expect(fs.readFileSync(file, 'utf8')).toBe('new\n');
  });

  it.runIf(isRoot)('a user who cannot keep the owner is refused with the reason, the file untouched', () => {
    // The writer runs as OTHER_UID in a folder it may write; the file belongs to yet another user.
    const dir = tempDir('aw');
    fs.chmodSync(dir, 0o777);
    const file = path.join(dir, 'a.ts');
    fs.writeFileSync(file, 'old\n');
    fs.chmodSync(file, 0o666);
    fs.chownSync(file, OTHER_UID + 1, OTHER_GID + 1);
    const module = path.join(REPO, 'dist/src/shared/atomic-write.js');
    const code = `import(${JSON.stringify(module)}).then((m) => { try { m.writeFileAtomic(${JSON.stringify(file)}, 'new\\n'); console.log('written'); } catch (e) { console.log(e.kind + ': ' + e.message); } });`;
    const r = spawnSync(process.execPath, ['-e', code], {
      uid: OTHER_UID,
      gid: OTHER_GID,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stdout.trim()).toMatch(
      /^refused: cannot write .*a\.ts: owned by 4243:4344, which this user cannot keep \(EPERM\)$/,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('old\n');
    expect(fs.statSync(file).uid).toBe(OTHER_UID + 1);
    expect(tempNames(dir)).toEqual([]);
  });

  it('refuses a file with more than one hard link, and leaves both names alone', () => {
    const dir = tempDir('aw');
    const file = path.join(dir, 'a.ts');
    const alias = path.join(dir, 'alias.ts');
    fs.writeFileSync(file, 'old\n');
    fs.linkSync(file, alias);
    const error = writeError(() => writeFileAtomic(file, 'new\n'));
    expect(error).toMatchObject({ kind: 'refused' });
    expect(error.message).toBe(`cannot write ${file}: has 2 hard links; replacing it would cut it from the others`);
    expect(fs.readFileSync(file, 'utf8')).toBe('old\n');
    expect(fs.statSync(file).ino).toBe(fs.statSync(alias).ino);
    expect(tempNames(dir)).toEqual([]);
  });

  it('follows a symlink inside `within`, refuses one that leads outside', () => {
    const root = tempDir('aw-root');
    const outside = tempDir('aw-outside');
    fs.writeFileSync(path.join(root, 'real.ts'), 'old\n');
    fs.writeFileSync(path.join(outside, 'victim.ts'), 'old\n');
    fs.symlinkSync(path.join(root, 'real.ts'), path.join(root, 'inner-link.ts'));
    fs.symlinkSync(path.join(outside, 'victim.ts'), path.join(root, 'outer-link.ts'));
    writeFileAtomic(path.join(root, 'inner-link.ts'), 'new\n', { within: root });
    expect(fs.readFileSync(path.join(root, 'real.ts'), 'utf8')).toBe('new\n');
    expect(fs.lstatSync(path.join(root, 'inner-link.ts')).isSymbolicLink()).toBe(true);
    const error = writeError(() => writeFileAtomic(path.join(root, 'outer-link.ts'), 'new\n', { within: root }));
    expect(error.message).toContain(`resolves to ${path.join(outside, 'victim.ts')}, outside the project root ${root}`);
    expect(fs.readFileSync(path.join(outside, 'victim.ts'), 'utf8')).toBe('old\n');
    // A new file in a symlinked folder that leads outside is refused too.
    fs.symlinkSync(outside, path.join(root, 'out-dir'));
    writeError(() => writeFileAtomic(path.join(root, 'out-dir', 'new.ts'), 'x', { within: root }));
    expect(fs.existsSync(path.join(outside, 'new.ts'))).toBe(false);
  });

  it('a folder, a FIFO or a device is no target: a usage error naming the path, nothing written', () => {
    const dir = tempDir('aw');
    expect(writeError(() => writeFileAtomic(dir, 'x')).message).toBe(
      `cannot write ${dir}: not a regular file (folder)`,
    );
    const fifo = path.join(dir, 'pipe');
    spawnSync('mkfifo', [fifo]);
    expect(writeError(() => writeFileAtomic(fifo, 'x')).message).toBe(
      `cannot write ${fifo}: not a regular file (FIFO)`,
    );
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
    expect(writeError(() => writeFileAtomic('/dev/null', 'x')).message).toBe(
      'cannot write /dev/null: not a regular file (character device)',
    );
    expect(tempNames(dir)).toEqual([]);
  });

  it('compare-and-swap: a file changed since it was read is left as it is', () => {
    const dir = tempDir('aw');
    const file = path.join(dir, 'a.ts');
    fs.writeFileSync(file, 'one\n');
    const read = asRead(file);
    fs.appendFileSync(file, 'two\n');
    const error = writeError(() => writeFileAtomic(file, 'migrated\n', { expect: read }));
    expect(error).toMatchObject({ kind: 'changed', reason: 'changed since it was read (size)' });
    expect(fs.readFileSync(file, 'utf8')).toBe('one\ntwo\n');
    expect(tempNames(dir)).toEqual([]);
  });

  it('compare-and-swap: a stamp that still fits does not hide other bytes (a write within one clock tick)', () => {
    const dir = tempDir('aw');
    const file = path.join(dir, 'a.ts');
    fs.writeFileSync(file, 'aaaa\n');
    const read = asRead(file);
    fs.writeFileSync(file, 'bbbb\n');
    // As if the second write had kept size and times (a coarse clock can): only the bytes differ.
    const sameStamp = { ...read, stamp: stampOf(fs.statSync(file, { bigint: true })) };
    const error = writeError(() => writeFileAtomic(file, 'migrated\n', { expect: sameStamp }));
    expect(error).toMatchObject({ kind: 'changed', reason: 'changed since it was read (content)' });
    expect(fs.readFileSync(file, 'utf8')).toBe('bbbb\n');
  });

  it('compare-and-swap: a file replaced or deleted since it was read is left alone', () => {
    const dir = tempDir('aw');
    const file = path.join(dir, 'a.ts');
    fs.writeFileSync(file, 'one\n');
    const read = asRead(file);
    fs.writeFileSync(path.join(dir, 'b.ts'), 'one\n');
    fs.renameSync(path.join(dir, 'b.ts'), file);
    expect(writeError(() => writeFileAtomic(file, 'x', { expect: read })).reason).toBe(
      'changed since it was read (replaced)',
    );
    fs.rmSync(file);
    expect(writeError(() => writeFileAtomic(file, 'x', { expect: read })).reason).toBe(
      'changed since it was read (deleted)',
    );
    expect(fs.existsSync(file)).toBe(false);
  });

  it('compare-and-swap: an unchanged file is written', () => {
    const dir = tempDir('aw');
    const file = path.join(dir, 'a.ts');
    fs.writeFileSync(file, 'one\n');
    writeFileAtomic(file, 'two\n', { expect: asRead(file) });
    expect(fs.readFileSync(file, 'utf8')).toBe('two\n');
  });

  it('file system errors are usage errors naming the path', () => {
    const error = writeError(() => writeFileAtomic('/nonexistent-ssot-dir/x.json', 'x'));
    expect(error.message).toBe('cannot write /nonexistent-ssot-dir/x.json: ENOENT');
    expect(error.name).toBe('WriteError');
  });

  it.runIf(fs.existsSync('/proc/self'))(
    'creates missing folders one by one; under /proc that fails at once instead of looping',
    () => {
      const dir = tempDir('aw');
      writeFileAtomic(path.join(dir, 'a/b/c/report.json'), '{}', { createDirs: true });
      expect(fs.readFileSync(path.join(dir, 'a/b/c/report.json'), 'utf8')).toBe('{}');
      // fs.mkdirSync(..., { recursive: true }) never returns here: run it where a hang is a failure.
      const module = path.join(REPO, 'dist/src/shared/atomic-write.js');
      const code = `import(${JSON.stringify(module)}).then((m) => { try { m.writeFileAtomic('/proc/ssot-x/y/out.json', '{}', { createDirs: true }); } catch (e) { console.log(e.message); } });`;
      const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout: 20_000 });
      expect(r.signal).toBeNull();
      expect(r.stdout.trim()).toBe('cannot create the folder /proc/ssot-x: ENOENT');
      const file = path.join(dir, 'plain');
      fs.writeFileSync(file, '');
      expect(writeError(() => ensureDir(path.join(file, 'sub'))).message).toBe(
        `cannot create the folder ${file}/sub: ENOTDIR`,
      );
    },
  );
});

describe('temp files', () => {
  it('are named .<name>.ssot-<pid>-<random>.tmp; a dead writer makes them leftovers, a live one does not', () => {
    expect(TEMP_FILE_PATTERN.test(`.a.ts.ssot-${process.pid}-0123456789abcdef.tmp`)).toBe(true);
    expect(TEMP_FILE_PATTERN.test('.a.ts.ssot-0123456789abcdef.tmp')).toBe(true); // before pids were in the name
    expect(TEMP_FILE_PATTERN.test('a.ts.tmp')).toBe(false);
    expect(isStaleTempName(`.a.ts.ssot-${deadPid()}-0123456789abcdef.tmp`)).toBe(true);
    expect(isStaleTempName('.a.ts.ssot-0123456789abcdef.tmp')).toBe(true);
    expect(isStaleTempName(`.a.ts.ssot-${process.pid}-0123456789abcdef.tmp`)).toBe(false);
    expect(isStaleTempName(`.a.ts.ssot-${process.ppid}-0123456789abcdef.tmp`)).toBe(false);
  });

  it('removeLeftovers removes the leftovers of writes to that file only; removeStaleTempFiles keeps live ones', () => {
    const dir = tempDir('aw');
    const file = path.join(dir, 'report.json');
    const leftover = path.join(dir, `.report.json.ssot-${deadPid()}-0123456789abcdef.tmp`);
    const live = path.join(dir, `.report.json.ssot-${process.ppid}-0123456789abcdef.tmp`);
    const otherFile = path.join(dir, `.other.json.ssot-${deadPid()}-0123456789abcdef.tmp`);
    for (const f of [leftover, live, otherFile]) fs.writeFileSync(f, '');
    expect(staleTempFilesOf(file)).toEqual([leftover]);
    writeFileAtomic(file, '{}', { removeLeftovers: true });
    expect(tempNames(dir).sort()).toEqual([path.basename(live), path.basename(otherFile)].sort());
    expect(removeStaleTempFiles([live, otherFile])).toEqual([otherFile]);
    expect(fs.existsSync(live)).toBe(true);
  });
});
