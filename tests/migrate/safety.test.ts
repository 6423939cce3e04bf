// `ssot migrate` against the file system as it is, not as we wish it were: another process edits
// files during the run, symlinks lead out of the project, files belong to other users or have
// several names, a FIFO is named on the command line, a killed run left temp files behind.
// Each case is what an adversarial pass observed (issue #16); every run is the built CLI, in a
// process of its own where another process races it or its pid matters, else in-process.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanup, ensureBuilt, FIXTURES, ssot, ssotInProcess, tempDir } from '../helpers/index.js';

beforeAll(() => ensureBuilt());
afterEach(() => cleanup());

const LEGACY_IMPORT = "import { MessageRouter } from './legacy/message-router';";
const MIGRATED_IMPORT = "import { MessageRouter } from 'ssot-kit/router/compat';";

interface FileReport {
  file: string;
  status: string;
  error?: string;
  reason?: string;
  sitesRewritten: number;
  refused: unknown[];
  changedDuringRun?: boolean;
}
interface Result {
  files: FileReport[];
  summary: Record<string, number | boolean>;
}

/** The `named` codemod case plus `n` more files that each import the legacy router. */
function project(n = 0): string {
  const work = tempDir('migrate-safety');
  fs.cpSync(path.join(FIXTURES, 'named', 'input'), work, { recursive: true });
  for (let i = 0; i < n; i++) {
    fs.writeFileSync(
      path.join(work, `src/use-${String(i).padStart(3, '0')}.ts`),
      `${LEGACY_IMPORT}\nexport const r${i} = new MessageRouter();\n`,
    );
  }
  return work;
}

function git(cwd: string, ...args: string[]): string {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@t',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@t',
  };
  return execFileSync('git', args, { cwd, encoding: 'utf8', env });
}

function tempFilesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((rel) => /\.ssot-[0-9a-f-]+\.tmp$/.test(rel))
    .sort();
}

/** A pid no process has (pid_max + 1). */
function deadPid(): number {
  return Number(fs.readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim()) + 1;
}

