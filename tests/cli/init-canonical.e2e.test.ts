// `ssot init --canonical` as a user runs it, on copies of fixtures/detect projects. Every run is the
// built CLI in-process (ssotInProcess: same arguments, output, files written and exit code): what is
// tested is the concept read from the canonical module, the config written and the option errors,
// not the process. `ssot init` as a child process, with a usage error's exit 2, is tested in
// tests/cli/check.e2e.test.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { cleanup, copyFixture, ensureBuilt, read, ssotInProcess as ssot, write } from '../helpers/index.js';

beforeAll(() => ensureBuilt());
afterAll(cleanup);

/** A fixtures/detect project without its config. */
function unconfigured(name: string): string {
  const project = copyFixture('detect', name);
  fs.rmSync(path.join(project, 'ssot.config.json'));
  return project;
}

describe('ssot init --canonical <module>', () => {
  it('reads the concept from the canonical module and names the other implementations as legacy modules', async () => {
    const project = unconfigured('dup-own-storage');
    const r = await ssot(['init', '--canonical', 'src/events/emitter.ts'], project);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'canonical: src/events/emitter.ts exports Emitter (class); public members on, off, fire, size',
    );
    expect(r.stdout).toContain('Emitter: `listeners` filled in `on`, calls each in `fire`');
    expect(r.stdout).toContain('found 2 other implementations; 2 modules named as legacy:');
    const config = JSON.parse(read(project, 'ssot.config.json'));
    expect(config.concepts).toEqual([
      {
        id: 'emitter',
        description: 'Emitter (src/events/emitter.ts), found by ssot init --canonical',
        canonical: { module: 'src/events/emitter.ts', files: ['src/events/emitter.ts'], names: ['Emitter'] },
        detect: {
          names: ['Emitter'],
          members: ['on', 'off', 'fire', 'size'],
          minMembers: 2,
          heritage: ['Emitter'],
          registries: [{ call: 'each' }],
          similarity: 0.8,
        },
        legacy: [
          { module: 'src/signals/notifier.ts', names: { createNotifier: 'Emitter' } },
          { module: 'src/signals/signal-hub.ts', names: { SignalHub: 'Emitter' } },
        ],
      },
    ]);
    // The written config works as is: the report finds the same two, and their modules are legacy.
    const report = JSON.parse((await ssot(['report', '--format', 'json'], project)).stdout) as Report;
    expect(report.concepts[0]!.duplicates.map((d) => d.symbol).sort()).toEqual(['SignalHub', 'createNotifier']);
    expect(report.concepts[0]!.summary.modules.map((m) => m.module).sort()).toEqual([
      'src/signals/notifier.ts',
      'src/signals/signal-hub.ts',
    ]);
  });

  it('a registry inside a larger class, or one its module does not export, is reported but its module is not named legacy', async () => {
    const project = unconfigured('dup-own-storage');
    write(
      project,
      'src/scene.ts',
      [
        'export class Scene {',
        '  private readonly callbacks = new Set<() => void>();',
        '  private elements: string[] = [];',
        '  onUpdate(cb: () => void): void { this.callbacks.add(cb); }',
        '  private triggerUpdate(): void { for (const cb of this.callbacks) cb(); }',
        '  add(e: string): void { this.elements.push(e); this.triggerUpdate(); }',
        '  remove(e: string): void { this.elements = this.elements.filter((x) => x !== e); this.triggerUpdate(); }',
        '  count(): number { return this.elements.length; }',
        '  clear(): void { this.elements = []; this.triggerUpdate(); }',
        '  names(): string[] { return [...this.elements]; }',
        '}',
        'class Local { private ls: (() => void)[] = []; on(l: () => void) { this.ls.push(l); } fire() { this.ls.forEach((l) => l()); } }',
        'export const local = new Local();',
        '',
      ].join('\n'),
    );
    const r = await ssot(['init', '--canonical', 'src/events/emitter.ts', '--dry-run'], project);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/src\/scene\.ts:1 {2}Scene {2}not a legacy module: its registry is 29% of its 7 methods/);
    expect(r.stdout).toMatch(/src\/scene\.ts:12 {2}Local {2}not a legacy module: not exported by its module/);
    expect(r.stdout).toContain('found 4 other implementations; 2 modules named as legacy:');
    expect(fs.existsSync(path.join(project, 'ssot.config.json'))).toBe(false);
  });

  it('--name picks one of several exports; --print-config prints only the JSON; --id names the concept', async () => {
    const project = unconfigured('not-subclass-via-reexport');
    write(project, 'src/events/two.ts', 'export class A { x = 1; }\nexport class B { y = 2; }\n');
    const ambiguous = await ssot(['init', '--canonical', 'src/events/two.ts'], project);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain(
      '--canonical: src/events/two.ts exports several implementations (A, B); name one with --name',
    );
    const printed = await ssot(
      ['init', '--canonical', 'src/events/emitter.ts', '--name', 'Emitter', '--id', 'events', '--print-config'],
      project,
    );
    expect(printed.code, printed.stderr).toBe(0);
    const config = JSON.parse(printed.stdout);
    expect(config.concepts[0]).toMatchObject({ id: 'events', canonical: { names: ['Emitter'] }, legacy: [] });
    expect(fs.existsSync(path.join(project, 'ssot.config.json'))).toBe(false);
  });

  it('usage errors exit 2 and write nothing', async () => {
    const project = unconfigured('dup-own-storage');
    const cases: [string[], RegExp][] = [
      [['--canonical', 'src/nope.ts'], /--canonical: src\/nope\.ts is not a file of/],
      [['--canonical', 'src/events'], /--canonical: src\/events is a folder/],
      [
        ['--canonical', 'src/events/emitter.ts', '--name', 'Nope'],
        /exports no class, function or object named Nope \(exports: Emitter\)/,
      ],
      [
        ['--canonical', 'src/events/emitter.ts', '--preset', 'message-router'],
        /--canonical and --preset are exclusive/,
      ],
      [['--name', 'Emitter'], /--name and --id go with --canonical/],
    ];
    for (const [args, message] of cases) {
      const r = await ssot(['init', ...args], project);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(fs.existsSync(path.join(project, 'ssot.config.json'))).toBe(false);
  });
});
