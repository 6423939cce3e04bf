/**
 * `ssot check` and `ssot init` as a user runs them, on temporary copies of the demo app. Most runs
 * are the built CLI in-process (ssotInProcess: same code, output, files written and exit code): the
 * report that counts the demo's violations, the gate's matching (baselines, stale entries,
 * --max-new, formats), the baseline and config errors, and what init finds and writes. Three stay
 * child processes, where the exit code of a real process is the point: the first check (exit 1 on
 * new violations, as CI sees it), and a flag's usage error for check and for init (exit 2).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import {
  ensureBuilt as assertBuilt,
  cleanup,
  copyDemo,
  read,
  ssotInProcess as inProcess,
  ssotSync as ssot,
  tempDir,
  write,
} from '../helpers/index.js';

let violations: number;

beforeAll(async () => {
  assertBuilt();
  const r = await inProcess(['report', '--format', 'json'], copyDemo());
  violations = (JSON.parse(r.stdout) as Report).totals.violations;
  expect(violations).toBeGreaterThanOrEqual(5 + 10);
});
afterAll(cleanup);

/** A message router of its own (handler lists per type, each called): a duplicate by what it owns and does. */
function router(name: string): string {
  return [
    `export class ${name} {`,
    '  private readonly handlers: Record<string, ((message: unknown) => void)[]> = {};',
    '  addHandler(type: string, handler: (message: unknown) => void): void {',
    '    (this.handlers[type] ??= []).push(handler);',
    '  }',
    '  routeMessage(type: string, message: unknown): void {',
    '    for (const handler of this.handlers[type] ?? []) handler(message);',
    '  }',
    '}',
    '',
  ].join('\n');
}

/** A demo copy with a baseline of today's violations. */
async function baselined(): Promise<string> {
  const project = copyDemo();
  const r = await inProcess(['check', '--update-baseline'], project);
  expect(r.code, r.stderr + r.stdout).toBe(0);
  return project;
}

