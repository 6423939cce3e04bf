import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMPAT_REPLACEMENTS } from '../../src/router/compat.js';

describe('docs/router.md', () => {
  it('contains the legacy mapping table row for row, identical to COMPAT_REPLACEMENTS', () => {
    const doc = readFileSync(new URL('../../docs/router.md', import.meta.url), 'utf8');
    const rows = doc.split('\n').filter((l) => /^\| `[^`]+` \| `ssot-kit\/router` \|/.test(l));
    const documented = Object.fromEntries(
      rows.map((row) => {
        const cells = row.split(' | ').map((c) => c.replace(/^\|? ?`?|`? ?\|?$/g, ''));
        return [cells[0], { module: cells[1], name: cells[2], ...(cells[3] ? { note: cells[3] } : {}) }];
      }),
    );
    expect(documented).toEqual(COMPAT_REPLACEMENTS);
  });
});

describe('bench/router/router-bench.mjs', () => {
  const built = new URL('../../dist/src/router/index.js', import.meta.url);
  // The bench imports the built router; `npm test` builds first. Tiny config: this is a smoke test
  // that the script still runs and counts correctly, not a measurement.
  it.skipIf(!existsSync(built))('runRouterBench runs end to end on loopback with a tiny configuration', async () => {
    const { runRouterBench } = await import('../../bench/router/router-bench.mjs');
    const r = await runRouterBench({ connections: 20, users: 4, events: 5, rounds: 3, repeats: 1 });
    expect(r.config.deliveriesPerFlood).toBe(100);
    expect(r.bare.throughputPerSec).toBeGreaterThan(0);
    expect(r.router.throughputPerSec).toBeGreaterThan(0);
    expect(Number.isFinite(r.router.steadyLatencyMs.p95)).toBe(true);
  });
});

describe('bench/router/abuse-bench.mjs', () => {
  const built = new URL('../../dist/src/router/index.js', import.meta.url);
  // A smoke test at a tiny scale (the figures are the bench's job): the script runs end to end and
  // reports what the server did.
  it.skipIf(!existsSync(built))(
    'runRouterAbuseBench: two tiny attacks; the server closes the attacker',
    async () => {
      const { runRouterAbuseBench, formatAbuseTable } = await import('../../bench/router/abuse-bench.mjs');
      const r = await runRouterAbuseBench({ scale: 0.005, only: ['invalid-frames', 'unauthenticated'], maxQuietMs: 0 });
      expect(r.rows.map((row) => row.attack)).toEqual(['invalid-frames', 'unauthenticated']);
      expect(r.rows[0]?.adapter).toMatchObject({ errorBudgetCloses: 1 });
      // The budget is 32 per 10 s, refilling with real time while the attack runs.
      expect(r.rows[0]?.adapter?.['errorFrames']).toBeGreaterThanOrEqual(32);
      expect(r.rows[1]?.closes).toEqual({ 401: 25 });
      for (const row of r.rows) expect(row.rssPeak).toBeGreaterThanOrEqual(row.rssBefore);
      expect(formatAbuseTable(r).split('\n')).toHaveLength(4);
    },
    60_000,
  );
});
