/** The report model over the core: what is a legacy site, what counts, what can be deleted, merging, baseline. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnalysisContext } from '../../src/core/analyze.js';
import { loadConfig } from '../../src/core/config/load.js';
import { listFiles } from '../../src/core/files.js';
import { recordFromText, hashText, safeRecord } from '../../src/engine/report-worker.js';
import { compareWithBaseline, entryOf, serializeBaseline, type BaselineEntry } from '../../src/report/baseline.js';
import { buildReport } from '../../src/report/build.js';
import { violations } from '../../src/report/derive.js';
import { formatGithub } from '../../src/report/formatters/ci.js';
import { esc, formatHtml } from '../../src/report/formatters/html.js';
import { formatSarif } from '../../src/report/formatters/sarif.js';
import { formatText } from '../../src/report/formatters/text.js';
import { mergeReports } from '../../src/report/merge.js';
import type { Report, Violation } from '../../src/report/types.js';

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

function project(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ssot-report-')));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

/** The report of a project, built in-process from the core's analyses (what the workers do). */
function reportOf(
  root: string,
  extra: { shard?: { index: number; count: number }; filter?: (rel: string) => boolean } = {},
): Report {
  const config = loadConfig({ cwd: root });
  const ctx = createAnalysisContext(config);
  const all = listFiles(config).files;
  const files = extra.filter ? all.filter((f) => extra.filter!(path.relative(root, f))) : all;
  const records = files.map((f) => {
    const text = fs.readFileSync(f, 'utf8');
    return recordFromText(ctx, f, text, hashText(text));
  });
  return buildReport({
    config,
    toolVersion: '0.0.0-test',
    records,
    inScope: all.length,
    missingPaths: [],
    paths: [],
    shard: extra.shard,
  });
}

const config = (legacy: string[]) =>
  JSON.stringify({
    concepts: [{ id: 'router', preset: 'message-router', legacy: legacy.map((module) => ({ module })) }],
  });

