// Which config the tool finds and whether it runs it: the search stops at the project boundary
// and never enters a folder other users can write; a config module runs only when no other user
// could have put it there. Validation looks at own properties only. Real folders, real owners
// (the suite runs as root, so chown works) and the built CLI where the issue saw the problem: as a
// child process where the process is the point (the config a run finds from its own working folder
// and whose owner is another user; a FIFO config, under a timeout), in-process (ssotInProcess: same
// code, output and exit code) for init's unknown preset and for a real report to validate.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import AjvModule from 'ajv';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, resolveConfig } from '../../src/core/config/load.js';
import { configSchema, type JsonSchema } from '../../src/core/config/schema.js';
import { SAFE_CONFIG_ENV } from '../../src/core/config/trust.js';
import { validateAgainstSchema } from '../../src/core/config/validate.js';
import { BIN, cleanup, copyDemo, ensureBuilt, REPO, ssot, ssotInProcess, tempDir, write } from '../helpers/index.js';

const isRoot = process.getuid?.() === 0;
const OTHER_UID = 4242;
const OTHER_GID = 4343;
const minimal = { concepts: [{ id: 'router', preset: 'message-router' }] };

beforeAll(() => ensureBuilt());
afterEach(() => {
  delete process.env[SAFE_CONFIG_ENV];
  cleanup();
});

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

/** A config module that leaves a mark when it runs. */
function markingModule(marker: string): string {
  return `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport default ${JSON.stringify(minimal)};\n`;
}

describe('the config search stops at the project boundary', () => {
  it('the git work tree root: a config above it is not used', () => {
    const outer = tempDir('outer');
    write(outer, 'ssot.config.json', JSON.stringify(minimal));
    const project = path.join(outer, 'project');
    write(project, 'src/a.ts', '');
    fs.mkdirSync(path.join(project, '.git'));
    expect(configError(() => loadConfig({ cwd: path.join(project, 'src') })).message).toMatch(
      /^No ssot config found in .*\/project\/src or a parent folder up to the project root/,
    );
    // A worktree's or submodule's `.git` is a file: the same boundary.
    fs.rmSync(path.join(project, '.git'), { recursive: true });
    fs.writeFileSync(path.join(project, '.git'), 'gitdir: /elsewhere\n');
    configError(() => loadConfig({ cwd: path.join(project, 'src') }));
  });

  it('without git, the outermost folder holding a package.json (a monorepo root, above its packages)', () => {
    const outer = tempDir('outer');
    write(outer, 'ssot.config.json', JSON.stringify(minimal));
    const project = path.join(outer, 'project');
    write(project, 'package.json', '{"name":"p"}');
    write(project, 'packages/a/package.json', '{"name":"a"}');
    write(project, 'packages/a/src/a.ts', '');
    configError(() => loadConfig({ cwd: path.join(project, 'packages/a/src') }));
    write(project, 'ssot.config.json', JSON.stringify(minimal));
    expect(loadConfig({ cwd: path.join(project, 'packages/a/src') }).configPath).toBe(
      path.join(project, 'ssot.config.json'),
    );
  });

  it('inside the boundary the search still walks up (a monorepo package finds the root config)', () => {
    const repo = tempDir('repo');
    fs.mkdirSync(path.join(repo, '.git'));
    write(repo, 'ssot.config.json', JSON.stringify(minimal));
    write(repo, 'packages/a/package.json', '{"name":"a"}');
    write(repo, 'packages/a/src/x.ts', '');
    expect(loadConfig({ cwd: path.join(repo, 'packages/a/src') }).configPath).toBe(path.join(repo, 'ssot.config.json'));
  });

  it('never into a folder other users can write: a config planted there is named, not used', () => {
    const shared = tempDir('shared');
    fs.chmodSync(shared, 0o1777);
    write(shared, 'ssot.config.json', JSON.stringify(minimal));
    const project = path.join(shared, 'project');
    write(project, 'src/a.ts', '');
    const message = configError(() => loadConfig({ cwd: path.join(project, 'src') })).message;
    expect(message).toContain(
      `Ignored ${path.join(shared, 'ssot.config.json')}: the folder ${shared} is writable by every user (name it with --config to use it)`,
    );
    // Named explicitly, a JSON config is data: it is read.
    expect(loadConfig({ cwd: project, configPath: path.join(shared, 'ssot.config.json') }).rootDir).toBe(shared);
  });

  it.runIf(isRoot)(
    "the issue's case: a config module in a world-writable parent, owned by another user, does not run for report or migrate --dry-run",
    async () => {
      const parent = tempDir('parent');
      fs.chmodSync(parent, 0o1777);
      const marker = path.join(tempDir('marker'), 'ran');
      write(parent, 'ssot.config.mjs', markingModule(marker));
      fs.chownSync(path.join(parent, 'ssot.config.mjs'), OTHER_UID, OTHER_GID);
      const project = path.join(parent, 'project');
      write(project, 'src/a.ts', "import { MessageRouter } from './legacy';\n");
      execFileSync('git', ['init', '-q'], { cwd: project });
      for (const args of [['report'], ['migrate', '--dry-run']]) {
        const r = await ssot(args, project);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr).toMatch(/No ssot config found/);
        expect(fs.existsSync(marker), `${args.join(' ')} ran the planted config`).toBe(false);
      }
    },
  );
});

