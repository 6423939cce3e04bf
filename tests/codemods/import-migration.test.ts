import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  copyDir,
  ensureBuilt,
  jscodeshift,
  linkSsotKit,
  readTree,
  ssotInProcess,
  tempDir,
  treeDiff,
  typecheck,
} from '../helpers/index.js';
import { listCases } from './cases.js';

/**
 * Every fixture case through `ssot migrate` and through the real jscodeshift runner with our
 * transform: byte-for-byte equal to the expected output, and a second run changes nothing. Each
 * expected output type-checks (tsc --noEmit, ssot-kit linked). Stage-2 cases (`--to canonical`)
 * and stage-1 cases that need the type checker run through `ssot migrate` only (case.json says so,
 * with the reason). Here `ssot migrate` is the built CLI in-process (ssotInProcess: same code, JSON
 * and exit code, no Node start-up per run); as a child process it runs both stages on the demo
 * (tests/migrate/demo-app.test.ts) and in the README's flow (tests/cli/readme-flow.e2e.test.ts).
 */
const cases = listCases();

beforeAll(() => {
  ensureBuilt();
});

describe('fixtures/codemods through ssot migrate', () => {
  it.concurrent.each(cases.map((c) => [c.name, c] as const))(
    '%s',
    async (_name, c) => {
      const work = tempDir(`cli-${c.name}`);
      copyDir(path.join(c.dir, 'input'), work);
      const first = await ssotInProcess(['migrate', '--json', ...c.meta.args, '.'], work);
      expect(first.stderr).not.toMatch(/internal error/);
      expect(first.code, first.stdout + first.stderr).toBe(c.meta.exitCode);
      const report = JSON.parse(first.stdout) as {
        summary: { sitesRefused: number; filesFailed: number; filesChanged: number };
      };
      expect(report.summary.sitesRefused).toBe(c.meta.refused ?? 0);
      expect(report.summary.filesFailed).toBe(c.meta.failed ?? 0);
      expect(treeDiff(work, path.join(c.dir, 'output'))).toBe('');
      // Idempotent: the second run changes nothing and reports the same refusals.
      const before = readTree(work);
      const second = await ssotInProcess(['migrate', '--json', ...c.meta.args, '.'], work);
      expect(second.code).toBe(c.meta.exitCode);
      expect((JSON.parse(second.stdout) as typeof report).summary.filesChanged).toBe(0);
      const after = readTree(work);
      for (const [rel, bytes] of before) expect(after.get(rel)?.equals(bytes), rel).toBe(true);
      fs.rmSync(work, { recursive: true, force: true });
    },
    300_000,
  );
});

describe('fixtures/codemods through the jscodeshift runner', () => {
  // One runner invocation per set of options over all cases (the transform finds each case's
  // ssot.config.json from the file's folder). The same invocation also takes a copy of each expected
  // output: a second run over the first run's result, since the first must write exactly that.
  const groups = new Map<string, typeof cases>();
  for (const c of cases) {
    if (c.meta.jscodeshift === false) continue;
    groups.set(c.meta.args.join(' '), [...(groups.get(c.meta.args.join(' ')) ?? []), c]);
  }
  it('every case the jscodeshift runner skips says why', () => {
    for (const c of cases.filter((x) => x.meta.jscodeshift === false))
      expect(c.meta.jscodeshiftReason, c.name).toBeTruthy();
  });
  for (const [args, group] of groups) {
    it(`${group.length} cases with [${args}], and again over their outputs`, async () => {
      const work = tempDir('jscs');
      for (const c of group) {
        copyDir(path.join(c.dir, 'input'), path.join(work, c.name));
        copyDir(path.join(c.dir, 'output'), path.join(work, `${c.name}.again`));
      }
      const dirs = group.flatMap((c) => [path.join(work, c.name, 'src'), path.join(work, `${c.name}.again`, 'src')]);
      const extra = args ? args.split(' ') : [];
      const first = await jscodeshift([...extra, ...dirs], work);
      expect(first.stderr).not.toMatch(/Transformation error \((?!refused)/);
      for (const c of group) {
        expect(treeDiff(path.join(work, c.name), path.join(c.dir, 'output')), c.name).toBe('');
        // Idempotent: the expected output (what the first run wrote) comes out unchanged.
        expect(treeDiff(path.join(work, `${c.name}.again`), path.join(c.dir, 'output')), `${c.name} again`).toBe('');
      }
      fs.rmSync(work, { recursive: true, force: true });
    }, 120_000);
  }
});

describe('every expected output type-checks', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    if (c.meta.typecheck === false) {
      expect(c.meta.typecheckReason).toBeTruthy();
      return;
    }
    const work = tempDir(`tsc-${c.name}`);
    copyDir(path.join(c.dir, 'output'), work);
    linkSsotKit(work);
    expect(typecheck(work)).toBe('');
    fs.rmSync(work, { recursive: true, force: true });
  });
});
