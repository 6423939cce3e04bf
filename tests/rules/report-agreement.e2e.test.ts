/**
 * The ESLint plugin and the report are the same findings: the real ESLint CLI (the built plugin,
 * `configs.recommended`) and `ssot report --format json` on the demo app, every codemod fixture
 * input and a generated corpus must list the same violations, site by site (file, line, column,
 * rule id) and duplicate by duplicate. The demo's report comes from the CLI in a child process;
 * the others from the built CLI in-process (ssotInProcess: same code, same output).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import {
  cleanup,
  copyDemo,
  ensureBuilt,
  FIXTURES,
  REPO,
  type Run,
  ssot,
  ssotInProcess,
  tempDir,
} from '../helpers/index.js';

const ESLINT = path.join(REPO, 'node_modules/eslint/bin/eslint.js');

beforeAll(ensureBuilt);
afterAll(cleanup);

interface Findings {
  /** "file:line:column ssot/rule", sorted. */
  violations: string[];
  /** Files the tool could not parse at all (ESLint's fatal errors). */
  unparsed: string[];
}

/**
 * The ESLint CLI over `root`, once: each linted file finds its own ssot config by walking up
 * (as in an editor), so one run covers several projects under one folder. Findings per project.
 */
function eslint(root: string, projects: readonly string[]): Map<string, Findings> {
  fs.mkdirSync(path.join(root, 'node_modules'), { recursive: true });
  fs.symlinkSync(REPO, path.join(root, 'node_modules/ssot-kit'), 'dir');
  fs.writeFileSync(
    path.join(root, 'eslint.config.js'),
    "import ssot from 'ssot-kit/eslint-plugin';\n\nexport default [{ ignores: ['eslint.config.js'] }, ...ssot.configs.recommended];\n",
  );
  const r = spawnSync(process.execPath, [ESLINT, '--format', 'json', '.'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  expect(r.stderr).toBe('');
  const results = JSON.parse(r.stdout) as {
    filePath: string;
    messages: { line: number; column: number; ruleId: string | null; fatal?: boolean }[];
  }[];
  const out = new Map<string, Findings>(projects.map((p) => [p, { violations: [], unparsed: [] }]));
  for (const f of results) {
    const project = projects.find((p) => f.filePath.startsWith(p + path.sep));
    if (!project) continue;
    const rel = path.relative(project, f.filePath).split(path.sep).join('/');
    const findings = out.get(project)!;
    if (f.messages.some((m) => m.fatal)) findings.unparsed.push(rel);
    for (const m of f.messages) if (!m.fatal) findings.violations.push(`${rel}:${m.line}:${m.column} ${m.ruleId}`);
  }
  for (const findings of out.values()) findings.violations.sort();
  return out;
}

type Cli = (args: readonly string[], cwd: string) => Promise<Run>;

async function reportOf(project: string, cli: Cli): Promise<Report> {
  const r = await cli(['report', '--format', 'json'], project);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

function reported(report: Report, leaveOut: readonly string[]): string[] {
  const out: string[] = [];
  for (const c of report.concepts) {
    for (const d of c.duplicates) out.push(`${d.file}:${d.line}:${d.column} ssot/no-duplicate-implementation`);
    for (const s of [...c.legacySites, ...c.nonConceptLegacySites])
      if (s.rule) out.push(`${s.file}:${s.line}:${s.column} ssot/${s.rule}`);
  }
  return out.filter((v) => !leaveOut.includes(v.slice(0, v.indexOf(':')))).sort();
}

/** Compares ESLint's findings on a project with its report; returns the number of violations compared. */
async function agree(project: string, lint: Findings, cli: Cli = ssotInProcess): Promise<number> {
  const report = await reportOf(project, cli);
  // A file ESLint cannot parse has no ESLint findings at all; the report parses it with
  // TypeScript's error-tolerant parser and must say that it does not parse.
  const parseErrorFiles = new Set(report.files.parseErrors.map((p) => p.file));
  for (const f of lint.unparsed) expect(parseErrorFiles, `${f}: ESLint could not parse it`).toContain(f);
  const fromReport = reported(report, lint.unparsed);
  expect(lint.violations).toEqual(fromReport);
  // The report's own count is the length of the list it was compared by.
  if (lint.unparsed.length === 0) expect(fromReport).toHaveLength(report.totals.violations);
  return fromReport.length;
}

describe('ESLint (configs.recommended) and ssot report list the same violations', () => {
  // Every project under one folder, linted by one ESLint run.
  const root = tempDir('agree');
  const demo = path.join(root, 'demo-app');
  const cases = fs
    .readdirSync(FIXTURES, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const corpus = path.join(root, 'corpus');
  let lint: Map<string, Findings>;

  beforeAll(() => {
    fs.cpSync(copyDemo(), demo, { recursive: true });
    for (const name of cases)
      fs.cpSync(path.join(FIXTURES, name, 'input'), path.join(root, 'codemods', name), { recursive: true });
    const gen = spawnSync(
      process.execPath,
      // tiny: every import form the generator writes, decoys and duplicates, in a few dozen files
      // (ESLint's own parse and traversal are most of this run's time, by the bytes it reads).
      [path.join(REPO, 'bench/corpus/generate.mjs'), '--size', 'tiny', '--out', corpus],
      { encoding: 'utf8' },
    );
    expect(gen.status, gen.stderr).toBe(0);
    fs.rmSync(path.join(corpus, '.bench-manifest.json'), { force: true });
    lint = eslint(root, [demo, ...cases.map((name) => path.join(root, 'codemods', name)), corpus]);
  });

  it('the demo app', async () => {
    // 4 duplicate implementations + 13 legacy sites (one of them on the deleted module).
    expect(await agree(demo, lint.get(demo)!, ssot)).toBe(17);
  });

  // parse-refused: its one legacy site is in the file ESLint cannot parse, and its legacy module
  // holds a stub class and a factory, no implementation (names alone are no duplicates): the two
  // agree on nothing but the parse error.
  const NOTHING_TO_COMPARE = new Set(['parse-refused']);

  it.each(cases)('codemod fixture %s', async (name) => {
    const project = path.join(root, 'codemods', name);
    const compared = await agree(project, lint.get(project)!);
    // A stage-2 case starts on the compat layer: no legacy site to report (a look-alike class may
    // still be a duplicate); every other case has something to compare.
    const meta = JSON.parse(fs.readFileSync(path.join(FIXTURES, name, 'case.json'), 'utf8')) as { args: string[] };
    if (NOTHING_TO_COMPARE.has(name)) expect(compared).toBe(0);
    else if (!meta.args.includes('canonical')) expect(compared).toBeGreaterThan(0);
  });

  it('a generated corpus (bench/corpus/generate.mjs, tiny)', async () => {
    expect(await agree(corpus, lint.get(corpus)!)).toBeGreaterThan(20);
  });
});
