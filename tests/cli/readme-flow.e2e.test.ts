/**
 * The README's "typical migration", verbatim, on a fresh project (the demo app without a config,
 * in a git work tree): every step succeeds, although `ssot init`, the baseline, the history and
 * the report leave uncommitted files behind.
 *
 * Each `npx ssot` step runs the built CLI in-process (ssotInProcess: the same program, arguments,
 * output and exit code): what this file checks is the flow. Both stages as child processes of the
 * installed package, as a team's shell runs them, are tests/e2e/pack.test.ts.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyDemo, ensureBuilt, linkDemoDependencies, REPO, ssotInProcess } from '../helpers/index.js';

/** The commands of the README's sh block after "A typical migration:", comments removed. */
function readmeFlow(): string[] {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const block = /A typical migration:\n\n```sh\n([\s\S]*?)\n```/.exec(readme)?.[1];
  if (!block) throw new Error('README.md has no "A typical migration" sh block');
  return block
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

/** Words of a command line, with double-quoted words kept whole. */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

const git = (cwd: string, args: string[]): void => {
  execFileSync('git', ['-c', 'user.email=team@example.invalid', '-c', 'user.name=team', ...args], {
    cwd,
    stdio: 'pipe',
  });
};

let project: string;

beforeAll(() => {
  ensureBuilt();
  project = copyDemo();
  fs.rmSync(path.join(project, 'ssot.config.json'));
  linkDemoDependencies(project);
  fs.appendFileSync(path.join(project, '.gitignore'), 'node_modules/\n');
  git(project, ['init', '-q']);
  git(project, ['add', '-A']);
  git(project, ['commit', '-q', '-m', 'a chat backend']);
});

describe('the README migration flow', () => {
  it("runs verbatim: every step succeeds, the tool's own files never stop ssot migrate", async () => {
    const steps = readmeFlow();
    expect(steps.filter((s) => s.startsWith('npx ssot migrate')).length).toBeGreaterThanOrEqual(4);
    for (const step of steps) {
      const [tool, ...rest] = words(step);
      if (tool === 'git') {
        git(project, rest);
        continue;
      }
      expect([tool, rest[0]], step).toEqual(['npx', 'ssot']);
      const r = await ssotInProcess(rest.slice(1), project);
      expect(r.code, `${step}\n${r.stdout}\n${r.stderr}`).toBe(0);
    }
    // What the flow leaves uncommitted: the tool's own files, never a source file.
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(
      status
        .trim()
        .split('\n')
        .map((l) => l.slice(3))
        .sort(),
    ).toEqual(['.ssot-history.jsonl', 'ssot-baseline.json', 'ssot-report.html', 'ssot.config.json']);
    // Both stages ran: nothing is left on the legacy modules the config names, nor on the compat layer.
    const report = JSON.parse((await ssotInProcess(['report', '--format', 'json'], project)).stdout) as {
      concepts: { summary: { legacySites: number; compatSites: number } }[];
    };
    expect(report.concepts[0]!.summary).toMatchObject({ legacySites: 0, compatSites: 0 });
  }, 600_000);
});
