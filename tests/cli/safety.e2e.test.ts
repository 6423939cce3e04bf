// `ssot report` and `ssot check` on inputs and outputs that are not what they should be: an
// --output that is a folder, paths under /proc, a cache or a --merge input of the wrong shape,
// the leftovers of a killed write. Each is a clear error naming the path (exit 2), or a warning
// and a rebuild, never a hang or an "internal error". Child processes of the built CLI, with a
// timeout, wherever the old behaviour was a hang (paths under /proc, a FIFO), and for the leftovers
// of a killed write (their names hold the pid of the process that wrote them). The --output folder,
// the cache and the --merge inputs are read and written the same by the built CLI in-process
// (ssotInProcess: same code, output and exit code).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import {
  BIN,
  cleanup,
  copyDemo,
  ensureBuilt,
  ssotInProcess as inProcess,
  ssotSync as ssot,
  tempDir,
  withoutTiming,
} from '../helpers/index.js';
import { REPORT_SCHEMA_VERSION } from '../../src/report/types.js';

beforeAll(() => ensureBuilt());
afterAll(() => cleanup());

const onLinux = fs.existsSync('/proc/self');

/** The CLI with a time limit: a run that hangs is killed and fails the test. */
function bounded(
  args: string[],
  cwd: string,
): { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', CI: '1' },
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function deadPid(): number {
  return Number(fs.readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim()) + 1;
}

describe('outputs', () => {
  it('an --output that is a folder is a usage error naming it, not an internal error', async () => {
    const project = copyDemo();
    const r = await inProcess(['report', '--output', 'src'], project);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ssot: cannot write ${path.join(project, 'src')}: not a regular file (folder)\n`);
  });

  it.runIf(onLinux)(
    '--output, --baseline, --cache-location and --history under /proc fail at once with the path (no endless mkdir)',
    () => {
      const project = copyDemo();
      const cases: [string[], string][] = [
        [['report', '--output', '/proc/ssot-x/report.txt'], 'ssot: cannot create the folder /proc/ssot-x: ENOENT'],
        [
          ['check', '--update-baseline', '--baseline', '/proc/ssot-x/baseline.json'],
          'ssot: cannot create the folder /proc/ssot-x: ENOENT',
        ],
        [['report', '--cache-location', '/proc/ssot-x/cache'], 'ssot: cannot create the folder /proc/ssot-x: ENOENT'],
        [['report', '--history', '/proc/ssot-x/history.jsonl'], 'ssot: cannot create the folder /proc/ssot-x: ENOENT'],
      ];
      for (const [args, message] of cases) {
        const r = bounded(args, project);
        expect(r.signal, args.join(' ')).toBeNull();
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr.trim().split('\n').pop(), args.join(' ')).toBe(message);
      }
    },
  );

  it('a --history that is a FIFO or a folder is refused, not waited on', () => {
    const project = copyDemo();
    const fifo = path.join(tempDir('history'), 'history.jsonl');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = bounded(['report', '--history', fifo], project);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`ssot: cannot write ${fifo}: not a regular file (FIFO)`);
    expect(bounded(['report', '--history', project], project).stderr).toContain(
      `ssot: cannot write ${project}: not a regular file (folder)`,
    );
  });

  it.runIf(onLinux)('the leftovers of a killed write of the report or the baseline are removed by the next one', () => {
    const project = copyDemo();
    const out = tempDir('out');
    const reportLeft = path.join(out, `.report.json.ssot-${deadPid()}-0011223344556677.tmp`);
    const baselineLeft = path.join(project, `.ssot-baseline.json.ssot-${deadPid()}-8899aabbccddeeff.tmp`);
    fs.writeFileSync(reportLeft, '');
    fs.writeFileSync(baselineLeft, '');
    expect(ssot(['report', '--format', 'json', '--output', path.join(out, 'report.json')], project).code).toBe(0);
    expect(ssot(['check', '--update-baseline'], project).code).toBe(0);
    expect(fs.readdirSync(out)).toEqual(['report.json']);
    expect(fs.existsSync(baselineLeft)).toBe(false);
  });
});

describe('the report cache', () => {
  it('a cache of valid JSON but the wrong shape is ignored with a warning and rebuilt', async () => {
    const project = copyDemo();
    const cacheDir = path.join(tempDir('cache'), 'cache');
    const cacheFile = path.join(cacheDir, 'report-cache.json');
    const plain = await inProcess(['report', '--format', 'json'], project);
    expect((await inProcess(['report', '--format', 'json', '--cache-location', cacheDir], project)).code).toBe(0);
    // What the issue saw: every analysis's `sites` is no list (the next run ended with
    // "a.sites.forEach is not a function" until the cache was deleted).
    const cache = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as {
      entries: Record<string, { analysis?: { sites: unknown } }>;
    };
    for (const entry of Object.values(cache.entries)) if (entry.analysis) entry.analysis.sites = {};
    fs.writeFileSync(cacheFile, JSON.stringify(cache));
    const bad = await inProcess(['report', '--format', 'json', '--cache-location', cacheDir], project);
    expect(bad.code, bad.stderr).toBe(0);
    expect(bad.stderr).toMatch(
      /warning: cache .*report-cache\.json holds entries of the wrong shape .*analysing them again and rewriting the cache/,
    );
    expect(withoutTiming(JSON.parse(bad.stdout) as Report)).toEqual(withoutTiming(JSON.parse(plain.stdout) as Report));
    // Rebuilt: the next run answers every file from it, without a warning.
    const warm = await inProcess(['report', '--format', 'json', '--cache-location', cacheDir], project);
    expect(warm.stderr).toBe('');
    expect((JSON.parse(warm.stdout) as Report).timing).toMatchObject({ cacheMisses: 0 });
    // The outer shape too: entries that are a list are no cache.
    fs.writeFileSync(cacheFile, JSON.stringify({ format: 1, key: 'k', entries: [] }));
    const list = await inProcess(['report', '--format', 'json', '--cache-location', cacheDir], project);
    expect(list.code).toBe(0);
    expect(list.stderr).toMatch(/warning: ignoring corrupt cache/);
  });
});

describe('--merge inputs', () => {
  it('a file that is not a whole report is a usage error naming it and what is missing', async () => {
    const project = copyDemo();
    const dir = tempDir('merge');
    const stub = path.join(dir, 'stub.json');
    // The input, and the same stub at today's schema version (then the shape decides).
    fs.writeFileSync(stub, '{"schemaVersion":1}');
    const old = await inProcess(['report', '--merge', stub], project);
    expect(old.code).toBe(2);
    expect(old.stderr).toContain(`ssot: ${stub}: not an ssot JSON report of schemaVersion`);
    fs.writeFileSync(stub, `{"schemaVersion":${REPORT_SCHEMA_VERSION}}`);
    const r = await inProcess(['report', '--merge', stub], project);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.stderr).toContain(
      `ssot: ${stub}: not a valid ssot JSON report (schema/ssot.report.schema.json):\n  tool: is required`,
    );
    // A real shard with one field of the wrong shape.
    const shard = path.join(dir, 'shard.json');
    const written = await inProcess(['report', '--format', 'json', '--shard', '1/1', '--output', shard], project);
    expect(written.code).toBe(0);
    const broken = JSON.parse(fs.readFileSync(shard, 'utf8')) as Record<string, any>;
    broken.concepts[0].legacySites = {};
    fs.writeFileSync(shard, JSON.stringify(broken));
    const bad = await inProcess(['report', '--merge', shard], project);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('concepts[0].legacySites: expected array, got object');
  });
});
