import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BUNDLER_TSCONFIG,
  copyDir,
  ensureBuilt,
  FIXTURES,
  readTree,
  ssot,
  ssotInProcess,
  tempDir,
} from '../helpers/index.js';

/**
 * `ssot migrate` as a user runs it: flags, statuses, exit codes, safety. Most runs are the built
 * CLI in-process (ssotInProcess: same code, output and exit code, no Node start-up per run); a diff
 * on stdout, a usage error's exit code and worker threads are also checked through a real process.
 */

beforeAll(() => {
  ensureBuilt();
});

function project(...cases: string[]): string {
  // Several fixture inputs merged into one project (same preset config, distinct file names).
  const work = tempDir('migrate');
  for (const c of cases) {
    const input = path.join(FIXTURES, c, 'input');
    for (const [rel] of readTree(input)) {
      const from = path.join(input, rel);
      const to = path.join(work, rel === 'src/app.ts' ? `src/${c}.ts` : rel);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(from, to);
    }
  }
  return work;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
    },
  });
}

interface Report {
  files: {
    file: string;
    status: string;
    reason?: string;
    error?: string;
    sitesRewritten: number;
    refused: { reason: string }[];
    diff?: string;
    newDiagnostics?: unknown[];
    rolledBack?: boolean;
  }[];
  summary: Record<string, number | boolean>;
}