describe('what a legacy site is and what counts', () => {
  const files = {
    'ssot.config.json': config([
      'src/old.ts',
      'src/gone.ts',
      'src/unused.ts',
      'src/a.ts',
      'src/b.ts',
      'src/c.ts',
      'src/d.ts',
    ]),
    'src/old.ts': 'export interface RouterOptions { max?: number }\nexport const MessageRouter = 1;\n',
    'src/unused.ts': 'export const nothing = 0;\n',
    'src/a.ts': "import { thing } from './b';\nexport const a = thing;\n",
    'src/b.ts': 'export const thing = 1;\n',
    'src/c.ts': "import { other } from './d';\nexport const MessageRouter = other;\n",
    'src/d.ts': 'export const other = 2;\n',
    'src/use1.ts': "import type { RouterOptions } from './old';\nexport type O = RouterOptions;\n",
    'src/use2.ts': "import './old';\n",
    'src/use3.ts': "import { MessageRouter } from './gone';\nexport const g = MessageRouter;\n",
    'src/use4.ts': "import { MessageRouter } from './c';\nexport const u = MessageRouter;\n",
    'src/use5.ts':
      "import { CanonicalMessageRouter } from 'ssot-kit/router';\nexport const n = CanonicalMessageRouter;\n",
  };

  it('splits concept, non-concept, internal and broken sites; progress and statuses follow', () => {
    const r = reportOf(project(files));
    const c = r.concepts[0]!;
    expect(c.legacySites.map((s) => [s.file, s.form, s.wholeModule, s.missing, s.rule])).toEqual([
      ['src/use2.ts', 'side-effect', true, false, 'no-legacy-import'],
      ['src/use3.ts', 'import', false, true, 'no-missing-legacy-module'],
      ['src/use4.ts', 'import', false, false, 'no-legacy-import'],
    ]);
    expect(c.nonConceptLegacySites.map((s) => [s.file, s.rule])).toEqual([['src/use1.ts', null]]);
    expect(c.internalLegacySites.map((s) => s.file)).toEqual(['src/a.ts', 'src/c.ts']);
    expect(c.canonicalSites.map((s) => [s.file, s.compat])).toEqual([['src/use5.ts', false]]);
    expect(c.summary.progress).toBe(1 / 4);
    expect(Object.fromEntries(c.summary.modules.map((m) => [m.module, m.status]))).toEqual({
      'src/old.ts': 'in-use',
      'src/gone.ts': 'broken',
      'src/unused.ts': 'safe-to-delete',
      // a is imported by nobody; b only by a, which can go: both can go.
      'src/a.ts': 'safe-to-delete',
      'src/b.ts': 'safe-to-delete',
      // c is still imported, so d (imported by c) stays too.
      'src/c.ts': 'in-use',
      'src/d.ts': 'in-use',
    });
    expect(c.summary.safeToDelete).toEqual(['src/unused.ts', 'src/a.ts', 'src/b.ts']);
    expect(c.summary.violations).toBe(3);
    expect(violations(r).map((v) => v.rule)).toEqual([
      'no-legacy-import',
      'no-missing-legacy-module',
      'no-legacy-import',
    ]);
    expect(c.compliant).toBe(false);
  });

  it('an imported instance of the legacy class is a legacy site with no counterpart, in every format', () => {
    // The shape of CambrianTech/continuum: consumers reach the legacy router through an exported instance.
    const root = project({
      'ssot.config.json': config(['src/core/MessageRouter.ts']),
      'src/core/MessageRouter.ts':
        'export class MessageRouter {\n  addHandler(type: string, fn: () => void): void {}\n}\nexport const messageRouter = new MessageRouter();\nexport const LIMIT = 1;\n',
      'src/daemon.ts':
        "import { messageRouter } from './core/MessageRouter';\nmessageRouter.addHandler('chat', () => {});\n",
      'src/limits.ts': "import { LIMIT } from './core/MessageRouter';\nexport const l = LIMIT;\n",
    });
    const r = reportOf(root);
    const c = r.concepts[0]!;
    expect(c.legacySites.map((s) => [s.file, s.concept, s.rule])).toEqual([
      ['src/daemon.ts', true, 'no-legacy-import'],
    ]);
    expect(c.nonConceptLegacySites.map((s) => s.file)).toEqual(['src/limits.ts']);
    const name = c.legacySites[0]!.names[0]!;
    expect(name.mapsTo).toBeNull();
    expect(name.instanceOf).toMatchObject({ className: 'MessageRouter', declaredAt: 'src/core/MessageRouter.ts:4' });
    const reason =
      'messageRouter is an instance of the legacy class MessageRouter (new MessageRouter(), src/core/MessageRouter.ts:4); ' +
      'ssot-kit/router/compat has no counterpart for it: migrate it by hand to getDefaultRouter() (the one process-wide ' +
      'router) or a router of its own from createMessageRouter(options), from ssot-kit/router';
    expect(name.instanceOf!.reason).toBe(reason);
    expect(c.summary).toMatchObject({ legacySites: 1, instanceSites: 1, nonConceptLegacySites: 1, violations: 1 });
    expect(c.compliant).toBe(false);
    expect(r.verdict).not.toBe('compliant');
    expect(c.summary.modules.map((m) => [m.module, m.status])).toEqual([['src/core/MessageRouter.ts', 'in-use']]);
    const [violation] = violations(r);
    expect(violation!.message).toBe(`imports messageRouter from legacy module src/core/MessageRouter.ts; ${reason}`);
    const text = formatText(r, { color: false });
    expect(text).toContain('1 legacy site to go (ssot migrate; 1 by hand: instances of a legacy class)');
    expect(text).toContain('messageRouter (instance of MessageRouter, no counterpart)');
    expect(text).toContain(`        by hand: ${reason}`);
    const sarif = JSON.parse(formatSarif(r)) as { runs: { results: { message: { text: string } }[] }[] };
    expect(sarif.runs[0]!.results.map((x) => x.message.text)).toEqual([violation!.message]);
    expect(formatHtml(r)).toContain(`by hand: ${esc(reason)}`);
    expect(formatGithub(r)).toContain('no counterpart for it: migrate it by hand');
  });

  it('a package is its root entry; a "<package>/*" entry is a module of its own, moving to the same subpath', () => {
    const concept = (legacy: string[]) =>
      JSON.stringify({
        concepts: [
          { id: 'u', canonical: { module: '@canonical/utils' }, legacy: legacy.map((module) => ({ module })) },
        ],
      });
    const use =
      "import { isNode } from '@scope/utils';\nimport type { Linter } from '@scope/utils/ts-eslint';\nexport * from '@scope/utils/ast-utils';\n";
    const rootOnly = reportOf(project({ 'ssot.config.json': concept(['@scope/utils']), 'src/use.ts': use }))
      .concepts[0]!;
    expect(rootOnly.legacySites.map((s) => [s.specifier, s.module])).toEqual([['@scope/utils', '@scope/utils']]);
    const both = reportOf(
      project({ 'ssot.config.json': concept(['@scope/utils', '@scope/utils/*']), 'src/use.ts': use }),
    ).concepts[0]!;
    expect(both.legacySites.map((s) => [s.specifier, s.module, s.names.map((n) => n.mapsTo)])).toEqual([
      ['@scope/utils', '@scope/utils', ['@canonical/utils#isNode']],
      ['@scope/utils/ts-eslint', '@scope/utils/*', ['@canonical/utils/ts-eslint#Linter']],
      ['@scope/utils/ast-utils', '@scope/utils/*', []],
    ]);
    expect(both.summary.modules.map((m) => [m.module, m.legacySites])).toEqual([
      ['@scope/utils', 1],
      ['@scope/utils/*', 2],
    ]);
  });

  it('a concept with one implementation and only non-concept sites left is compliant', () => {
    const r = reportOf(
      project({
        'ssot.config.json': config(['src/old.ts']),
        'src/old.ts': 'export interface RouterOptions { max?: number }\n',
        'src/use.ts': "import type { RouterOptions } from './old';\nexport type O = RouterOptions;\n",
      }),
    );
    expect(r.concepts[0]!.summary).toMatchObject({
      legacySites: 0,
      nonConceptLegacySites: 1,
      duplicates: 0,
      progress: null,
      violations: 0,
      safeToDelete: [],
    });
    expect(r.concepts[0]!.compliant).toBe(true);
    expect(r.verdict).toBe('compliant');
    expect(formatText(r, { color: false })).toContain('Verdict: compliant');
  });

  it('merging shards gives the single report; mismatched or duplicated shards are refused', () => {
    const root = project(files);
    const single = reportOf(root);
    const shards = [1, 2].map((index) =>
      reportOf(root, {
        shard: { index, count: 2 },
        filter: (rel) => (rel.charCodeAt(rel.length - 4) % 2) + 1 === index,
      }),
    );
    const merged = mergeReports(shards.map((report, i) => ({ name: `s${i}`, report })));
    expect(merged).toEqual(single);
    expect(() =>
      mergeReports([
        { name: 'a', report: shards[0]! },
        { name: 'b', report: shards[0]! },
      ]),
    ).toThrow(/given twice/);
    const other = structuredClone(shards[1]!);
    other.scope.configHash = '0000000000000000';
    expect(() =>
      mergeReports([
        { name: 'a', report: shards[0]! },
        { name: 'b', report: other },
      ]),
    ).toThrow(/config differs/);
    expect(() => mergeReports([{ name: 'a', report: single }])).toThrow(/not a shard/);
  });
});

