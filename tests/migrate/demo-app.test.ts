import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  copyDemo,
  demoTests,
  ensureBuilt,
  linkDemoDependencies,
  readTree,
  ssotInProcess,
  typecheck,
} from '../helpers/index.js';

/**
 * The demo app through both stages of a migration, as a team would run them: a git work tree,
 * `ssot migrate` (legacy -> compat), commit, `ssot migrate --to canonical` (compat -> canonical).
 * The demo's own test suite drives its WebSocket server over real sockets (several users, the
 * five agent events, a legacy handler of every shape) before, between and after: it passes each
 * time and every client receives the same frames.
 *
 * `ssot` runs in-process here (ssotInProcess: the built CLI's program, same output and exit code):
 * what this file checks is what the migration does to the app. Both stages as child processes, on
 * the same demo, run from the installed package (tests/e2e/pack.test.ts).
 */

interface MigrateJson {
  summary: { filesChanged: number; sitesRewritten: number; sitesRefused: number; filesFailed: number };
  files: { file: string; refused: unknown[] }[];
}

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=demo@example.invalid', '-c', 'user.name=demo', ...args], {
    cwd: dir,
    stdio: 'pipe',
  });
}

let work: string;
const frames: Record<string, unknown>[] = [];

async function suitePasses(label: string): Promise<void> {
  const out = path.join(work, `../frames-${label}.json`);
  const r = await demoTests(work, out);
  expect(r.code, `${label}:\n${r.stdout}\n${r.stderr}`).toBe(0);
  frames.push(JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>);
}

/** Runs a stage, then runs it again: the second run must change nothing. */
async function stage(args: string[]): Promise<MigrateJson> {
  const first = await ssotInProcess(['migrate', '--json', ...args], work);
  expect(first.code, first.stdout + first.stderr).toBe(0);
  const result = JSON.parse(first.stdout) as MigrateJson;
  const before = readTree(work);
  const second = await ssotInProcess(['migrate', '--json', ...args], work);
  expect(second.code, second.stdout + second.stderr).toBe(0);
  expect((JSON.parse(second.stdout) as MigrateJson).summary.filesChanged).toBe(0);
  const after = readTree(work);
  for (const [rel, bytes] of before) expect(after.get(rel)?.equals(bytes), rel).toBe(true);
  return result;
}

describe('the demo app, legacy -> compat -> canonical', () => {
  beforeAll(() => {
    ensureBuilt();
    work = copyDemo();
    linkDemoDependencies(work);
    fs.appendFileSync(path.join(work, '.gitignore'), 'node_modules/\n');
    git(work, 'init', '-q');
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', 'the legacy chat backend');
  });

  it('passes its WebSocket suite before the migration', async () => {
    await suitePasses('legacy');
  });

  it('stage 1 moves every legacy import to the compat layer; the suite passes with the same frames', async () => {
    const result = await stage([]);
    expect(result.summary).toMatchObject({ sitesRefused: 0, filesFailed: 0 });
    expect(result.summary.filesChanged).toBe(8);
    // The (userId, message) handler is told apart for the compat layer.
    expect(fs.readFileSync(path.join(work, 'src/handlers/presence-handler.ts'), 'utf8')).toContain(
      "events.addHandler('who_am_i', userIdHandler((userId: string, message: ChatMessage) => {",
    );
    await suitePasses('compat');
    expect(frames[1]).toEqual(frames[0]);
    git(work, 'commit', '-q', '-am', 'stage 1: legacy imports to the compat layer');
  });

  it('stage 2 moves every compat use to the canonical API; the suite passes with the same frames', async () => {
    const result = await stage(['--to', 'canonical']);
    expect(result.summary).toMatchObject({ sitesRefused: 0, filesFailed: 0 });
    expect(result.summary.filesChanged).toBe(8);
    const presence = fs.readFileSync(path.join(work, 'src/handlers/presence-handler.ts'), 'utf8');
    expect(presence).toContain("events.on('ping', (_ctx, message) => {");
    expect(presence).toContain("events.on('who_am_i', ({ userId }, message: ChatMessage) => {");
    expect(presence).toContain("events.on('typing', (ctx, message) => onTyping(ctx.userId, ctx.connection, message));");
    await suitePasses('canonical');
    expect(frames[2]).toEqual(frames[0]);
  });

  const afterStage2 =
    'after stage 2: no legacy site, no compat use, the compat layer and every legacy module can go, tsc is clean';
  it(afterStage2, async () => {
    const r = await ssotInProcess(['report', '--format', 'json'], work);
    const report = JSON.parse(r.stdout) as {
      concepts: {
        legacySites: unknown[];
        canonicalSites: { compat: boolean }[];
        summary: {
          compatSites: number;
          modules: { module: string; status: string }[];
          compatModule: { status: string; sites: number } | null;
        };
      }[];
    };
    const concept = report.concepts[0]!;
    expect(concept.legacySites).toEqual([]);
    expect(concept.summary.compatSites).toBe(0);
    expect(concept.summary.compatModule).toMatchObject({ status: 'safe-to-delete', sites: 0 });
    expect(Object.fromEntries(concept.summary.modules.map((m) => [m.module, m.status]))).toEqual({
      'src/websocket/message-router.ts': 'safe-to-delete',
      'src/websocket/quality-router.ts': 'safe-to-delete',
      'src/services/broadcast.ts': 'safe-to-delete',
      'src/events/event-router.ts': 'safe-to-delete',
      'src/realtime/ws-broadcaster.ts': 'deleted',
    });
    expect(typecheck(work)).toBe('');
  });
});