describe('a config module runs only when no other user could have put it there', () => {
  it.runIf(isRoot)("another user's module is refused with how to allow it; SSOT_SAFE_CONFIG allows it", () => {
    const project = tempDir('project');
    const marker = path.join(tempDir('marker'), 'ran');
    const file = path.join(project, 'ssot.config.mjs');
    write(project, 'ssot.config.mjs', markingModule(marker));
    fs.chownSync(file, OTHER_UID, OTHER_GID);
    const message = configError(() => loadConfig({ cwd: project })).message;
    expect(message).toContain(
      `Refusing to run the config module ${file}: it is owned by uid ${OTHER_UID}, not by you (uid 0) or root.`,
    );
    expect(message).toContain(`allow it with ${SAFE_CONFIG_ENV}=${file}`);
    expect(fs.existsSync(marker)).toBe(false);
    // The same through --config: naming a module does not make it trusted.
    configError(() => loadConfig({ cwd: project, configPath: 'ssot.config.mjs' }));
    process.env[SAFE_CONFIG_ENV] = `/elsewhere${path.delimiter}${project}`;
    expect(loadConfig({ cwd: project }).concepts[0]!.id).toBe('router');
    expect(fs.existsSync(marker)).toBe(true);
  });

  it('a module writable by others, or in a folder writable by another group, is refused', () => {
    const project = tempDir('project');
    const marker = path.join(tempDir('marker'), 'ran');
    const file = path.join(project, 'ssot.config.mjs');
    write(project, 'ssot.config.mjs', markingModule(marker));
    fs.chmodSync(file, 0o646);
    expect(configError(() => loadConfig({ cwd: project })).message).toContain('it is writable by every user');
    fs.chmodSync(file, 0o644);
    if (isRoot) {
      fs.chmodSync(project, 0o775);
      fs.chownSync(project, 0, OTHER_GID);
      const message = configError(() => loadConfig({ cwd: project, configPath: 'ssot.config.mjs' })).message;
      expect(message).toContain(`the folder ${project} is writable by group ${OTHER_GID}`);
      // The user's own primary group (a user private group) is no other user.
      fs.chownSync(project, 0, process.getgid!());
      expect(loadConfig({ cwd: project }).concepts[0]!.id).toBe('router');
    }
  });

  it('a config that is a FIFO is an error at once, not a read that waits for a writer', () => {
    const project = tempDir('project');
    const fifo = path.join(project, 'ssot.config.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const env = { ...process.env, NO_COLOR: '1' };
    const r = spawnSync(process.execPath, [BIN, 'report'], { cwd: project, encoding: 'utf8', timeout: 30_000, env });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`ssot config ${fifo} is not a regular file`);
  });

  it('a JSON config is data: never run, so ownership does not matter', () => {
    const project = tempDir('project');
    write(project, 'ssot.config.json', JSON.stringify(minimal));
    if (isRoot) fs.chownSync(path.join(project, 'ssot.config.json'), OTHER_UID, OTHER_GID);
    expect(loadConfig({ cwd: project }).concepts[0]!.id).toBe('router');
  });
});