describe('ssot check: the gate', () => {
  it('without a baseline every violation is new: exit 1', () => {
    const r = ssot(['check'], copyDemo());
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`0 known, ${violations} new, 0 fixed since the baseline`);
    expect(r.stdout).toMatch(/no baseline at .*ssot-baseline\.json/);
  });

  it('--update-baseline writes a sorted, one-entry-per-line, machine-independent baseline; then check passes', async () => {
    const project = await baselined();
    const text = read(project, 'ssot-baseline.json');
    expect(text).not.toContain('\r');
    expect(text).not.toContain(project);
    const json = JSON.parse(text) as {
      schemaVersion: number;
      entries: { file: string; rule: string; fingerprint: string }[];
    };
    expect(json.schemaVersion).toBe(1);
    expect(json.entries).toHaveLength(violations);
    const lines = text.split('\n').filter((l) => l.trim().startsWith('{"file"'));
    expect(lines).toHaveLength(violations);
    const keys = json.entries.map((e) => `${e.file}\0${e.rule}`);
    expect(keys).toEqual([...keys].sort());
    const r = await inProcess(['check'], project);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${violations} known, 0 new, 0 fixed since the baseline`);
    // Rewriting changes nothing; a CRLF copy of the baseline reads the same.
    await inProcess(['check', '--update-baseline'], project);
    expect(read(project, 'ssot-baseline.json')).toBe(text);
    write(project, 'ssot-baseline.json', text.replace(/\n/g, '\r\n'));
    expect((await inProcess(['check'], project)).code).toBe(0);
  });

  it('a new duplicate fails with its file:line and why', async () => {
    const project = await baselined();
    write(project, 'src/extra/fast-router.ts', '\n\n' + router('FastMessageRouter'));
    const r = await inProcess(['check'], project);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${violations} known, 1 new, 0 fixed since the baseline`);
    expect(r.stdout).toMatch(
      /src\/extra\/fast-router\.ts:3:14\s+ssot\/no-duplicate-implementation\s+FastMessageRouter is another implementation of message-router .*owns `handlers`.* and calls each in `routeMessage`/,
    );
  });

  it('an edited-but-known violation passes: lines added above it, whitespace and comments changed', async () => {
    const project = await baselined();
    const file = 'src/websocket/message-router.ts';
    const edited = read(project, file)
      .replace(
        '/**\n * The original message router.',
        '// A note added above.\n// Another one.\n\n/**\n * The original message router.',
      )
      .replace(
        '  unregisterConnection(id: string): void {',
        '  // a comment inside\n  unregisterConnection(id: string): void   {',
      );
    expect(edited).not.toBe(read(project, file));
    write(project, file, edited);
    write(project, 'src/handlers/chat-handler.ts', '\n\n' + read(project, 'src/handlers/chat-handler.ts'));
    const r = await inProcess(['check'], project);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain(`${violations} known, 0 new, 0 fixed since the baseline`);
  });

  it('a fixed violation is counted and listed; the stale entry is a warning, an error with --stale error, ignored with off', async () => {
    const project = await baselined();
    fs.rmSync(path.join(project, 'src/realtime-shim/connection-hub.ts'));
    const r = await inProcess(['check'], project);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${violations - 1} known, 0 new, 1 fixed since the baseline`);
    expect(r.stdout).toMatch(/src\/realtime-shim\/connection-hub\.ts\s+no-duplicate-implementation\s+connectionHub/);
    const strict = await inProcess(['check', '--stale', 'error'], project);
    expect(strict.code).toBe(1);
    const off = await inProcess(['check', '--stale', 'off'], project);
    expect(off.code).toBe(0);
    // Still listed (the summary counts it), marked as ignored.
    expect(off.stdout).toContain('1 stale entry, ignored with --stale off');
    expect(off.stdout).toMatch(/src\/realtime-shim\/connection-hub\.ts\s+no-duplicate-implementation\s+connectionHub/);
    // --prune drops the stale entry and nothing else.
    const pruned = await inProcess(['check', '--prune', '--stale', 'error'], project);
    expect(pruned.code).toBe(0);
    expect((JSON.parse(read(project, 'ssot-baseline.json')) as { entries: unknown[] }).entries).toHaveLength(
      violations - 1,
    );
    expect((await inProcess(['check', '--stale', 'error'], project)).stdout).toContain(
      `${violations - 1} known, 0 new, 0 fixed`,
    );
  });

  it('fixing one violation while adding another in the same file is caught', async () => {
    const project = await baselined();
    const file = 'src/handlers/chat-handler.ts';
    write(
      project,
      file,
      read(project, file).replace(
        "import { MessageRouter } from '../websocket/message-router';",
        "import { MessageRouter } from 'ssot-kit/router/compat';\nimport { broadcastToUser } from '../services/broadcast';",
      ),
    );
    const r = await inProcess(['check'], project);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${violations - 1} known, 1 new, 1 fixed since the baseline`);
    expect(r.stdout).toMatch(
      /src\/handlers\/chat-handler\.ts:2:\d+\s+ssot\/no-legacy-import\s+imports broadcastToUser/,
    );
  });

  it('identical violations in one file count by multiplicity', async () => {
    const project = await baselined();
    const file = 'src/__tests__/chat-handler.test.ts';
    write(
      project,
      file,
      read(project, file).replace(
        "vi.mock('../websocket/message-router');",
        "vi.mock('../websocket/message-router');\nvi.mock('../websocket/message-router');",
      ),
    );
    const r = await inProcess(['check', '--format', 'json'], project);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      known: unknown[];
      new: { file: string; line: number; rule: string }[];
      fixed: unknown[];
      exitCode: number;
    };
    expect(out.known).toHaveLength(violations);
    expect(out.new).toHaveLength(1);
    expect(out.new[0]).toMatchObject({ file, rule: 'no-legacy-import' });
    expect(out.exitCode).toBe(1);
  });

  it('--max-new N tolerates up to N new violations', async () => {
    const project = await baselined();
    write(project, 'src/extra/fast-router.ts', router('FastMessageRouter'));
    expect((await inProcess(['check', '--max-new', '1'], project)).code).toBe(0);
    write(project, 'src/extra/slow-router.ts', router('SlowMessageRouter'));
    const r = await inProcess(['check', '--max-new', '1'], project);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('2 new');
  });

  it('--format github annotates the new violations only', async () => {
    const project = await baselined();
    write(project, 'src/extra/fast-router.ts', router('FastMessageRouter'));
    const r = await inProcess(['check', '--format', 'github'], project);
    expect(r.code).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error '));
    expect(errors).toEqual([
      expect.stringMatching(
        /^::error file=src\/extra\/fast-router\.ts,line=1,col=14,title=ssot\/no-duplicate-implementation \(new\)::FastMessageRouter/,
      ),
    ]);
    expect(r.stdout).toContain(`::notice title=ssot check::${violations} known, 1 new, 0 fixed since the baseline`);
  });

  it('usage, config and baseline errors exit 2', async () => {
    const project = await baselined();
    // A child process: a flag's usage error is exit 2 from the process itself.
    expect(ssot(['check', '--stale', 'sometimes'], project).code).toBe(2);
    expect((await inProcess(['check', '--max-new', '-1'], project)).code).toBe(2);
    expect((await inProcess(['check', '--format', 'sarif'], project)).code).toBe(2);
    write(project, 'ssot-baseline.json', '{"schemaVersion": 1, "entries": [');
    const bad = await inProcess(['check'], project);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/baseline .*ssot-baseline\.json is not valid JSON/);
    write(project, 'ssot.config.json', '{"concepts": [{"id": "x"}]}');
    const config = await inProcess(['check'], project);
    expect(config.code).toBe(2);
    expect(config.stderr).toContain('concepts[0].canonical.module');
  });

  it('--baseline and --config from another folder: the default baseline sits next to the config', async () => {
    const project = copyDemo();
    const elsewhere = tempDir();
    const check = async (...args: string[]) =>
      (await inProcess(['check', '--config', path.join(project, 'ssot.config.json'), ...args], elsewhere)).code;
    expect(await check('--update-baseline')).toBe(0);
    expect(fs.existsSync(path.join(project, 'ssot-baseline.json'))).toBe(true);
    const custom = path.join(elsewhere, 'b.json');
    expect(await check('--baseline', custom)).toBe(1);
    expect(await check('--baseline', custom, '--update-baseline')).toBe(0);
    expect(await check('--baseline', custom)).toBe(0);
  });
});

