// Duplicate detection reads other files than the analysed one; a warm --cache run must see their
// changes. Every run is the built CLI in-process (ssotInProcess: same code, output and exit code):
// what is tested is the cache on disk between runs, not the process (`ssot report` as a child
// process is tested in tests/cli/report.e2e.test.ts and tests/cli/safety.e2e.test.ts).
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { cleanup, copyFixture, ensureBuilt, read, ssotInProcess, tempDir, write } from '../helpers/index.js';

beforeAll(() => ensureBuilt());
afterAll(cleanup);

async function report(project: string, cacheDir: string): Promise<Report> {
  const r = await ssotInProcess(['report', '--format', 'json', '--cache-location', cacheDir], project);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

const symbols = (r: Report): string[] => r.concepts[0]!.duplicates.map((d) => `${d.file} ${d.symbol}`);

describe('the report cache and the files detection reads besides the analysed one', () => {
  it('a re-export on the way to a base class changes: the subclass is analysed again', async () => {
    const project = copyFixture('detect', 'not-subclass-via-reexport');
    write(project, 'src/shared/other.ts', 'export class Other<T> { value?: T; }\n');
    const cacheDir = path.join(tempDir(), 'cache');
    expect(symbols(await report(project, cacheDir))).toEqual([]);
    const warm = await report(project, cacheDir);
    expect(warm.timing).toMatchObject({ cacheMisses: 0 });
    // BaseEmitter now names another class: src/app/emitter.ts re-declares the canonical name. Only
    // base.ts changed (same files in scope), so only the recorded dependency can tell.
    write(project, 'src/shared/base.ts', "export { Other as BaseEmitter } from './other';\n");
    const after = await report(project, cacheDir);
    expect(symbols(after)).toEqual(['src/app/emitter.ts Emitter']);
    expect(after.timing).toMatchObject({ cacheMisses: 2 }); // base.ts, and the one file whose result went through it
  });

  it('the canonical module changes: every file is analysed again (its body and registries are inputs of all)', async () => {
    const project = copyFixture('detect', 'dup-copied-body');
    const cacheDir = path.join(tempDir(), 'cache');
    const cold = await report(project, cacheDir);
    expect(symbols(cold)).toEqual(['src/vendor/event-source.ts EventSource']);
    write(
      project,
      'src/events/emitter.ts',
      read(project, 'src/events/emitter.ts').replace('get size(): number {', 'get count(): number {'),
    );
    const after = await report(project, cacheDir);
    expect(after.timing).toMatchObject({ cacheHits: 0 });
    expect(symbols(after)).toEqual(['src/vendor/event-source.ts EventSource']);
  });
});