describe('config validation uses own properties only', () => {
  it('__proto__, constructor and toString are unknown keys at every level', () => {
    const cases: [string, RegExp][] = [
      ['{"__proto__": {"x": 1}, "concepts": [{"id": "a", "preset": "message-router"}]}', /__proto__: unknown key/],
      ['{"constructor": 1, "concepts": [{"id": "a", "preset": "message-router"}]}', /constructor: unknown key/],
      ['{"toString": "x", "concepts": [{"id": "a", "preset": "message-router"}]}', /toString: unknown key/],
      [
        '{"concepts": [{"id": "a", "preset": "message-router", "constructor": {}}]}',
        /concepts\[0\]\.constructor: unknown key/,
      ],
      [
        '{"concepts": [{"id": "a", "canonical": {"module": "x", "__proto__": []}}]}',
        /concepts\[0\]\.canonical\.__proto__: unknown key/,
      ],
      [
        '{"concepts": [{"id": "a", "preset": "message-router", "legacy": [{"module": "x", "hasOwnProperty": 1}]}]}',
        /legacy\[0\]\.hasOwnProperty: unknown key/,
      ],
    ];
    const ajv = new AjvModule.default({ allErrors: true, strict: false });
    const validate = ajv.compile(configSchema);
    for (const [json, message] of cases) {
      const raw = JSON.parse(json) as unknown;
      expect(configError(() => resolveConfig(raw, '/r', '/r/ssot.config.json')).message, json).toMatch(message);
      expect(validate(raw), json).toBe(false);
    }
  });

  it('a preset named after an Object.prototype member is unknown, in the config and for ssot init', async () => {
    for (const preset of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const message = configError(() => resolveConfig({ concepts: [{ id: 'a', preset }] }, '/r')).message;
      expect(message).toContain(`concepts[0].preset: unknown preset "${preset}" (known: message-router)`);
    }
    const r = await ssotInProcess(['init', '--preset', '__proto__', '--dry-run'], tempDir('init'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--preset: unknown preset "__proto__"');
  });

  it('a legacy module path outside the project is a config error (it would be reported safe to delete)', () => {
    const project = tempDir('project');
    const outside = tempDir('outside');
    write(outside, 'old.ts', 'export class MessageRouter {}\n');
    fs.symlinkSync(outside, path.join(project, 'vendor'));
    const config = (module: string) => ({ concepts: [{ id: 'a', preset: 'message-router', legacy: [{ module }] }] });
    expect(configError(() => resolveConfig(config('../../../../etc/passwd'), project)).message).toContain(
      'concepts[0].legacy[0].module: "../../../../etc/passwd" resolves to /etc/passwd, outside the project root',
    );
    expect(configError(() => resolveConfig(config('/etc/hosts'), project)).message).toMatch(
      /legacy\[0\]\.module: "\/etc\/hosts" resolves to \/etc\/hosts, outside/,
    );
    // Through a symlink inside the project that leads out.
    expect(configError(() => resolveConfig(config('vendor/old.ts'), project)).message).toMatch(
      /legacy\[0\]\.module: "vendor\/old\.ts" resolves to .*, outside the project root/,
    );
    // Inside (also a module that no longer exists) is fine; packages are no paths.
    expect(resolveConfig(config('src/gone.ts'), project).concepts[0]!.legacy[0]).toMatchObject({
      kind: 'path',
      exists: false,
    });
    expect(resolveConfig(config('@acme/legacy'), project).concepts[0]!.legacy[0]).toMatchObject({ kind: 'package' });
  });
});

describe('the validator reads the report schema as Ajv does (it checks --merge inputs)', () => {
  it('agrees with Ajv on a real report and on broken ones', async () => {
    const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'schema/ssot.report.schema.json'), 'utf8')) as JsonSchema;
    const ajv = new AjvModule.default({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const r = await ssotInProcess(['report', '--format', 'json'], copyDemo());
    const report = JSON.parse(r.stdout) as Record<string, any>;
    const broken: [string, (r: Record<string, any>) => void][] = [
      ['no scope', (x) => delete x.scope],
      ['schemaVersion only', (x) => Object.keys(x).forEach((k) => k !== 'schemaVersion' && delete x[k])],
      ['absolute site file', (x) => (x.concepts[0].legacySites[0].file = '/etc/passwd')],
      ['unknown form', (x) => (x.concepts[0].legacySites[0].form = 'teleport')],
      ['progress above 1', (x) => (x.concepts[0].summary.progress = 1.5)],
      ['extra key', (x) => (x.files.extra = 1)],
      ['sites not a list', (x) => (x.concepts[0].legacySites = {})],
      ['shard of the wrong shape', (x) => (x.scope.shard = { index: 'one' })],
    ];
    expect(validate(report)).toBe(true);
    expect(validateAgainstSchema(report, schema)).toEqual([]);
    for (const [what, breakIt] of broken) {
      const copy = structuredClone(report);
      breakIt(copy);
      expect(validate(copy), what).toBe(false);
      expect(validateAgainstSchema(copy, schema).length, what).toBeGreaterThan(0);
    }
  });
});
