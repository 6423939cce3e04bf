import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeProject, loadConfig, mapLegacyName } from '../../src/core/index.js';
import { copyDir, ensureBuilt, linkSsotKit, readTree, REPO, ssot, tempDir, typecheck } from '../helpers/index.js';

/** Legacy sites that still hold a concept name (or reference the whole module). */
function remainingLegacySites(root: string): string[] {
  const config = loadConfig({ cwd: root });
  const out: string[] = [];
  for (const a of analyzeProject(config).analyses) {
    for (const s of a.sites) {
      // Sites inside a legacy module itself are `internal`: they go with the module.
      if (s.target.kind !== 'legacy' || s.target.internal) continue;
      const t = s.target;
      const concept = config.concepts.find((c) => c.id === t.conceptId)!;
      const legacy = concept.legacy[t.legacyIndex]!;
      const names = s.names.length > 0 ? s.names.map((n) => n.imported) : ['*'];
      if (names.some((n) => mapLegacyName(concept, legacy, n) !== null))
        out.push(`${path.relative(root, s.file)}:${s.line} ${s.form} '${s.specifier}'`);
    }
  }
  return out;
}

describe('ssot migrate on a copy of the demo app', () => {
  let work: string;
  beforeAll(() => {
    ensureBuilt();
    work = tempDir('demo');
    copyDir(path.join(REPO, 'fixtures/demo-app'), work);
  });

  it('leaves no legacy import site that holds a concept name, and a second run changes nothing', async () => {
    expect(remainingLegacySites(work).length).toBeGreaterThan(0);
    const first = await ssot(['migrate', '--json', '.'], work);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const report = JSON.parse(first.stdout) as {
      summary: { filesChanged: number; sitesRewritten: number; sitesRefused: number };
    };
    expect(report.summary.sitesRefused).toBe(0);
    expect(report.summary.filesChanged).toBeGreaterThan(0);
    expect(remainingLegacySites(work)).toEqual([]);
    const before = readTree(work);
    const second = await ssot(['migrate', '--json', '.'], work);
    expect(second.code).toBe(0);
    expect((JSON.parse(second.stdout) as typeof report).summary.filesChanged).toBe(0);
    const after = readTree(work);
    for (const [rel, bytes] of before) expect(after.get(rel)?.equals(bytes), rel).toBe(true);
    // Names that are not part of the concept legitimately stay on the legacy module.
    expect(fs.readFileSync(path.join(work, 'src/handlers/agent-handler.ts'), 'utf8')).toContain(
      "import { LEGACY_ROUTER_VERSION } from '@app/websocket/message-router';",
    );
  });

  it('type-checks after the migration', () => {
    linkSsotKit(work);
    const diagnostics = typecheck(work)
      .split('\n')
      .filter((l) => /error TS\d+/.test(l));
    expect(diagnostics).toEqual([]);
  });
});