describe('another process edits files while migrate runs', () => {
  it('no edit is lost: a file changed after it was read is left as it is and reported, nothing counted for it', async () => {
    const work = project(150);
    const files = fs
      .readdirSync(path.join(work, 'src'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join(work, 'src', f));
    const control = tempDir('editor');
    const listFile = path.join(control, 'list.json');
    const stopFile = path.join(control, 'stop');
    const logFile = path.join(control, 'log.json');
    fs.writeFileSync(listFile, JSON.stringify(files));
    // The editor: a second process that appends a line to every other file, round after round
    // (a pause after each round), until told to stop; it logs each line it appended. The files
    // it leaves alone must all be migrated. One case no tool that replaces files by rename can
    // see: an append that opened the file before the replace and writes after it goes to the
    // replaced file (docs/codemods.md#safety, "What is left"); the editor notices that (the name
    // holds another file than the one it wrote) and appends the line again, so that the test
    // counts only edits made between migrate's read and its write.
    const editor = `
      const fs = require('node:fs');
      const [listFile, stopFile, logFile] = process.argv.slice(1);
      const files = JSON.parse(fs.readFileSync(listFile, 'utf8'));
      const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
      const log = [];
      for (let round = 0; !fs.existsSync(stopFile); round++) {
        files.forEach((f, i) => {
          if (i % 2 === 0) return;
          const line = '// edit ' + round + ' of file ' + i + '\\n';
          for (let landed = false; !landed; ) {
            const fd = fs.openSync(f, 'a');
            fs.writeSync(fd, line);
            landed = fs.fstatSync(fd).ino === fs.statSync(f).ino;
            fs.closeSync(fd);
          }
          log.push([f, line]);
        });
        if (round === 0) process.stdout.write('ready\\n');
        pause(15);
      }
      fs.writeFileSync(logFile, JSON.stringify(log));`;
    const child = spawn(process.execPath, ['-e', editor, listFile, stopFile, logFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const editorDone = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const ready = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await Promise.race([
      ready,
      editorDone.then((code) => Promise.reject(new Error(`the editor exited early (${code})`))),
    ]);
    let result;
    try {
      result = await ssot(['migrate', '--json', '.'], work);
    } finally {
      fs.writeFileSync(stopFile, '');
    }
    expect(await editorDone).toBe(0);

    const report = JSON.parse(result.stdout) as Result;
    const log = JSON.parse(fs.readFileSync(logFile, 'utf8')) as [string, string][];
    const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
    // Every line the editor appended is still in its file.
    const lost = log.filter(([f, line]) => !texts.get(f)!.includes(line));
    expect(
      lost.length,
      `lost edits: ${lost
        .slice(0, 5)
        .map(([f, l]) => `${path.basename(f)}: ${l.trim()}`)
        .join(', ')}`,
    ).toBe(0);
    // Each file is either migrated (reported changed) or left as it was (reported changed
    // during migration, failed, with nothing counted for it).
    const byFile = new Map(report.files.map((f) => [path.join(work, f.file), f]));
    let conflicts = 0;
    for (const [i, f] of files.entries()) {
      const entry = byFile.get(f)!;
      const text = texts.get(f)!;
      if (i % 2 === 0) expect(entry.status, `${f} was not edited`).toBe('changed');
      if (entry.status === 'changed') {
        expect(text.startsWith(MIGRATED_IMPORT), f).toBe(true);
        expect(entry.sitesRewritten).toBe(1);
      } else {
        conflicts++;
        expect(entry, f).toMatchObject({ status: 'failed', changedDuringRun: true, sitesRewritten: 0, refused: [] });
        expect(entry.error).toMatch(
          /^changed during migration: changed (since it was read|while it was being replaced)/,
        );
        // Left as it was; unless a second write came while the first was being put back.
        if (!/could not be put back/.test(entry.error!)) expect(text.startsWith(LEGACY_IMPORT), f).toBe(true);
      }
    }
    expect(report.summary.filesChangedDuringRun).toBe(conflicts);
    expect(report.summary.filesChanged).toBe(files.length - conflicts);
    expect(report.summary.sitesRewritten).toBe(files.length - conflicts);
    expect(report.summary.filesFailed).toBe(conflicts);
    expect(result.code).toBe(conflicts > 0 ? 1 : 0);
    expect(tempFilesUnder(work)).toEqual([]);
  });
});

describe('symlinks never lead a write out of the project', () => {
  it('a symlinked file or folder named on the command line that resolves outside is refused (exit 2), the outside file untouched', async () => {
    const work = project();
    const outside = tempDir('outside');
    const victim = path.join(outside, 'victim.ts');
    const original = `import { MessageRouter } from '${path.join(work, 'src/legacy/message-router')}';\nexport const r = new MessageRouter();\n`;
    fs.writeFileSync(victim, original);
    fs.symlinkSync(victim, path.join(work, 'src/x.ts'));
    fs.symlinkSync(outside, path.join(work, 'src/linked'));

    const file = await ssotInProcess(['migrate', 'src/x.ts'], work);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain(
      `${path.join(work, 'src/x.ts')}: resolves to ${victim}, outside the project root ${work}`,
    );
    const folder = await ssotInProcess(['migrate', 'src/linked'], work);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain(
      `${path.join(work, 'src/linked')}: resolves to ${outside}, outside the project root ${work}`,
    );
    const under = await ssotInProcess(['migrate', 'src/linked/victim.ts'], work);
    expect(under.code).toBe(2);
    // The whole project: symlinks are not followed by the walk; the project's own file migrates.
    const whole = await ssotInProcess(['migrate', '--json', '.'], work);
    expect(whole.code).toBe(0);
    expect((JSON.parse(whole.stdout) as Result).files.filter((f) => f.status === 'changed').map((f) => f.file)).toEqual(
      ['src/app.ts'],
    );
    expect(fs.readFileSync(victim, 'utf8')).toBe(original);
  });
});

describe('owners, groups and links', () => {
  it.runIf(process.getuid?.() === 0)("run as root, migrate keeps other users' owner, group and mode", async () => {
    const work = project(1);
    const file = path.join(work, 'src/use-000.ts');
    fs.chownSync(file, 4242, 4343);
    fs.chmodSync(file, 0o640);
    const r = await ssotInProcess(['migrate', '--json', '.'], work);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(file, 'utf8').startsWith(MIGRATED_IMPORT)).toBe(true);
    const st = fs.statSync(file);
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([4242, 4343, 0o640]);
  });

  it('a file with more than one hard link is not written: failed with the reason, both names intact', async () => {
    const work = project(1);
    const file = path.join(work, 'src/use-000.ts');
    const alias = path.join(tempDir('alias'), 'alias.ts');
    fs.linkSync(file, alias);
    const before = fs.readFileSync(file, 'utf8');
    const r = await ssotInProcess(['migrate', '--json', '.'], work);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Result;
    expect(report.files.find((f) => f.file === 'src/use-000.ts')).toMatchObject({
      status: 'failed',
      error: 'not written: has 2 hard links; replacing it would cut it from the others',
      sitesRewritten: 0,
    });
    expect(report.files.find((f) => f.file === 'src/app.ts')?.status).toBe('changed');
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(fs.statSync(file).ino).toBe(fs.statSync(alias).ino);
  });
});

describe('inputs that are not source files', () => {
  it('a FIFO named on the command line is refused at once (exit 2), not read', () => {
    const work = project();
    const fifo = path.join(work, 'src/pipe.ts');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // spawnSync with a timeout: a run that waits on the FIFO is killed and fails here.
    for (const args of [
      ['migrate', 'src/pipe.ts'],
      ['migrate', '--dry-run', 'src/pipe.ts'],
      ['report', 'src/pipe.ts'],
    ]) {
      const r = spawnSync(process.execPath, [BIN, ...args], {
        cwd: work,
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, NO_COLOR: '1' },
      });
      expect(r.signal, args.join(' ')).toBeNull();
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`${fifo}: not a regular file (FIFO)`);
    }
  });
});

