// `ssot migrate` killed with SIGKILL at pseudo-random points on a generated corpus: after each
// kill every file is either as it was or as a complete run writes it (never half of each, never
// anything else), and a run to the end then finishes the job with no temp file left.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanup, ensureBuilt, readTree, REPO, ssot, tempDir } from '../helpers/index.js';

beforeAll(() => ensureBuilt());
afterAll(() => cleanup());

/** 600 files: about a hundred candidates, enough for the write-behind thread to take the writes. */
const CORPUS_FILES = 600;
const KILLS = 8;
const TEMP_NAME = /(^|\/)\.[^/]+\.ssot-[0-9a-f-]+\.tmp$/;

/** A fixed-seed sequence in [0, 1) (mulberry32): the same kill points on every run of the test. */
function sequence(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('migrate killed at random points', () => {
  it('leaves every file old or new; the next run removes the temp files and finishes the job', async () => {
    const corpus = path.join(tempDir('kill-corpus'), 'corpus');
    const gen = spawnSync(
      process.execPath,
      [path.join(REPO, 'bench/corpus/generate.mjs'), '--files', String(CORPUS_FILES), '--seed', '16', '--out', corpus],
      { encoding: 'utf8' },
    );
    expect(gen.status, gen.stderr).toBe(0);
    fs.rmSync(path.join(corpus, '.bench-manifest.json'));

    // The complete run: what every file looks like when migrate finishes.
    const reference = tempDir('kill-reference');
    fs.cpSync(corpus, reference, { recursive: true });
    const started = performance.now();
    const complete = await ssot(['migrate', '--json', '.'], reference);
    const duration = performance.now() - started;
    const before = readTree(corpus);
    const after = readTree(reference);
    const changed = [...before.keys()].filter((rel) => !after.get(rel)!.equals(before.get(rel)!));
    expect(changed.length).toBeGreaterThanOrEqual(64);

    const work = tempDir('kill-work');
    fs.cpSync(corpus, work, { recursive: true });
    const next = sequence(16);
    let partial = 0;
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    for (let i = 0; i < KILLS; i++) {
      const child = spawn(process.execPath, [BIN, 'migrate', '--json', '.'], {
        cwd: work,
        stdio: 'ignore',
        env: { ...process.env, NO_COLOR: '1' },
      });
      let running = true;
      const exited = new Promise<void>((resolve) =>
        child.on('exit', () => resolve((running = false) as unknown as void)),
      );
      let delay: number;
      if (i % 2 === 0) {
        // Anywhere from start-up to just past the end of a complete run.
        delay = (0.15 + 0.95 * next()) * duration;
        await sleep(delay);
      } else {
        // The writes come last and close together: wait for the first file still to migrate
        // to change, then kill within the next 10 ms.
        const watched = changed.find((rel) => fs.readFileSync(path.join(work, rel)).equals(before.get(rel)!));
        const stamp = watched ? fs.statSync(path.join(work, watched)).mtimeMs : 0;
        while (running && watched && fs.statSync(path.join(work, watched)).mtimeMs === stamp) await sleep(2);
        delay = 10 * next();
        await sleep(delay);
      }
      child.kill('SIGKILL');
      await exited;
      const tree = readTree(work);
      let migrated = 0;
      for (const [rel, bytes] of tree) {
        if (TEMP_NAME.test(rel)) continue; // a write the kill interrupted: removed by the next run
        const old = before.get(rel);
        expect(old, `unexpected file ${rel} after kill ${i + 1}`).toBeDefined();
        const isOld = bytes.equals(old!);
        const isNew = bytes.equals(after.get(rel)!);
        expect(isOld || isNew, `${rel} is neither old nor new after kill ${i + 1} at ${Math.round(delay)} ms`).toBe(
          true,
        );
        if (!isOld) migrated++;
      }
      for (const rel of before.keys()) expect(tree.has(rel), `${rel} is gone after kill ${i + 1}`).toBe(true);
      if (migrated > 0 && migrated < changed.length) partial++;
    }
    // The final run finishes the job: same exit code and bytes as the complete run, no temp file.
    const last = await ssot(['migrate', '--json', '.'], work);
    expect(last.code).toBe(complete.code);
    const final = readTree(work);
    expect([...final.keys()].filter((rel) => TEMP_NAME.test(rel))).toEqual([]);
    expect([...final.keys()].sort()).toEqual([...after.keys()].sort());
    for (const [rel, bytes] of after) expect(final.get(rel)!.equals(bytes), rel).toBe(true);
    // Informational (the kill points depend on the machine's speed): how many kills hit mid-run.
    console.log(
      `kill-resume: ${partial} of ${KILLS} kills left a partly migrated tree (${changed.length} files change, complete run ${Math.round(duration)} ms)`,
    );
  }, 300_000);
});