describe('baseline', () => {
  const v = (file: string, fingerprint: string, line = 1): Violation => ({
    rule: 'no-legacy-import',
    conceptId: 'c',
    file,
    line,
    column: 1,
    symbol: 's',
    message: 'm',
    fingerprint,
  });

  it('compares as a multiset of fingerprints', () => {
    const baseline: BaselineEntry[] = [v('a.ts', 'f1'), v('a.ts', 'f1'), v('b.ts', 'f2')].map(entryOf);
    const cmp = compareWithBaseline(
      [v('a.ts', 'f1', 3), v('a.ts', 'f1', 9), v('a.ts', 'f1', 12), v('c.ts', 'f3')],
      baseline,
    );
    expect(cmp.known.map((x) => x.line)).toEqual([3, 9]);
    expect(cmp.added.map((x) => `${x.file}:${x.line}`)).toEqual(['a.ts:12', 'c.ts:1']);
    expect(cmp.fixed.map((e) => e.file)).toEqual(['b.ts']);
  });

  it('serialises sorted, one entry per line, independent of input order', () => {
    const entries = [v('b.ts', 'f2'), v('a.ts', 'f9'), v('a.ts', 'f1')].map(entryOf);
    const text = serializeBaseline(entries);
    expect(text).toBe(serializeBaseline([...entries].reverse()));
    expect(
      text
        .split('\n')
        .filter((l) => l.includes('"fingerprint"'))
        .map((l) => JSON.parse(l.replace(/,$/, '')).fingerprint),
    ).toEqual(['f1', 'f9', 'f2']);
    expect(serializeBaseline([])).toBe('{\n  "schemaVersion": 1,\n  "tool": "ssot-kit",\n  "entries": [\n  ]\n}\n');
    expect(JSON.parse(serializeBaseline([])).entries).toEqual([]);
  });
});