describe('temp files of an interrupted run', () => {
  it("are not uncommitted changes, and the next run removes them (a concurrent run's are kept)", async () => {
    const work = project(2);
    git(work, 'init', '-q');
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', 'init');
    // What a SIGKILL during a write leaves: a 0-byte temp file beside the file being written.
    const leftover = `src/.use-000.ts.ssot-${deadPid()}-00112233445566aa.tmp`;
    const older = 'src/.use-001.ts.ssot-00112233445566bb.tmp';
    const live = `src/.app.ts.ssot-${process.pid}-00112233445566cc.tmp`;
    for (const rel of [leftover, older, live]) fs.writeFileSync(path.join(work, rel), '');
    const dry = await ssot(['migrate', '--dry-run', '.'], work);
    expect(dry.code).toBe(0);
    expect(tempFilesUnder(work)).toHaveLength(3); // a dry run changes nothing
    const r = await ssot(['migrate', '--json', '.'], work);
    expect(r.stderr).not.toMatch(/uncommitted changes/);
    expect(r.code).toBe(0);
    expect(dry.stderr).toMatch(/3 temp file\(s\) of an interrupted or concurrent run/);
    expect(r.stderr).toMatch(/removed 2 temp file\(s\) left by an interrupted run/);
    expect((JSON.parse(r.stdout) as Result).summary.filesChanged).toBe(3);
    expect(tempFilesUnder(work)).toEqual([live]);
  });

  it("a named file's leftovers are found beside it", async () => {
    const work = project(1);
    const leftover = path.join(work, `src/.use-000.ts.ssot-${deadPid()}-00112233445566dd.tmp`);
    fs.writeFileSync(leftover, '');
    const r = await ssot(['migrate', 'src/use-000.ts'], work);
    expect(r.code).toBe(0);
    expect(fs.existsSync(leftover)).toBe(false);
  });
});
