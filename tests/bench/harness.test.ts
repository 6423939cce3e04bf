// Smoke test of the benchmark harness (bench/): tiny corpus, one run, peers only. Keeps the harness
// alive; the real measurements are `npm run bench` (not part of `npm test`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const node = process.execPath;
const ALL_FORMS = [
  'named',
  'aliased',
  'namespace',
  'type-only',
  'inline-type',
  'side-effect',
  'export-named',
  'export-star',
  'import-equals',
  'require',
  'dynamic-import',
  'import-type',
  'mock',
];
// peers whose result does not depend on ssot-kit's own (separately tested) tools, one of each kind
// (a rewriting tool, a scripted codemod, ESLint, the oracle, a floor). The others run the same
// harness code with other commands: the plain jscodeshift peer (the slowest to start), ESLint's warm
// cache and the grep and parse floors run in `npm run bench` only.
const PEERS = ['ast-grep', 'ts-morph', 'eslint-core', 'oracle', 'floor-read'];

let tmp = '';
const run = (args: string[]) =>
  spawnSync(node, args, { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

function treeHash(dir: string): string {
  const h = crypto.createHash('sha256');
  const walk = (rel: string) => {
    for (const e of fs
      .readdirSync(path.join(dir, rel), { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else
        h.update(`${r}\0`)
          .update(fs.readFileSync(path.join(dir, r)))
          .update('\0');
    }
  };
  walk('');
  return h.digest('hex');
}

interface Row {
  id: string;
  available: boolean;
  ok: boolean;
  summary: string;
  problems: string[];
  runs: unknown[];
}

describe('bench harness (smoke: tiny corpus, runs=1)', () => {
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ssot-bench-'));
  });
  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('generates the same bytes for the same seed, and different bytes for another seed', () => {
    for (const [out, seed] of [
      ['a', '7'],
      ['b', '7'],
      ['c', '8'],
    ] as const) {
      const r = run(['bench/corpus/generate.mjs', '--size', 'tiny', '--seed', seed, '--out', path.join(tmp, out)]);
      expect(r.status, r.stderr).toBe(0);
    }
    expect(treeHash(path.join(tmp, 'a'))).toBe(treeHash(path.join(tmp, 'b')));
    expect(treeHash(path.join(tmp, 'a'))).not.toBe(treeHash(path.join(tmp, 'c')));
    const m = JSON.parse(fs.readFileSync(path.join(tmp, 'a', '.bench-manifest.json'), 'utf8'));
    expect(m.totals.sourceFiles).toBeGreaterThanOrEqual(30);
    expect(m.totals.sourceFiles).toBeLessThanOrEqual(50);
    expect(Object.keys(m.totals.legacySitesByForm).sort()).toEqual([...ALL_FORMS].sort());
    expect(m.totals.decoySites).toBeGreaterThan(0);
  });

  it('the oracle equals the manifest before any tool runs', () => {
    const r = run(['bench/oracle.mjs', path.join(tmp, 'a')]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('oracle == manifest');
  });

  it('runs the available peers once and they agree with the oracle', () => {
    const json = path.join(tmp, 'results.json');
    const r = run([
      'bench/run.mjs',
      '--suite',
      'migrate,report,eslint,floor',
      '--size',
      'tiny',
      '--seed',
      '7',
      '--runs',
      '1',
      '--only',
      PEERS.join(','),
      '--corpus-dir',
      path.join(tmp, 'a'),
      '--work-dir',
      path.join(tmp, 'work'),
      '--json',
      json,
    ]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const result = JSON.parse(fs.readFileSync(json, 'utf8')) as {
      ok: boolean;
      suites: { suite: string; rows: Row[] }[];
    };
    expect(result.ok).toBe(true);
    const rows = new Map(result.suites.flatMap((s) => s.rows).map((row) => [row.id, row]));
    for (const id of ['ast-grep', 'ts-morph', 'eslint-core', 'oracle', 'floor-read']) {
      const row = rows.get(id);
      expect(row, id).toBeDefined();
      expect(row!.available, id).toBe(true);
      expect(row!.ok, `${id}: ${row!.summary} ${row!.problems.join('; ')}`).toBe(true);
      expect(row!.runs.length, id).toBe(1);
    }
    expect(rows.get('ast-grep')!.summary).toMatch(/0 files wrong/);
    expect(rows.get('ts-morph')!.summary).toMatch(/0 files wrong/);
  }, 180_000);

  it('measures a checkout given --repo and --config, on copies, never touching the checkout', () => {
    // a "real" checkout: no manifest, no config of its own; the config lives elsewhere
    const checkout = path.join(tmp, 'checkout');
    fs.cpSync(path.join(tmp, 'a'), checkout, { recursive: true });
    fs.rmSync(path.join(checkout, '.bench-manifest.json'));
    const config = path.join(tmp, 'bench.config.json');
    fs.renameSync(path.join(checkout, 'ssot.config.json'), config);
    const before = treeHash(checkout);
    const json = path.join(tmp, 'repo-results.json');
    const r = run([
      'bench/run.mjs',
      // The --repo path (copies, config from elsewhere, the oracle from the config) is the same
      // for every peer: one peer that rewrites is enough here; all of them ran in the test above.
      '--suite',
      'migrate',
      '--repo',
      checkout,
      '--config',
      config,
      '--runs',
      '1',
      '--only',
      'ast-grep,oracle',
      '--work-dir',
      path.join(tmp, 'work3'),
      '--json',
      json,
    ]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const result = JSON.parse(fs.readFileSync(json, 'utf8')) as {
      ok: boolean;
      corpus: { kind: string; totals: { legacySites: number } };
      suites: { rows: Row[] }[];
    };
    expect(result.corpus.kind).toBe('repo');
    const manifest = JSON.parse(fs.readFileSync(path.join(tmp, 'a', '.bench-manifest.json'), 'utf8'));
    expect(result.corpus.totals.legacySites).toBe(manifest.totals.legacySites);
    const rows = new Map(result.suites.flatMap((s) => s.rows).map((row) => [row.id, row]));
    expect(rows.get('ast-grep')!.summary).toMatch(/0 files wrong/);
    expect(treeHash(checkout)).toBe(before);
  }, 180_000);

  it('refuses --repo without --config (usage error)', () => {
    const r = run(['bench/run.mjs', '--repo', path.join(tmp, 'a')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--repo and --config go together/);
  });

  it('fails loudly when a tool disagrees with the oracle', () => {
    // a corrupted manifest stands in for a tool that changed the wrong sites
    const bad = path.join(tmp, 'bad');
    fs.cpSync(path.join(tmp, 'a'), bad, { recursive: true });
    const mf = path.join(bad, '.bench-manifest.json');
    const m = JSON.parse(fs.readFileSync(mf, 'utf8'));
    const first = Object.keys(m.files).find((f) => m.files[f].sites.length > 0)!;
    m.files[first].sites.pop();
    fs.writeFileSync(mf, JSON.stringify(m));
    const r = run([
      'bench/run.mjs',
      '--suite',
      'floor',
      '--size',
      'tiny',
      '--seed',
      '7',
      '--runs',
      '1',
      '--only',
      'floor-read',
      '--corpus-dir',
      bad,
      '--work-dir',
      path.join(tmp, 'work2'),
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ORACLE != MANIFEST/);
  });
});