describe('ssot migrate', () => {
  it('--dry-run prints a unified diff per file and writes nothing', async () => {
    const work = project('named', 'split');
    const before = readTree(work);
    const r = await ssot(['migrate', '--dry-run', '.'], work);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "--- a/src/named.ts\n+++ b/src/named.ts\n@@ -1,4 +1,4 @@\n-import { MessageRouter } from './legacy/message-router';\n+import { MessageRouter } from 'ssot-kit/router/compat';",
    );
    expect(r.stdout).toContain('--- a/src/split.ts');
    expect(r.stdout).toMatch(/2 would change, 2 sites rewritten/);
    const after = readTree(work);
    for (const [rel, bytes] of before) expect(after.get(rel)?.equals(bytes), rel).toBe(true);
  });

  it('--json gives a status per file and a summary; one failing file does not abort the run', async () => {
    const work = project('named', 'namespace-unsafe');
    fs.writeFileSync(
      path.join(work, 'src/broken.ts'),
      "import { MessageRouter } from './legacy/message-router';\nexport const r = new MessageRouter(;\n",
    );
    fs.writeFileSync(path.join(work, 'src/plain.ts'), 'export const nothing = 1;\n');
    fs.writeFileSync(
      path.join(work, 'src/binary.ts'),
      Buffer.from([0x4d, 0x65, 0x73, 0x73, 0x61, 0x67, 0x65, 0x52, 0x6f, 0x75, 0x74, 0x65, 0x72, 0]),
    );
    const r = await ssotInProcess(['migrate', '--json', '.'], work);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    const byFile = new Map(report.files.map((f) => [f.file, f]));
    expect(byFile.get('src/named.ts')).toMatchObject({ status: 'changed', sitesRewritten: 1 });
    expect(byFile.get('src/namespace-unsafe.ts')?.status).toBe('unchanged');
    const unsafe = byFile.get('src/namespace-unsafe.ts');
    expect(unsafe?.refused[0]?.reason).toMatch(/namespace import legacy is used as a value/);
    expect(byFile.get('src/broken.ts')).toMatchObject({ status: 'failed' });
    expect(byFile.get('src/broken.ts')?.error).toMatch(/would not parse/);
    expect(byFile.get('src/binary.ts')).toMatchObject({
      status: 'skipped',
      reason: 'binary file (contains a NUL byte)',
    });
    expect(byFile.has('src/plain.ts')).toBe(false); // ruled out by the prefilter: counted, not listed
    expect(report.summary).toMatchObject({
      filesScanned: 6,
      filesChanged: 1,
      filesFailed: 1,
      filesSkipped: 1,
      sitesRewritten: 1,
      sitesRefused: 1,
      dryRun: false,
      gitTree: false,
    });
    expect(report.summary.filesParsed).toBe(3); // named, namespace-unsafe, broken: the rest never spell a legacy module
    expect(typeof report.summary.timeMs).toBe('number');
    expect(r.stderr).toMatch(/not in a git work tree/);
  });

  it('refuses a git tree with uncommitted changes unless --allow-dirty', async () => {
    const work = project('named');
    git(work, 'init', '-q');
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', 'init');
    fs.appendFileSync(path.join(work, 'src/named.ts'), '// edited\n');
    const refused = await ssotInProcess(['migrate', '.'], work);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/uncommitted changes.*--allow-dirty[\s\S]*src\/named\.ts/);
    expect(fs.readFileSync(path.join(work, 'src/named.ts'), 'utf8')).toContain("from './legacy/message-router'");
    const allowed = await ssotInProcess(['migrate', '--allow-dirty', '.'], work);
    expect(allowed.code).toBe(0);
    expect(fs.readFileSync(path.join(work, 'src/named.ts'), 'utf8')).toContain("from 'ssot-kit/router/compat'");
    // A clean tree needs no flag.
    git(work, 'commit', '-q', '-am', 'migrated');
    const clean = await ssotInProcess(['migrate', '.'], work);
    expect(clean.code).toBe(0);
    expect(clean.stderr).not.toMatch(/git work tree/);
  });

  it('the uncommitted-changes check blocks only files the run would rewrite, and lists them', async () => {
    const work = project('named', 'split');
    fs.writeFileSync(path.join(work, 'package-lock.json'), '{}\n');
    git(work, 'init', '-q');
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', 'init');
    // What `npm install`, `ssot init`, `ssot check --update-baseline` and unrelated work leave behind.
    fs.writeFileSync(path.join(work, 'package-lock.json'), '{ "lockfileVersion": 3 }\n');
    fs.writeFileSync(path.join(work, 'ssot-baseline.json'), '[]\n');
    fs.writeFileSync(path.join(work, '.ssot-history.jsonl'), '{}\n');
    fs.appendFileSync(path.join(work, 'ssot.config.json'), '\n');
    fs.appendFileSync(path.join(work, 'src/legacy/message-router.ts'), '// edited: a legacy module, never rewritten\n');
    fs.writeFileSync(path.join(work, 'src/notes.ts'), 'export const notes = 1;\n');
    const dry = await ssotInProcess(['migrate', '--dry-run', '--json', '.'], work);
    expect(dry.code, dry.stderr).toBe(0);
    const ran = await ssotInProcess(['migrate', '--json', '.'], work);
    expect(ran.code, ran.stderr).toBe(0);
    expect((JSON.parse(ran.stdout) as Report).summary.filesChanged).toBe(2);
    git(work, 'checkout', '-q', '--', 'src');
    // A file it would rewrite with uncommitted changes stops the run before anything is written,
    // and is the only file named.
    fs.appendFileSync(path.join(work, 'src/split.ts'), '// edited\n');
    const before = readTree(work);
    const refused = await ssotInProcess(['migrate', '.'], work);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      new RegExp(
        'files this run would rewrite have uncommitted changes; commit or stash them, ' +
          'or pass --allow-dirty:\n  src/split\\.ts\n$',
      ),
    );
    const after = readTree(work);
    for (const [rel, bytes] of before) expect(after.get(rel)?.equals(bytes), rel).toBe(true);
    // An untracked file the run would rewrite blocks it too: git could not restore it.
    git(work, 'checkout', '-q', '--', 'src/split.ts');
    fs.copyFileSync(path.join(work, 'src/named.ts'), path.join(work, 'src/fresh.ts'));
    const untracked = await ssotInProcess(['migrate', '.'], work);
    expect(untracked.code).toBe(2);
    expect(untracked.stderr).toMatch(/--allow-dirty:\n  src\/fresh\.ts\n$/);
  });

  it('writes atomically: mode kept, no temp files left', async () => {
    const work = project('named');
    const file = path.join(work, 'src/named.ts');
    fs.chmodSync(file, 0o750);
    const r = await ssotInProcess(['migrate', '.'], work);
    expect(r.code).toBe(0);
    expect(fs.statSync(file).mode & 0o777).toBe(0o750);
    expect(fs.readdirSync(path.join(work, 'src')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--limit changes at most n files, in path order', async () => {
    const work = project('named', 'split', 'type-only');
    const r = await ssotInProcess(['migrate', '--json', '--limit', '2', '.'], work);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.files.filter((f) => f.status === 'changed').map((f) => f.file)).toEqual([
      'src/named.ts',
      'src/split.ts',
    ]);
    expect(report.files.find((f) => f.file === 'src/type-only.ts')).toMatchObject({
      status: 'skipped',
      reason: 'beyond --limit 2',
    });
    expect(fs.readFileSync(path.join(work, 'src/type-only.ts'), 'utf8')).toContain('./legacy/message-router');
    const preview = await ssotInProcess(['migrate', '--dry-run', '--json', '--limit', '1', '.'], work);
    const previewed = (JSON.parse(preview.stdout) as Report).files.filter((f) => f.diff).map((f) => f.file);
    expect(previewed).toEqual(['src/type-only.ts']);
    const rest = await ssotInProcess(['migrate', '--json', '--limit', '2', '.'], work);
    expect((JSON.parse(rest.stdout) as Report).files.filter((f) => f.status === 'changed').map((f) => f.file)).toEqual([
      'src/type-only.ts',
    ]);
  });

  it('--limit takes path order also when a reading thread hands files over in walk order', async () => {
    const work = project('named');
    const use = "import { MessageRouter } from '../legacy/message-router';\nexport const r = new MessageRouter();\n";
    // `src/named/` is walked before `src/named.ts` is seen, but `src/named.ts` comes first in path order.
    fs.mkdirSync(path.join(work, 'src/named'));
    fs.writeFileSync(path.join(work, 'src/named/inner.ts'), use);
    // Enough files in scope (READ_THREAD_MIN_FILES) for --jobs 2 to list and read on a thread.
    fs.mkdirSync(path.join(work, 'src/filler'));
    for (let i = 0; i < 1000; i++)
      fs.writeFileSync(path.join(work, `src/filler/f${i}.ts`), `export const f${i} = ${i};\n`);
    const r = await ssotInProcess(['migrate', '--json', '--jobs', '2', '--limit', '1', '.'], work);
    const changed = (JSON.parse(r.stdout) as Report).files.filter((f) => f.status === 'changed').map((f) => f.file);
    expect(changed).toEqual(['src/named.ts']);
  });

  it('--shard i/n splits the files into disjoint shards that cover them all', async () => {
    const work = project('named');
    for (const area of ['billing', 'chat', 'admin', 'jobs', 'search']) {
      fs.mkdirSync(path.join(work, 'src', area), { recursive: true });
      fs.writeFileSync(
        path.join(work, 'src', area, 'use.ts'),
        "import { MessageRouter } from '../legacy/message-router';\nexport const r = new MessageRouter();\n",
      );
    }
    for (const by of ['dir', 'hash']) {
      const changed: string[] = [];
      for (const i of [1, 2, 3]) {
        const r = await ssotInProcess(
          ['migrate', '--dry-run', '--json', '--shard', `${i}/3`, '--shard-by', by, '.'],
          work,
        );
        expect(r.code).toBe(0);
        changed.push(
          ...(JSON.parse(r.stdout) as Report).files.filter((f) => f.status === 'changed').map((f) => f.file),
        );
      }
      expect(changed.sort()).toEqual([
        'src/admin/use.ts',
        'src/billing/use.ts',
        'src/chat/use.ts',
        'src/jobs/use.ts',
        'src/named.ts',
        'src/search/use.ts',
      ]);
    }
    const bad = await ssotInProcess(['migrate', '--shard', '4/3', '.'], work);
    expect(bad.code).toBe(2);
  });

  it('--concept and path arguments narrow the run; usage errors exit 2', async () => {
    const work = project('named', 'split');
    const one = await ssotInProcess(['migrate', '--json', 'src/split.ts'], work);
    expect(one.code).toBe(0);
    expect((JSON.parse(one.stdout) as Report).files.filter((f) => f.status === 'changed').map((f) => f.file)).toEqual([
      'src/split.ts',
    ]);
    expect((await ssot(['migrate', '--concept', 'nope', '.'], work)).code).toBe(2);
    expect((await ssotInProcess(['migrate', '--limit', '0', '.'], work)).code).toBe(2);
    expect((await ssotInProcess(['migrate', '--rollback-on-type-errors', '.'], work)).code).toBe(2);
    expect((await ssotInProcess(['migrate', 'src/missing.ts'], work)).code).toBe(2);
    const known = await ssotInProcess(['migrate', '--json', '--concept', 'message-router', '.'], work);
    expect((JSON.parse(known.stdout) as Report).summary.filesChanged).toBe(1);
  });

  it('--jobs runs worker threads with the same result as one thread', async () => {
    const work = project('named');
    // Enough files (>= 200 listed) for a helper thread to start beside the main thread.
    for (let i = 0; i < 230; i++) {
      fs.writeFileSync(
        path.join(work, `src/use-${String(i).padStart(3, '0')}.ts`),
        `import { MessageRouter, LEGACY_ROUTER_VERSION } from './legacy/message-router';\nexport const r${i} = [new MessageRouter(), LEGACY_ROUTER_VERSION];\n`,
      );
    }
    const serial = tempDir('serial');
    copyDir(work, serial);
    const a = await ssot(['migrate', '--json', '--jobs', '2', '.'], work);
    const b = await ssotInProcess(['migrate', '--json', '--jobs', '1', '.'], serial);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect((JSON.parse(a.stdout) as Report).summary).toMatchObject({ filesChanged: 231, jobs: 2 });
    expect((JSON.parse(b.stdout) as Report).summary).toMatchObject({ filesChanged: 231, jobs: 1 });
    const ta = readTree(work);
    const tb = readTree(serial);
    for (const [rel, bytes] of ta) expect(tb.get(rel)?.equals(bytes), rel).toBe(true);
    // Over 64 files: this thread's writes went through the write-behind thread, every one landed.
    const uses = [...ta].filter(([rel]) => rel.startsWith('src/use-'));
    expect(uses).toHaveLength(230);
    for (const [rel, bytes] of uses)
      expect(bytes.toString(), rel).toMatch(/^import \{ MessageRouter \} from 'ssot-kit\/router\/compat';$/m);
    expect([...ta.keys()].filter((rel) => rel.endsWith('.tmp'))).toEqual([]);
  });

  it('from 1,000 files in scope another thread reads them and writes: the same report and files as one thread', async () => {
    const work = project('named');
    // Files the prefilter rules out, candidates among them, and one it cannot read (binary).
    for (let i = 0; i < 1100; i++) {
      const name = path.join(work, `src/many/f-${String(i).padStart(4, '0')}.ts`);
      fs.mkdirSync(path.dirname(name), { recursive: true });
      fs.writeFileSync(
        name,
        i % 50 === 0
          ? `import { MessageRouter } from '../legacy/message-router';\nexport const r${i} = new MessageRouter();\n`
          : `export const v${i} = '${'x'.repeat(i % 300)}';\n`,
      );
    }
    fs.writeFileSync(path.join(work, 'src/many/blob.ts'), Buffer.from([0x69, 0x00, 0x6d]));
    const serial = tempDir('serial');
    copyDir(work, serial);
    // A usage error after the read thread started ends the run (and the thread): exit 2, no hang.
    const bad = await ssot(['migrate', '--jobs', '2', '--concept', 'nope', '.'], work);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--concept nope: no such concept');
    const a = await ssotInProcess(['migrate', '--json', '--jobs', '2', '.'], work);
    const b = await ssotInProcess(['migrate', '--json', '--jobs', '1', '.'], serial);
    const ra = JSON.parse(a.stdout) as Report;
    const rb = JSON.parse(b.stdout) as Report;
    expect(a.code).toBe(1);
    expect(b.code).toBe(1);
    // With --jobs 2 a helper migrates beside this thread; the read thread is the write-behind one.
    const { timeMs: _ta, jobs: _ja, threads: _ha, ...sa } = ra.summary;
    const { timeMs: _tb, jobs: _jb, threads: _hb, ...sb } = rb.summary;
    expect(sa).toEqual(sb);
    expect(sa).toMatchObject({ filesChanged: 23, filesUnreadable: 1, sitesRewritten: 23 });
    expect(sa.filesScanned).toBeGreaterThanOrEqual(1101);
    expect(ra.files).toEqual(rb.files);
    const ta = readTree(work);
    const tb = readTree(serial);
    expect([...ta.keys()]).toEqual([...tb.keys()]);
    for (const [rel, bytes] of ta) expect(tb.get(rel)?.equals(bytes), rel).toBe(true);
  });

  it('--typecheck reports new diagnostics and --rollback-on-type-errors restores those files', async () => {
    const work = project('named', 'deleted-legacy-module');
    fs.writeFileSync(path.join(work, 'tsconfig.json'), BUNDLER_TSCONFIG);
    // The compat class lacks a field of the legacy one, and this caller needs it without reading it
    // (so the stage-1 check, which looks at files that read or call members, does not see it).
    fs.writeFileSync(
      path.join(work, 'src/legacy/broadcast.ts'),
      'export class Hub {\n  readonly legacyOnly = true as const;\n}\n',
    );
    fs.writeFileSync(
      path.join(work, 'src/notify.ts'),
      "import { Hub } from './legacy/broadcast';\n\nexport const hub: { legacyOnly: true } = new Hub();\n",
    );
    // A type error the file had before its rewrite is not a new one (the original text is checked beside it).
    fs.writeFileSync(
      path.join(work, 'src/old-error.ts'),
      "import { MessageRouter } from './legacy/message-router';\n\nexport const wrong: number = 'text';\nexport const router = new MessageRouter();\n",
    );
    const legacy: { module: string; names?: Record<string, string> }[] = [
      'src/legacy/message-router.ts',
      'src/realtime/ws-broadcaster.ts',
    ].map((module) => ({ module }));
    legacy.push({ module: 'src/legacy/broadcast.ts', names: { Hub: 'MessageRouter' } });
    fs.writeFileSync(
      path.join(work, 'ssot.config.json'),
      JSON.stringify({ concepts: [{ id: 'message-router', preset: 'message-router', legacy }] }),
    );
    fs.mkdirSync(path.join(work, 'node_modules'));
    fs.symlinkSync(path.resolve(FIXTURES, '../..'), path.join(work, 'node_modules/ssot-kit'), 'dir');
    const r = await ssotInProcess(['migrate', '--json', '--typecheck', '--rollback-on-type-errors', '.'], work);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    const notify = report.files.find((f) => f.file === 'src/notify.ts');
    expect(notify).toMatchObject({ status: 'failed', rolledBack: true });
    expect(notify?.newDiagnostics?.length).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(work, 'src/notify.ts'), 'utf8')).toContain("from './legacy/broadcast'");
    // The files that type-check stay migrated; the deleted module's importer even gets fixed.
    expect(report.files.find((f) => f.file === 'src/named.ts')?.status).toBe('changed');
    expect(report.files.find((f) => f.file === 'src/jobs/digest.ts')?.status).toBe('changed');
    expect(report.files.find((f) => f.file === 'src/old-error.ts')).toMatchObject({ status: 'changed' });
    expect(report.files.find((f) => f.file === 'src/old-error.ts')?.newDiagnostics).toBeUndefined();
    expect(report.summary).toMatchObject({ filesRolledBack: 1 });
  });
});
