/**
 * `npm test > log` writes plain text: scripts/test.mjs (the test script) turns colours off when
 * stdout is not a terminal. Vitest alone colours even then (its colour library looks at TERM and
 * CI, not at the stream), which the first case shows so that the second can fail.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/index.js';

const ESC = '\u001b[';
// A quick test file for the nested run (unit tests only, nothing spawned); the environment a CI log gets: TERM set, CI set, a pipe.
const FILE = 'tests/shared/shard.test.ts';
const env = { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm-256color', CI: 'true' };

function run(args: string[]) {
  const r = spawnSync(process.execPath, [...args, FILE], { cwd: REPO, encoding: 'utf8', env, timeout: 120_000 });
  return { code: r.status, output: r.stdout + r.stderr };
}

describe('test output written to a file or a pipe', () => {
  it('vitest by itself colours it', () => {
    const r = run([path.join(REPO, 'node_modules/vitest/vitest.mjs'), 'run']);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain(ESC);
  });

  it('the test script does not', () => {
    const r = run([path.join(REPO, 'scripts/test.mjs')]);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/Tests +4 passed/);
    expect(r.output).not.toContain(ESC);
  });
});