describe('formatters escape what they print', () => {
  it('html escapes code and paths; github escapes workflow-command data and properties', () => {
    expect(esc(`<script>alert("x")</script>&'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
    const root = project({
      'ssot.config.json': config(['src/old.ts']),
      'src/old.ts': 'export const MessageRouter = 1;\n',
      'src/<b>,x:y.ts': "import { MessageRouter } from './old'; // </td>\nexport const z = MessageRouter;\n",
    });
    const r = reportOf(root);
    const html = formatHtml(r);
    expect(html).toContain('src/<wbr>&lt;b&gt;,x:y.ts:1'); // a break opportunity after each folder
    expect(html).not.toContain('<b>,x');
    const gh = formatGithub(r)
      .split('\n')
      .find((l) => l.includes('y.ts'))!;
    expect(gh.startsWith('::error file=src/<b>%2Cx%3Ay.ts,line=1,')).toBe(true);
  });

  it("sarif URIs are relative to the repository: the project's prefix in it comes first", () => {
    const r = reportOf(
      project({
        'ssot.config.json': config(['src/old.ts']),
        'src/old.ts': 'export const MessageRouter = 1;\n',
        'src/use.ts': "import { MessageRouter } from './old';\n",
      }),
    );
    const sarif = JSON.parse(formatSarif(r, { srcRootPrefix: 'packages/app/' }));
    expect(sarif.runs[0].results).toHaveLength(1);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({
      uri: 'packages/app/src/use.ts',
      uriBaseId: '%SRCROOT%',
    });
  });

  it('a file the analysis crashes on is a skip with the reason, listed in the report', () => {
    const root = project({
      'ssot.config.json': config(['src/old.ts']),
      'src/old.ts': '',
      'src/use.ts': "import { MessageRouter } from './old';\n",
    });
    const cfg = loadConfig({ cwd: root });
    const ctx = createAnalysisContext(cfg);
    const broken = {
      ...ctx,
      classifier: {
        classify: () => {
          throw new Error('boom');
        },
      },
    } as unknown as typeof ctx;
    const record = safeRecord(broken, path.join(root, 'src/use.ts'), "import { MessageRouter } from './old';\n", 'h');
    expect(record).toEqual({ file: path.join(root, 'src/use.ts'), skipped: 'analysis failed: boom' });
    const r = buildReport({
      config: cfg,
      toolVersion: 't',
      records: [record],
      inScope: 1,
      missingPaths: [],
      paths: [],
    });
    expect(r.files.skipped).toEqual([{ file: 'src/use.ts', reason: 'analysis failed: boom' }]);
    expect(r.totals.skippedFiles).toBe(1);
  });
});
