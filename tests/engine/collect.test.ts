import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as CollectModule from '../../src/engine/collect.js';
import { loadConfig } from '../../src/core/config/load.js';
import { MIN_ITEMS_FOR_HELPERS } from '../../src/engine/pool.js';
import { cleanup, ensureBuilt, makeProject, REPO } from '../helpers/index.js';

// Real helper threads run built JavaScript: collectRecords (and its worker module) come from dist.
let collectRecords: typeof CollectModule.collectRecords;
beforeAll(async () => {
  ensureBuilt();
  ({ collectRecords } = (await import(`${REPO}/dist/src/engine/collect.js`)) as typeof CollectModule);
});
afterAll(cleanup);

/**
 * The report's thread policy (collectRecords): files are read and prefiltered on this thread and a
 * helper joins only for much source to analyse, or when --jobs asks for one. Whichever threads do
 * the work, the records are the same, in path order.
 */
function project(): string {
  const files: Record<string, string> = {
    'ssot.config.json': JSON.stringify({
      concepts: [
        {
          id: 'emitter',
          canonical: { module: 'src/canonical/emitter.ts', names: ['Emitter'] },
          legacy: [{ module: 'src/legacy/emitter.ts', names: { '*': '*' } }],
        },
      ],
    }),
    'src/canonical/emitter.ts': 'export class Emitter { emit(): void {} }\n',
    'src/legacy/emitter.ts': 'export class Emitter { emit(): void {} }\n',
  };
  // Enough files the prefilter lets through for helpers to take part when asked, and some it rules out.
  for (let i = 0; i < MIN_ITEMS_FOR_HELPERS + 8; i++) {
    files[`src/users/user-${i}.ts`] =
      `import { Emitter } from '../legacy/emitter';\nexport const e${i} = new Emitter();\n`;
    files[`src/plain/plain-${i}.ts`] = `export const p${i} = ${i};\n`;
  }
  return makeProject(files);
}

describe('collectRecords: which threads analyse', () => {
  const root = project();
  const config = loadConfig({ cwd: root });

  it('a small run stays on this thread by default, and says so', async () => {
    const collected = await collectRecords(config, { toolVersion: 'test' });
    expect(collected.threads).toBe(1);
    const parsed = (dir: string) =>
      collected.records.filter((r) => r.file.includes(`/src/${dir}/`)).map((r) => r.analysis?.parsed);
    expect(parsed('users')).toEqual(Array(MIN_ITEMS_FOR_HELPERS + 8).fill(true));
    expect(parsed('plain')).toEqual(Array(MIN_ITEMS_FOR_HELPERS + 8).fill(false));
  });

  it('--jobs 2 starts a helper, and the records are those of one thread', async () => {
    const one = await collectRecords(config, { toolVersion: 'test', jobs: 1 });
    const two = await collectRecords(config, { toolVersion: 'test', jobs: 2 });
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    expect(two.records).toEqual(one.records);
    expect(one.records.map((r) => r.file)).toEqual([...one.records.map((r) => r.file)].sort());
    const legacy = one.records.flatMap((r) => r.analysis?.sites ?? []).filter((s) => s.target.kind === 'legacy');
    expect(legacy).toHaveLength(MIN_ITEMS_FOR_HELPERS + 8);
  });
});