describe('ssot init', () => {
  function unconfigured(): string {
    const project = copyDemo();
    fs.rmSync(path.join(project, 'ssot.config.json'));
    return project;
  }

  it('finds the implementations and writes a starting config naming their modules as legacy', async () => {
    const project = unconfigured();
    const r = await inProcess(['init'], project);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('found 4 modules implementing message-router');
    expect(r.stdout).toContain('ssot report');
    expect(r.stdout).toContain('ssot check --update-baseline');
    const config = JSON.parse(read(project, 'ssot.config.json'));
    expect(config.concepts).toEqual([
      {
        id: 'message-router',
        preset: 'message-router',
        // (The free broadcastToUser and getMessageRouter delegate to a router: no implementation.)
        legacy: [
          { module: 'src/events/event-router.ts' },
          { module: 'src/realtime-shim/connection-hub.ts' },
          { module: 'src/websocket/message-router.ts' },
          { module: 'src/websocket/quality-router.ts' },
        ],
      },
    ]);
    // Names without a compat counterpart are pointed out.
    expect(r.stdout).toMatch(/not a compat name[\s\S]*ChatMessageRouter/);
    // The written config works: the report runs and finds the same implementations.
    const report = JSON.parse((await inProcess(['report', '--format', 'json'], project)).stdout) as Report;
    expect(report.concepts[0]!.duplicates.map((d) => d.symbol).sort()).toEqual([
      'ChatMessageRouter',
      'MessageRouter',
      'QualityMessageRouter',
      'connectionHub',
    ]);
  });

  it('refuses to overwrite without --force (exit 2); --force overwrites; --dry-run writes nothing', async () => {
    const project = copyDemo();
    const before = read(project, 'ssot.config.json');
    const refused = await inProcess(['init'], project);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/ssot\.config\.json already exists; not overwriting it \(use --force/);
    expect(read(project, 'ssot.config.json')).toBe(before);
    const dry = await inProcess(['init', '--dry-run'], project);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('--dry-run: would write');
    expect(read(project, 'ssot.config.json')).toBe(before);
    expect((await inProcess(['init', '--force'], project)).code).toBe(0);
    expect(read(project, 'ssot.config.json')).not.toBe(before);
  });

  it('takes a path argument; an unknown preset is a usage error', async () => {
    const project = unconfigured();
    const r = await inProcess(['init', project, '--dry-run'], tempDir());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('src/websocket/message-router.ts');
    // A child process: a flag's usage error is exit 2 from the process itself.
    const bad = ssot(['init', '--preset', 'nope'], project);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown preset "nope"');
    expect(fs.existsSync(path.join(project, 'ssot.config.json'))).toBe(false);
  });
});
