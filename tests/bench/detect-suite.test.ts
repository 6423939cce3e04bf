// The detect suite of the benchmark (bench/detect/real-world.mjs): the scoring and its plumbing.
// The real numbers come from `npm run bench -- --suite detect --real-dir DIR` on the checkouts.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { labelSets, score, type Labels } from '../../bench/detect/real-world.mjs';
import { REPO, ensureBuilt, tempDir } from '../helpers/index.js';

const labels: Labels = {
  candidates: [
    { file: 'a.ts', symbol: 'A', label: 'duplicate', reason: 'own listener list' },
    { file: 'b.ts', symbol: 'B', label: 'duplicate', reason: 'own listener list' },
    { file: 'c.ts', symbol: 'C', label: 'not', reason: 'a wrapper' },
  ],
};

describe('detect suite', () => {
  it('precision counts labelled-not and unlabelled findings as false; recall counts missed duplicates', () => {
    const s = score(labels, [
      { file: 'a.ts', symbol: 'A' },
      { file: 'c.ts', symbol: 'C' },
      { file: 'z.ts', symbol: 'Z' },
    ]);
    expect(s).toMatchObject({ tp: 1, fp: 2, fn: 1, precision: 1 / 3, recall: 1 / 2 });
    expect(s.falsePositives.map((f) => f.label)).toEqual(['not', 'unlabelled']);
    expect(score(labels, [])).toMatchObject({ precision: undefined, recall: 0 });
  });

  it('every committed label set names its commit, canonical and a reason per candidate', () => {
    const sets = labelSets(REPO);
    expect(sets.map((s) => s.name)).toEqual([
      'excalidraw',
      'medusa',
      'theia',
      'vscode-js-debug',
      'vscode-languageserver-node',
    ]);
    for (const { name, labels: l } of sets) {
      expect(l.commit, name).toMatch(/^[0-9a-f]{40}$/);
      expect(fs.existsSync(path.join(REPO, 'fixtures/real-world', name, 'ssot.config.detect.json'))).toBe(true);
      for (const c of l.candidates) {
        expect(['duplicate', 'not'], `${name} ${c.file}`).toContain(c.label);
        expect(c.reason.length, `${name} ${c.file}`).toBeGreaterThan(10);
      }
    }
  });

  it('without checkouts every repository is listed as not available, and the run still succeeds', () => {
    ensureBuilt();
    const r = spawnSync(process.execPath, ['bench/run.mjs', '--suite', 'detect', '--real-dir', tempDir()], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', SSOT_REAL_DIR: '' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/== detect ==/);
    expect(r.stdout.match(/not available: no checkout at/g)).toHaveLength(5);
  });
});
