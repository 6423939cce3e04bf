/**
 * An exported instance of a legacy class is a concept use with no counterpart (siteNameUse): the
 * classification the report, the ESLint rule and the planner read. Decided by declarations
 * (re-exports followed), never by the names' text.
 */
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeFile, createAnalysisContext } from '../../src/core/analyze.js';
import { loadConfig } from '../../src/core/config/load.js';
import type { ClassifiedSite, LegacyInstance } from '../../src/core/types.js';
import { cleanup, makeProject, read } from '../helpers/index.js';

afterAll(cleanup);

const CONFIG = JSON.stringify({
  concepts: [
    {
      id: 'router',
      canonical: { module: 'src/canonical/router.ts', names: ['Router'] },
      compat: { module: 'src/canonical/compat.ts', replacements: { OldRouter: 'Router' } },
      legacy: [
        { module: 'src/legacy/router.ts', names: { OldRouter: 'OldRouter' } },
        { module: 'src/legacy/pkg.d.ts', names: { OldRouter: 'OldRouter' } },
        { module: 'src/legacy/listed.ts', importNames: ['OldRouter'] },
      ],
    },
  ],
});

const root = makeProject({
  'ssot.config.json': CONFIG,
  'src/canonical/router.ts': 'export class Router {}\n',
  'src/canonical/compat.ts': "export { Router as OldRouter } from './router';\n",
  'src/legacy/router.ts': [
    'export class OldRouter { route(): void {} }',
    'class Helper {}',
    'function make(): OldRouter { return new OldRouter(); }',
    'export const shared = new OldRouter();',
    'export const typed: OldRouter = make();',
    'export const made = make();',
    'export const helper = new Helper();',
    'export const VERSION = 1;',
    'const local = new OldRouter();',
    'export { local as aliased };',
    "export { elsewhere, lookalike } from '../shared/instances';",
    'export default new OldRouter();',
    '',
  ].join('\n'),
  // Not a legacy module: an instance of the legacy class made here, and a same-named class of its own.
  'src/shared/instances.ts': [
    "import { OldRouter as Legacy } from '../legacy/router';",
    'export const elsewhere = new Legacy();',
    'class OldRouter {}',
    'export const lookalike = new OldRouter();',
    '',
  ].join('\n'),
  // A package-like module seen through its declarations only.
  'src/legacy/pkg.d.ts': 'export declare class OldRouter { route(): void; }\nexport declare const router: OldRouter;\n',
  'src/legacy/listed.ts':
    'export class OldRouter { route(): void {} }\nexport const listedInstance = new OldRouter();\n',
  'src/app/uses.ts': [
    "import { shared, typed, made, helper, VERSION, aliased, elsewhere, lookalike } from '../legacy/router';",
    "import router from '../legacy/router';",
    "import { router as fromTypes } from '../legacy/pkg';",
    "import { listedInstance } from '../legacy/listed';",
    '',
  ].join('\n'),
});

const ctx = createAnalysisContext(loadConfig({ cwd: root }));
const file = path.join(root, 'src/app/uses.ts');
const analysis = analyzeFile(ctx, file, read(root, 'src/app/uses.ts'));

/** Per imported name of the file: the instance the classification found, or null. */
function instancesOf(sites: readonly ClassifiedSite[]): Record<string, LegacyInstance | null> {
  const out: Record<string, LegacyInstance | null> = {};
  for (const site of sites) {
    if (site.target.kind !== 'legacy') continue;
    const t = site.target;
    site.names.forEach((n, i) => (out[n.local] = t.instances[i] ?? null));
  }
  return out;
}

describe('an exported instance of a legacy class', () => {
  const found = instancesOf(analysis.sites);
  const at = (rel: string, line: number) => ({ file: path.join(root, rel), line });

  it('is found from `new C()` and from a declared type `C`, in the legacy module itself', () => {
    expect(found['shared']).toEqual({ className: 'OldRouter', evidence: 'new', ...at('src/legacy/router.ts', 4) });
    expect(found['typed']).toEqual({ className: 'OldRouter', evidence: 'type', ...at('src/legacy/router.ts', 5) });
    // `export default new OldRouter()`, and `export { local as aliased }` of a local instance.
    expect(found['router']).toEqual({ className: 'OldRouter', evidence: 'new', ...at('src/legacy/router.ts', 12) });
    expect(found['aliased']).toEqual({ className: 'OldRouter', evidence: 'new', ...at('src/legacy/router.ts', 9) });
  });

  it('is followed through a re-export to a module outside the legacy ones, and that module is an input of the analysis', () => {
    expect(found['elsewhere']).toEqual({
      className: 'OldRouter',
      evidence: 'new',
      ...at('src/shared/instances.ts', 2),
    });
    expect(analysis.dependencies).toContain(path.join(root, 'src/shared/instances.ts'));
  });

  it('is found in declarations (`export declare const router: OldRouter`)', () => {
    expect(found['fromTypes']).toEqual({ className: 'OldRouter', evidence: 'type', ...at('src/legacy/pkg.d.ts', 2) });
  });

  it('is not what the declarations do not prove: a call, another class, a same-named class elsewhere, a constant', () => {
    // `make()` returns an OldRouter, but no declaration says so (the checker is not asked).
    expect(found['made']).toBeNull();
    expect(found['helper']).toBeNull();
    expect(found['lookalike']).toBeNull();
    expect(found['VERSION']).toBeNull();
  });

  it('makes the site a concept site with nothing to map to', () => {
    const sites = analysis.sites.filter((s) => s.target.kind === 'legacy');
    const byLocal = (local: string) => sites.find((s) => s.names.some((n) => n.local === local))!;
    const only = byLocal('router').target;
    expect(only).toMatchObject({ kind: 'legacy', concept: true, mapsTo: [null] });
  });

  it('does not count on a module whose entry lists its names (importNames)', () => {
    expect(found['listedInstance']).toBeNull();
    const listed = analysis.sites.find((s) => s.specifier === '../legacy/listed')!;
    expect(listed.target).toMatchObject({ kind: 'legacy', concept: false });
  });
});
