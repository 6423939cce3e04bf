import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeProject, legacySiteRule, loadConfig } from '../../src/core/index.js';
import { ensureBuilt, linkDemoDependencies, REPO as REPO_ROOT, tempDir, typecheck } from '../helpers/index.js';

/**
 * The real ESLint CLI, a flat eslint.config.js that imports the BUILT plugin through the package
 * exports (`ssot-kit/eslint-plugin`), on a temp copy of fixtures/demo-app. Expected findings come
 * from the core's own analysis of the demo, not from hand-typed line numbers.
 */

const ESLINT_BIN = path.join(REPO_ROOT, 'node_modules/eslint/bin/eslint.js');

let copy: string;

function run(cmd: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface EslintResult {
  filePath: string;
  messages: {
    ruleId: string | null;
    line: number;
    message: string;
    fix?: unknown;
    suggestions?: unknown[];
    fatal?: boolean;
  }[];
}

function eslint(...args: string[]): { status: number | null; results: EslintResult[]; stderr: string } {
  const r = run(process.execPath, [ESLINT_BIN, '--format', 'json', ...args, '.'], copy);
  return { status: r.status, results: JSON.parse(r.stdout || '[]') as EslintResult[], stderr: r.stderr };
}

function findings(results: EslintResult[]): string[] {
  return results
    .flatMap((r) =>
      r.messages.map((m) => `${path.relative(copy, r.filePath).split(path.sep).join('/')}:${m.line} ${m.ruleId}`),
    )
    .sort();
}

function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

beforeAll(() => {
  ensureBuilt();
  copy = tempDir('eslint-e2e');
  fs.cpSync(path.join(REPO_ROOT, 'fixtures/demo-app'), copy, { recursive: true });
  // `ssot-kit/...` resolves to this repo (its package.json exports point into dist/); the demo's
  // own dependencies (ws and their types) come from this repo's node_modules.
  linkDemoDependencies(copy);
  fs.writeFileSync(
    path.join(copy, 'eslint.config.js'),
    "import ssot from 'ssot-kit/eslint-plugin';\n\nexport default [{ ignores: ['eslint.config.js'] }, ...ssot.configs.recommended];\n",
  );
});

describe('eslint CLI with the built plugin on the demo app', () => {
  let firstRun: EslintResult[];

  it('reports exactly the findings of the core analysis, with rule ids and lines, from worker threads', () => {
    // With ESLint's worker threads (each loads the plugin, whose project state must give every file
    // the findings one thread gives it); single-threaded ESLint runs on the demo in the --fix runs
    // below, and against the report in report-agreement.e2e.test.ts.
    const { status, results, stderr } = eslint('--concurrency', '2');
    // (ESLint may warn that two threads are too many for so few files; no errors.)
    expect(stderr).not.toMatch(/Error\b/);
    expect(status).toBe(1);
    firstRun = results;
    const project = analyzeProject(loadConfig({ cwd: copy }));
    const expected: string[] = [];
    for (const a of project.analyses) {
      const rel = path.relative(copy, a.file).split(path.sep).join('/');
      for (const s of a.sites) {
        // The core's rule for each site, the one the report uses too (internal and non-concept sites break none).
        const rule = s.target.kind === 'legacy' ? legacySiteRule(s.target) : null;
        if (rule) expected.push(`${rel}:${s.line} ssot/${rule}`);
      }
      for (const d of a.duplicates) expected.push(`${rel}:${d.line} ssot/no-duplicate-implementation`);
    }
    expect(expected.length).toBeGreaterThan(10);
    expect(findings(results)).toEqual(expected.sort());
    // The deleted broadcaster is reported as a module that no longer exists.
    const missing = results.flatMap((r) => r.messages).filter((m) => m.ruleId === 'ssot/no-missing-legacy-module');
    expect(missing.length).toBeGreaterThan(0);
    for (const m of missing) expect(m.message).toMatch(/no longer exists/);
    // Duplicates carry their evidence.
    const dups = results.flatMap((r) => r.messages).filter((m) => m.ruleId === 'ssot/no-duplicate-implementation');
    expect(dups.some((m) => /shares \d+ of 8 members: /.test(m.message))).toBe(true);
  });

  it('eslint --fix rewrites every fixable site, keeps the rest reported, and a second --fix changes nothing', () => {
    const fixable = new Set(
      firstRun.flatMap((r) =>
        r.messages
          .filter((m) => m.fix)
          .map((m) => `${path.relative(copy, r.filePath).split(path.sep).join('/')}:${m.line} ${m.ruleId}`),
      ),
    );
    expect(fixable.size).toBeGreaterThan(5);
    const fixed = eslint('--fix');
    expect(fixed.stderr).toBe('');
    const after = findings(fixed.results);
    // Nothing that had a fix is still reported with a fix, and no legacy import that was fixable remains.
    for (const r of fixed.results) for (const m of r.messages) expect(m.fix).toBeUndefined();
    // Every name the demo imports from a legacy module is part of the concept: no legacy import is left.
    const remainingLegacy = fixed.results
      .flatMap((r) => r.messages)
      .filter((m) => m.ruleId !== 'ssot/no-duplicate-implementation');
    expect(remainingLegacy).toEqual([]);
    // Duplicates are not autofixed: the same ones are still reported.
    expect(after.filter((f) => f.endsWith('ssot/no-duplicate-implementation'))).toEqual(
      findings(firstRun).filter((f) => f.endsWith('ssot/no-duplicate-implementation')),
    );
    // The compat layer is what the demo now imports.
    const server = fs.readFileSync(path.join(copy, 'src/server.ts'), 'utf8');
    expect(server).toContain("'ssot-kit/router/compat'");
    expect(fs.readFileSync(path.join(copy, 'src/jobs/digest.ts'), 'utf8')).toContain("from 'ssot-kit/router/compat'");

    const before = snapshot(copy);
    const again = eslint('--fix');
    expect(findings(again.results)).toEqual(after);
    const unchanged = snapshot(copy);
    expect([...unchanged.keys()]).toEqual([...before.keys()]);
    for (const [file, text] of before) expect(unchanged.get(file), file).toBe(text);
  });

  it('tsc --noEmit accepts the fixed copy', () => {
    // Before the fix the demo does not compile at all (the deleted broadcaster); after it, it does.
    // The compiler in-process (tests/helpers: typecheck, installed @types parsed once per worker);
    // the tsc binary itself runs on the migrated demo of the packed tarball (tests/e2e/pack.test.ts).
    expect(typecheck(copy)).toBe('');
  });
});
