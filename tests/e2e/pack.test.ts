/**
 * The package as users get it: `npm pack`, install the tarball into a fresh project (a copy of
 * the demo app), then use `npx ssot`, the ESLint plugin and the router from there.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
  version: string;
  devDependencies: Record<string, string>;
};
let work: string;
let project: string;

function run(cmd: string, args: string[], cwd = project, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CI: '1', ...env },
    timeout: 240_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  expect(fs.existsSync(path.join(repo, 'dist/src/cli/bin.js')), 'npm test builds dist first').toBe(true);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ssot-pack-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: repo, encoding: 'utf8' }),
  ) as { filename: string }[];
  const tarball = path.join(work, packed[0]!.filename);
  project = path.join(work, 'demo');
  fs.cpSync(path.join(repo, 'fixtures/demo-app'), project, { recursive: true });
  // The demo's own test runner is not used here (its suite runs over real sockets in
  // tests/migrate/demo-app.test.ts); without it the install is the demo's runtime and types.
  const manifest = path.join(project, 'package.json');
  const demoPkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { devDependencies: Record<string, string> };
  delete demoPkg.devDependencies['vitest'];
  fs.writeFileSync(manifest, JSON.stringify(demoPkg, null, 2));
  // The lock file already pulled every dependency into npm's cache: no download is needed.
  const install = run('npm', [
    'install',
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
    '--no-save',
    tarball,
    `eslint@${pkg.devDependencies.eslint}`,
  ]);
  expect(install.code, install.stderr).toBe(0);
}, 300_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('ships the built entry points and schemas, not the tests or fixtures', () => {
    const root = path.join(project, 'node_modules/ssot-kit');
    for (const rel of [
      'dist/src/cli/bin.js',
      'dist/src/router/index.js',
      'dist/src/router/compat.js',
      'dist/rules/index.js',
      'schema/ssot.config.schema.json',
      'README.md',
    ]) {
      expect(fs.existsSync(path.join(root, rel)), rel).toBe(true);
    }
    expect(fs.existsSync(path.join(root, 'tests'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'fixtures'))).toBe(false);
  });

  it('npx ssot --version and report on the demo', () => {
    expect(run('npx', ['--no-install', 'ssot', '--version']).stdout.trim()).toBe(pkg.version);
    const report = run('npx', ['--no-install', 'ssot', 'report', '--format', 'json']);
    expect(report.stderr).toBe('');
    const json = JSON.parse(report.stdout) as { concepts: { id: string; duplicates: { symbol: string }[] }[] };
    const symbols = json.concepts[0]!.duplicates.map((d) => d.symbol).sort();
    expect(symbols).toEqual(['ChatMessageRouter', 'MessageRouter', 'QualityMessageRouter', 'connectionHub']);
  });

  it('the ESLint plugin, from a flat config', () => {
    fs.writeFileSync(
      path.join(project, 'eslint.config.js'),
      `import ssot from 'ssot-kit/eslint-plugin';\nexport default [...ssot.configs.recommended];\n`,
    );
    const lint = run('npx', ['--no-install', 'eslint', '--format', 'json', 'src']);
    expect(lint.code, lint.stderr).toBe(1);
    const results = JSON.parse(lint.stdout) as { filePath: string; messages: { ruleId: string }[] }[];
    const rules = new Set(results.flatMap((r) => r.messages.map((m) => m.ruleId)));
    expect(rules).toContain('ssot/no-duplicate-implementation');
    expect(rules).toContain('ssot/no-legacy-import');
  });

  it('the router and its compat layer', () => {
    const script = `
      import { createMessageRouter } from 'ssot-kit/router';
      import { MessageRouter } from 'ssot-kit/router/compat';
      const warnings = [];
      process.on('warning', (w) => warnings.push(w.name + ':' + w.code));
      const router = createMessageRouter();
      const got = { alice: [], bob: [] };
      router.register({ id: 'a1', userId: 'alice', send: (d) => got.alice.push(d) });
      router.register({ id: 'b1', userId: 'bob', send: (d) => got.bob.push(d) });
      const r = await router.forUser({ userId: 'alice' }).emit('agent_started', { runId: 'r1', agentName: 'triage', threadId: 't1' });
      new MessageRouter(router); new MessageRouter(router);
      await new Promise((resolve) => setImmediate(resolve));
      console.log(JSON.stringify({ delivered: r.delivered, alice: got.alice.length, bob: got.bob.length, warnings }));
    `;
    fs.writeFileSync(path.join(project, 'use-router.mjs'), script);
    const out = run('node', ['use-router.mjs']);
    expect(out.code, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout) as { delivered: number; alice: number; bob: number; warnings: string[] };
    expect(result).toMatchObject({ delivered: 1, alice: 1, bob: 0 });
    expect(result.warnings.filter((w) => w.startsWith('DeprecationWarning'))).toHaveLength(1);
  });

  it('npx ssot migrate through both stages: no legacy site, then no compat use is left, and the demo type-checks', () => {
    type Summary = { summary: { filesChanged: number; sitesRefused: number } };
    const report = () =>
      JSON.parse(run('npx', ['--no-install', 'ssot', 'report', '--format', 'json']).stdout) as {
        concepts: { legacySites: unknown[]; canonicalSites: unknown[]; summary: { compatSites: number } }[];
      };
    const stage1 = run('npx', ['--no-install', 'ssot', 'migrate', '--allow-dirty', '--json']);
    expect(stage1.code, stage1.stderr + stage1.stdout).toBe(0);
    expect((JSON.parse(stage1.stdout) as Summary).summary.filesChanged).toBeGreaterThan(0);
    const between = report().concepts[0]!;
    expect(between.legacySites).toEqual([]);
    expect(between.summary.compatSites).toBeGreaterThan(0);

    const stage2 = run('npx', ['--no-install', 'ssot', 'migrate', '--to', 'canonical', '--allow-dirty', '--json']);
    expect(stage2.code, stage2.stderr + stage2.stdout).toBe(0);
    expect((JSON.parse(stage2.stdout) as Summary).summary).toMatchObject({ sitesRefused: 0 });
    expect((JSON.parse(stage2.stdout) as Summary).summary.filesChanged).toBeGreaterThan(0);
    const tsc = run('node', [path.join(project, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json']);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
    const after = report().concepts[0]!;
    expect(after.legacySites).toEqual([]);
    expect(after.summary.compatSites).toBe(0);
    expect(after.canonicalSites.length).toBeGreaterThan(0);
    const again = run('npx', ['--no-install', 'ssot', 'migrate', '--to', 'canonical', '--allow-dirty', '--json']);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as Summary).summary.filesChanged).toBe(0);
  });
});
