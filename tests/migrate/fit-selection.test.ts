import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrateOptions, MigrateResult } from '../../src/migrate/run.js';
import { cleanup, copyDir, ensureBuilt, FIXTURES, readTree, REPO, tempDir } from '../helpers/index.js';

/**
 * Stage 1 type-checks only the files src/migrate/fit.ts selects (member callers, and the files they
 * reach whose exports derive from a legacy import). Differential test of that narrowing: the same
 * run with every changed file inspected and type-checked, each with every file that imports it
 * (`fitEveryChangedFile`), must end with the same files written, byte for byte, and the same
 * refusals, on every compat fixture and on generated corpora.
 */
type RunModule = typeof import('../../src/migrate/run.js');
type LoadModule = typeof import('../../src/core/config/load.js');
let runModule: RunModule;
let loadModule: LoadModule;

beforeAll(async () => {
  ensureBuilt();
  runModule = (await import(path.join(REPO, 'dist/src/migrate/run.js'))) as RunModule;
  loadModule = (await import(path.join(REPO, 'dist/src/core/config/load.js'))) as LoadModule;
});
afterAll(() => cleanup());

interface Ending {
  tree: Map<string, Buffer>;
  files: { file: string; status: string; rewritten: number; refused: number }[];
  sitesRefused: number;
}

async function migrateCopy(source: string, every: boolean): Promise<Ending> {
  const work = tempDir(every ? 'fit-every' : 'fit-selected');
  copyDir(source, work);
  const config = loadModule.loadConfig({ cwd: work });
  const options: MigrateOptions = { config, allowDirty: true, jobs: 1, fitEveryChangedFile: every };
  const result: MigrateResult = await runModule.migrate(options);
  const ending = {
    tree: readTree(work),
    files: result.files
      .map((f) => ({ file: f.file, status: f.status, rewritten: f.rewritten.length, refused: f.refused.length }))
      .sort((a, b) => a.file.localeCompare(b.file)),
    sitesRefused: result.summary.sitesRefused,
  };
  fs.rmSync(work, { recursive: true, force: true });
  return ending;
}

function expectSameEnding(selected: Ending, every: Ending): void {
  expect(selected.files).toEqual(every.files);
  expect([...selected.tree.keys()].sort()).toEqual([...every.tree.keys()].sort());
  for (const [rel, bytes] of every.tree) expect(selected.tree.get(rel)?.equals(bytes), rel).toBe(true);
}

const compatCases = fs
  .readdirSync(FIXTURES)
  .filter((name) => name.startsWith('compat-'))
  .sort();

describe('stage-1 fit: the selected files end as checking every changed file ends', () => {
  it.concurrent.each(compatCases)(
    'fixtures/codemods/%s',
    async (name) => {
      const input = path.join(FIXTURES, name, 'input');
      const [selected, every] = await Promise.all([migrateCopy(input, false), migrateCopy(input, true)]);
      expectSameEnding(selected, every);
      // Not vacuous: the refused cases refuse in both runs.
      if (name.startsWith('compat-refused-')) expect(every.sitesRefused).toBeGreaterThan(0);
    },
    300_000,
  );

  // Two seeds of the tiny profile: each holds every import form and compat use the generator makes.
  it.each([
    ['tiny', '1'],
    ['tiny', '2'],
  ])(
    'a generated corpus (bench/corpus/generate.mjs --size %s --seed %s)',
    async (size, seed) => {
      const corpus = tempDir(`fit-corpus-${size}`);
      execFileSync(process.execPath, ['bench/corpus/generate.mjs', '--size', size, '--seed', seed, '--out', corpus], {
        cwd: REPO,
        stdio: 'ignore',
      });
      const selected = await migrateCopy(corpus, false);
      const every = await migrateCopy(corpus, true);
      expectSameEnding(selected, every);
      expect(every.files.some((f) => f.status === 'changed')).toBe(true);
    },
    600_000,
  );
});
