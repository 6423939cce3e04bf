/**
 * `ssot report` driven as a user drives it: the built CLI in a child process, on temporary
 * copies of fixtures/demo-app. Expected values come from the demo's known content. Tests that run
 * it many times for what a report holds (compat and safe-to-delete lists, formats, the cache,
 * shards and --merge, html, the errors of a bad config or path) run the built CLI in-process
 * (ssotInProcess: same code, output and exit code); the demo's report, the text output and colours
 * (terminal and environment detection), --output's atomic write and --format's usage error stay
 * child processes.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import AjvModule from 'ajv';
import type { Report } from '../../src/report/types.js';
import {
  ensureBuilt as assertBuilt,
  cleanup,
  copyDemo,
  read,
  REPO as repo,
  ssotInProcess as inProcess,
  ssotSync as ssot,
  type Run,
  tempDir,
  withoutTiming,
  write,
} from '../helpers/index.js';

const Ajv = AjvModule.default ?? AjvModule;

// The demo's free broadcastToUser and getMessageRouter hand their work to the process-wide router:
// a wrapper and a consumer, not implementations (docs/rules/no-duplicate-implementation.md).
const DUPLICATES = [
  ['src/events/event-router.ts', 'ChatMessageRouter'],
  ['src/realtime-shim/connection-hub.ts', 'connectionHub'],
  ['src/websocket/message-router.ts', 'MessageRouter'],
  ['src/websocket/quality-router.ts', 'QualityMessageRouter'],
];

/** Validates against the official SARIF 2.1.0 schema (tests/data, copied from the OASIS repository). */
function expectValidSarif(sarif: unknown): void {
  const schema = JSON.parse(fs.readFileSync(path.join(repo, 'tests/data/sarif-schema-2.1.0.json'), 'utf8'));
  // The OASIS file declares draft-04. Ajv 8 has no draft-04 class, and the only keyword of the
  // file whose meaning differs between draft-04 and draft-07 is the root `id` ($id in draft-07);
  // check that, rename it, and validate with the draft-07 class.
  expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
  expect(JSON.stringify(schema)).not.toMatch(/exclusiveM(in|ax)imum/);
  const { id, $schema: _declared, ...rest } = schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s) && URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///base/'));
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s));
  const validate = ajv.compile({ ...rest, $id: id });
  expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
}

function expectValidReport(r: unknown): void {
  const schema = JSON.parse(fs.readFileSync(path.join(repo, 'schema/ssot.report.schema.json'), 'utf8')) as object;
  const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
  expect(validate(r), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
}

let demo: string;
let report: Report;

function parseReport(r: Run): Report {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

/** `ssot report --format json` by the built CLI in-process. */
async function jsonReport(cwd: string, args: string[] = []): Promise<Report> {
  return parseReport(await inProcess(['report', '--format', 'json', ...args], cwd));
}

beforeAll(() => {
  assertBuilt();
  demo = copyDemo();
  report = parseReport(ssot(['report', '--format', 'json'], demo));
});
afterAll(cleanup);

describe('ssot report on the demo app', () => {
  it('lists exactly the four duplicate implementations, with evidence and fingerprints', () => {
    const concept = report.concepts[0]!;
    expect(concept.id).toBe('message-router');
    expect(concept.duplicates.map((d) => [d.file, d.symbol])).toEqual(DUPLICATES);
    const symbols = concept.duplicates.map((d) => d.symbol);
    expect(symbols).not.toContain('HttpRouter');
    expect(symbols).not.toContain('Notifier');
    for (const d of concept.duplicates) {
      expect(d.evidence.length).toBeGreaterThan(0);
      expect(d.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    }
    // The first line of evidence decides (what it owns and dispatches); names and members only add context.
    const evidence = (symbol: string) => concept.duplicates.find((d) => d.symbol === symbol)!.evidence;
    expect(evidence('connectionHub')[0]).toMatch(
      /^owns `connections`: .* \(filled in `registerConnection`\) and calls `send` on each stored item in `broadcastToUser`$/,
    );
    expect(evidence('connectionHub').join()).toMatch(/shares 5 of 8 members/);
    expect(evidence('QualityMessageRouter')[0]).toMatch(
      /^owns `qualityHandlers`: .* \(filled in `registerHandler`\) and calls each in `routeMessage`$/,
    );
    expect(evidence('QualityMessageRouter')).toContain('extends legacy MessageRouter');
    expect(concept.summary.implementations).toBe(5);
  });

  it('lists legacy sites in every form, by module and by form, and counts follow from the lists', () => {
    const c = report.concepts[0]!;
    const at = (file: string, line: number) => c.legacySites.find((s) => s.file === file && s.line === line);
    expect(at('src/handlers/chat-handler.ts', 1)).toMatchObject({
      form: 'import',
      module: 'src/websocket/message-router.ts',
      rule: 'no-legacy-import',
    });
    expect(at('src/legacy/metrics.js', 2)).toMatchObject({ form: 'require', module: 'src/services/broadcast.ts' });
    expect(at('src/__tests__/chat-handler.test.ts', 4)).toMatchObject({ form: 'mock', wholeModule: true });
    expect(at('src/server.ts', 3)).toMatchObject({ form: 'import', wholeModule: true });
    expect(at('src/handlers/chat-handler.ts', 1)!.names).toEqual([
      {
        imported: 'MessageRouter',
        local: 'MessageRouter',
        typeOnly: false,
        mapsTo: 'ssot-kit/router/compat#MessageRouter',
        instanceOf: null,
      },
    ]);
    // Counts are the lists' lengths; by-module and by-form add up to the total.
    expect(c.summary.legacySites).toBe(c.legacySites.length);
    expect(c.summary.legacyByModule.reduce((n, m) => n + m.count, 0)).toBe(c.legacySites.length);
    expect(c.summary.legacyByForm.reduce((n, m) => n + m.count, 0)).toBe(c.legacySites.length);
    expect(c.summary.violations).toBe(c.duplicates.length + c.legacySites.length);
    expect(report.totals.violations).toBe(c.summary.violations);
  });

  it('keeps non-concept imports apart: listed, not counted as legacy sites or violations', async () => {
    // The demo migrates completely, so it imports no name outside the concept: add one.
    const project = copyDemo();
    write(
      project,
      'src/version.ts',
      "import type { RouterOptions } from './websocket/message-router';\nexport const defaults: RouterOptions = {};\n",
    );
    const r = await jsonReport(project);
    const c = r.concepts[0]!;
    expect(c.nonConceptLegacySites.map((s) => `${s.file}:${s.line}`)).toEqual(['src/version.ts:1']);
    const site = c.nonConceptLegacySites[0]!;
    expect(site.rule).toBeNull();
    expect(site.names.map((n) => n.mapsTo)).toEqual([null]);
    expect(c.legacySites.some((s) => s.file === 'src/version.ts')).toBe(false);
    expect(c.summary.violations).toBe(report.concepts[0]!.summary.violations);
    // ... but it keeps its module in use.
    expect(c.summary.modules.find((m) => m.module === 'src/websocket/message-router.ts')!.nonConceptSites).toBe(1);
  });

  it('reports an import of the deleted broadcaster as a break, never a pass', () => {
    const c = report.concepts[0]!;
    const broken = c.legacySites.filter((s) => s.missing);
    expect(broken.map((s) => `${s.file}:${s.line}`)).toEqual(['src/jobs/digest.ts:1']);
    expect(broken[0]!.rule).toBe('no-missing-legacy-module');
    expect(c.summary.missingModuleImports).toBe(1);
    expect(c.summary.modules.find((m) => m.module === 'src/realtime/ws-broadcaster.ts')!.status).toBe('broken');
    expect(c.compliant).toBe(false);
    expect(report.verdict).toBe('not-compliant');
  });

  it('progress = canonical / (canonical + legacy), files parsed vs prefiltered, scope', () => {
    const c = report.concepts[0]!;
    expect(c.summary.canonicalSites).toBe(0);
    expect(c.summary.progress).toBe(0);
    expect(report.files.scanned).toBe(report.files.parsed + report.files.prefilterEmpty);
    expect(report.files.prefilterEmpty).toBeGreaterThan(0); // e.g. src/types/chat.ts
    expect(report.files.inScope).toBe(report.files.scanned);
    expect(report.scope).toMatchObject({ config: 'ssot.config.json', partial: false, shard: null, changedSince: null });
    expect(report.scope.root).toBe(fs.realpathSync(demo));
  });

  it('counts canonical and compat sites, with the stage-2 replacement of each compat name', async () => {
    const project = copyDemo();
    write(
      project,
      'src/handlers/chat-handler.ts',
      read(project, 'src/handlers/chat-handler.ts').replace(
        "from '../websocket/message-router'",
        "from 'ssot-kit/router/compat'",
      ),
    );
    write(
      project,
      'src/new-feature.ts',
      "import { CanonicalMessageRouter } from 'ssot-kit/router';\nexport const r = CanonicalMessageRouter;\n",
    );
    const r = await jsonReport(project);
    const c = r.concepts[0]!;
    expect(c.summary.canonicalSites).toBe(2);
    expect(c.summary.compatSites).toBe(1);
    expect(c.summary.compatNames).toEqual([{ name: 'MessageRouter', count: 1, replacement: 'CanonicalMessageRouter' }]);
    // Between the stages the compat layer is in use; before them stage 1 still needs it.
    expect(c.summary.compatModule).toEqual({ module: 'ssot-kit/router/compat', sites: 1, status: 'in-use' });
    expect(report.concepts[0]!.summary.compatModule).toEqual({
      module: 'ssot-kit/router/compat',
      sites: 0,
      status: 'pending',
    });
    expect(c.summary.legacySites).toBe(report.concepts[0]!.summary.legacySites - 1);
    expect(c.summary.progress).toBeCloseTo(2 / (2 + c.summary.legacySites), 10);
  });

  it('names a legacy module nobody imports any more as safe to delete', async () => {
    const project = copyDemo();
    // Move the two importers of event-router to the compat layer.
    for (const file of ['src/admin/console.ts', 'src/handlers/presence-handler.ts']) {
      write(
        project,
        file,
        read(project, file).replace(
          /import \{ ChatMessageRouter \} from '..\/events\/event-router(\.js)?';/,
          "import { WebSocketEventRouter as ChatMessageRouter } from 'ssot-kit/router/compat';",
        ),
      );
    }
    const before = report.concepts[0]!.summary.modules.find((m) => m.module === 'src/events/event-router.ts')!;
    expect(before.status).toBe('in-use');
    const c = (await jsonReport(project)).concepts[0]!;
    const importers = [...c.legacySites, ...c.nonConceptLegacySites].filter(
      (s) => s.module === 'src/events/event-router.ts',
    );
    expect(importers).toEqual([]);
    expect(c.summary.safeToDelete).toContain('src/events/event-router.ts');
  });
});

describe('formats', () => {
  it('text: grouped, no colour with NO_COLOR, every section present', () => {
    const r = ssot(['report'], demo);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/\u001b\[/);
    for (const s of [
      'Duplicate implementations (4)',
      'Legacy import sites',
      'Canonical import sites (0)',
      'safe to delete',
      'Verdict: not compliant',
      'proven empty by the text prefilter',
    ]) {
      expect(r.stdout).toContain(s);
    }
    // The two stages, and the compat layer between them.
    for (const s of [
      'stages: legacy -> compat 13 legacy sites to go (ssot migrate) · compat -> canonical after stage 1',
      'Compat layer',
      'needed by stage 1',
    ]) {
      expect(r.stdout).toContain(s);
    }
    expect(r.stdout).toContain('src/jobs/digest.ts:1');
    const colored = ssot(['report'], demo, { NO_COLOR: '', FORCE_COLOR: '1' });
    expect(colored.stdout).toMatch(/\u001b\[/);
  });

  it('json: valid against schema/ssot.report.schema.json (and the schema rejects a broken report)', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(repo, 'schema/ssot.report.schema.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: true });
    const validate = ajv.compile(schema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const broken = structuredClone(report) as unknown as { concepts: { legacySites: { form: string }[] }[] };
    broken.concepts[0]!.legacySites[0]!.form = 'teleport';
    expect(validate(broken)).toBe(false);
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
      exports: Record<string, string>;
    };
    expect(pkg.exports['./report-schema.json']).toBe('./schema/ssot.report.schema.json');
  });

  it('sarif: valid SARIF 2.1.0 with rule metadata, partial fingerprints and %SRCROOT% URIs', async () => {
    const out = await inProcess(['report', '--format', 'sarif'], demo);
    expect(out.code, out.stderr).toBe(0);
    const sarif = JSON.parse(out.stdout);
    expectValidSarif(sarif);

    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual([
      'ssot/no-duplicate-implementation',
      'ssot/no-legacy-import',
      'ssot/no-missing-legacy-module',
    ]);
    for (const rule of run.tool.driver.rules) {
      expect(rule.helpUri).toMatch(/^https:\/\//);
      expect(rule.shortDescription.text.length).toBeGreaterThan(0);
    }
    expect(run.results).toHaveLength(report.totals.violations);
    const dup = run.results.find(
      (r: { ruleId: string; message: { text: string } }) =>
        r.ruleId === 'ssot/no-duplicate-implementation' && r.message.text.startsWith('connectionHub'),
    );
    expect(dup.partialFingerprints['ssotFingerprint/v1']).toBe(
      report.concepts[0]!.duplicates.find((d) => d.symbol === 'connectionHub')!.fingerprint,
    );
    expect(dup.locations[0].physicalLocation.artifactLocation).toEqual({
      uri: 'src/realtime-shim/connection-hub.ts',
      uriBaseId: '%SRCROOT%',
    });
    expect(run.results.filter((r: { ruleId: string }) => r.ruleId === 'ssot/no-missing-legacy-module')).toHaveLength(1);
    // A result's ruleIndex points at its rule.
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
  });

  it('json and sarif stay valid with parse errors, unreadable files, compat sites and shards', async () => {
    const project = copyDemo();
    write(project, 'src/broken.ts', "import { broadcastToUser } from './services/broadcast';\nexport const = ;\n");
    fs.writeFileSync(path.join(project, 'src/blob.ts'), Buffer.from([0x63, 0x00, 0x01]));
    write(
      project,
      'src/handlers/chat-handler.ts',
      read(project, 'src/handlers/chat-handler.ts').replace(
        "from '../websocket/message-router'",
        "from 'ssot-kit/router/compat'",
      ),
    );
    const r = await jsonReport(project);
    expect(r.files.skipped).toEqual([{ file: 'src/blob.ts', reason: 'binary file (contains a NUL byte)' }]);
    expect(r.files.parseErrors.length).toBeGreaterThan(0);
    expect(r.concepts[0]!.summary.compatSites).toBe(1);
    expectValidReport(r);
    expectValidReport(await jsonReport(project, ['--shard', '2/2']));
    const sarif = JSON.parse((await inProcess(['report', '--format', 'sarif'], project)).stdout);
    expectValidSarif(sarif);
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications.map(
      (n: { message: { text: string } }) => n.message.text,
    );
    expect(notes).toContain('skipped: binary file (contains a NUL byte)');
    expect(notes.some((t: string) => t.startsWith('parse error: '))).toBe(true);
  });

  it('markdown, junit and github annotations carry every violation', async () => {
    const md = (await inProcess(['report', '--format', 'markdown'], demo)).stdout;
    expect(md).toMatch(/^## ssot report: ❌ not compliant/);
    expect(md).toContain('| message-router | ❌ | 0% | 5 | 4 |');
    expect(md).toContain('`src/jobs/digest.ts:1` ⚠️ broken');

    const junit = (await inProcess(['report', '--format', 'junit'], demo)).stdout;
    expect(junit).toMatch(/^<\?xml/);
    expect((junit.match(/<failure /g) ?? []).length).toBe(report.totals.violations);
    expect(junit).toContain(`failures="${report.totals.violations}"`);

    const gh = (await inProcess(['report', '--format', 'github'], demo)).stdout.trim().split('\n');
    const errors = gh.filter((l) => l.startsWith('::error '));
    expect(errors).toHaveLength(report.totals.violations);
    expect(errors).toContain(
      '::error file=src/jobs/digest.ts,line=1,col=43,title=ssot/no-missing-legacy-module::imports WebSocketBroadcastService from legacy module src/realtime/ws-broadcaster.ts, which no longer exists: this import is broken',
    );
    expect(gh.at(-1)).toMatch(/^::notice title=ssot report::not-compliant/);
  });

  it('html: one self-contained page with progress bars and tables, no external requests', async () => {
    const out = path.join(tempDir(), 'report.html');
    const r = await inProcess(['report', '--format', 'html', '--output', out], demo);
    expect(r.code, r.stderr).toBe(0);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('role="progressbar"');
    expect(html).toContain('Duplicate implementations (4)');
    expect(html).toContain('connectionHub');
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)=["']?https?:/i);
    expect(html).toContain("default-src 'none'");
  });

  it('--output writes atomically (no temp file left) and --format rejects unknown names with exit 2', () => {
    const dir = tempDir();
    const r = ssot(['report', '--format', 'json', '--output', path.join(dir, 'r.json')], demo);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['r.json']);
    const bad = ssot(['report', '--format', 'pdf'], demo);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format must be one of/);
  });

  it('--concept keeps one concept; an unknown id is a usage error', async () => {
    expect((await jsonReport(demo, ['--concept', 'message-router'])).concepts).toHaveLength(1);
    const r = await inProcess(['report', '--concept', 'nope'], demo);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no concept "nope"');
  });
});

describe('errors and problems are reported, never dropped', () => {
  it('a bad config exits 2 with the key path in stderr', async () => {
    const project = copyDemo();
    write(
      project,
      'ssot.config.json',
      JSON.stringify({ concepts: [{ id: 'x', preset: 'message-router', legacy: [{ module: 5 }] }] }),
    );
    const r = await inProcess(['report'], project);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('concepts[0].legacy[0].module');
    expect(r.stdout).toBe('');
  });

  it('a file that does not parse is listed with its position', async () => {
    const project = copyDemo();
    write(project, 'src/broken.ts', "import { MessageRouter } from './websocket/message-router';\nexport const = ;\n");
    const r = await jsonReport(project);
    const errors = r.files.parseErrors.filter((p) => p.file === 'src/broken.ts');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ line: 2, column: 14 });
    // Still analysed as far as the parser recovered: its legacy import counts.
    expect(r.concepts[0]!.legacySites.some((s) => s.file === 'src/broken.ts')).toBe(true);
    const text = (await inProcess(['report'], project)).stdout;
    expect(text).toMatch(/parse error src\/broken\.ts:2:14: /);
  });

  it('a path that does not exist is an error (exit 2) that names it, never a verdict', async () => {
    const r = await inProcess(['report', '--format', 'json', 'src/nope'], demo);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no such file or folder: src\/nope/);
  });
});

describe('speed features: cache, shards, changed files', () => {
  it('--cache: a warm re-run answers every file from the cache; a change re-analyses only that file', async () => {
    const project = copyDemo();
    const cacheDir = path.join(tempDir(), 'cache');
    const cold = await jsonReport(project, ['--cache-location', cacheDir]);
    expect(cold.timing).toMatchObject({
      cacheHits: 0,
      cacheMisses: cold.files.scanned,
      analysedFiles: cold.files.scanned,
    });
    const warm = await jsonReport(project, ['--cache-location', cacheDir]);
    expect(warm.timing).toMatchObject({ cacheHits: warm.files.scanned, cacheMisses: 0, analysedFiles: 0 });
    expect(withoutTiming(warm)).toEqual(withoutTiming(cold));

    write(project, 'src/server.ts', '// edited\n' + read(project, 'src/server.ts'));
    const edited = await jsonReport(project, ['--cache-location', cacheDir]);
    expect(edited.timing).toMatchObject({ cacheHits: cold.files.scanned - 1, cacheMisses: 1 });
    expect(edited.concepts[0]!.legacySites.filter((s) => s.file === 'src/server.ts').map((s) => s.line)).toEqual(
      cold.concepts[0]!.legacySites.filter((s) => s.file === 'src/server.ts').map((s) => s.line + 1),
    );

    // A new file changes what resolves: everything is analysed again.
    write(project, 'src/extra.ts', 'export const x = 1;\n');
    const added = await jsonReport(project, ['--cache-location', cacheDir]);
    expect(added.timing).toMatchObject({ cacheHits: 0, cacheMisses: added.files.scanned });
    // So does a tsconfig edit (it steers resolution).
    write(project, 'tsconfig.json', read(project, 'tsconfig.json').replace('"strict": true', '"strict": false'));
    const retargeted = await jsonReport(project, ['--cache-location', cacheDir]);
    expect(retargeted.timing).toMatchObject({ cacheHits: 0, cacheMisses: added.files.scanned });
  });

  it('--cache: deleting the legacy module a file imports is seen on a warm run', async () => {
    const project = copyDemo();
    const cacheDir = path.join(tempDir(), 'cache');
    await jsonReport(project, ['--cache-location', cacheDir]);
    fs.rmSync(path.join(project, 'src/services/broadcast.ts'));
    const after = await jsonReport(project, ['--cache-location', cacheDir]);
    const fresh = await jsonReport(project);
    expect(withoutTiming(after)).toEqual(withoutTiming(fresh));
    expect(
      after.concepts[0]!.legacySites.filter((s) => s.module === 'src/services/broadcast.ts').every((s) => s.missing),
    ).toBe(true);
  });

  it('--cache: a corrupt cache is ignored with a warning', async () => {
    const project = copyDemo();
    const cacheDir = path.join(tempDir(), 'cache');
    fs.mkdirSync(cacheDir);
    fs.writeFileSync(path.join(cacheDir, 'report-cache.json'), '{"format":1,"key":"x","entr');
    const r = await inProcess(['report', '--format', 'json', '--cache-location', cacheDir], project);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: ignoring corrupt cache/);
    expect(withoutTiming(JSON.parse(r.stdout))).toEqual(withoutTiming(await jsonReport(project)));
    // ... and rewritten: the next run takes it without a warning.
    const again = await inProcess(['report', '--format', 'json', '--cache-location', cacheDir], project);
    expect(again.stderr).not.toMatch(/warning/);
    expect(withoutTiming(JSON.parse(again.stdout))).toEqual(withoutTiming(JSON.parse(r.stdout)));
  });

  it('--cache without a location uses .ssot-cache (no node_modules in the project)', async () => {
    const project = copyDemo();
    await jsonReport(project, ['--cache']);
    expect(fs.existsSync(path.join(project, '.ssot-cache/report-cache.json'))).toBe(true);
  });

  it('--shard i/n and --merge: the merged shards equal a single run', async () => {
    const project = copyDemo();
    const dir = tempDir();
    const parts: string[] = [];
    let scanned = 0;
    for (let i = 1; i <= 3; i++) {
      const file = path.join(dir, `shard-${i}.json`);
      const r = await inProcess(['report', '--format', 'json', '--shard', `${i}/3`, '--output', file], project);
      expect(r.code, r.stderr).toBe(0);
      const shard = JSON.parse(fs.readFileSync(file, 'utf8')) as Report;
      expect(shard.scope).toMatchObject({ shard: { index: i, count: 3 }, partial: true });
      expect(shard.concepts[0]!.summary.safeToDelete).toBeNull();
      scanned += shard.files.scanned;
      parts.push(file);
    }
    const single = await jsonReport(project);
    expect(scanned).toBe(single.files.scanned);
    const merged = await inProcess(['report', '--format', 'json', '--merge', ...parts.reverse()], project);
    expect(merged.code, merged.stderr).toBe(0);
    expect(withoutTiming(JSON.parse(merged.stdout))).toEqual(withoutTiming(single));
    // The merge renders in any format.
    expect((await inProcess(['report', '--format', 'text', '--merge', ...parts], project)).stdout).toContain(
      'Duplicate implementations (4)',
    );
    // A missing shard is an error, not a smaller report.
    const missing = await inProcess(['report', '--format', 'json', '--merge', parts[0]!, parts[1]!], project);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing shard/);
  });

  it('--changed-since: only files changed since the ref, plus untracked files', async () => {
    const project = copyDemo();
    const git = (...args: string[]) =>
      execFileSync(
        'git',
        ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args],
        { cwd: project, stdio: 'pipe' },
      );
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    write(project, 'src/handlers/chat-handler.ts', read(project, 'src/handlers/chat-handler.ts') + '\n// touched\n');
    write(
      project,
      'src/fresh.ts',
      "import { broadcastToUser } from './services/broadcast';\nexport const f = broadcastToUser;\n",
    );
    const r = await jsonReport(project, ['--changed-since', 'HEAD']);
    expect(r.scope).toMatchObject({ changedSince: 'HEAD', partial: true });
    expect(r.files.scanned).toBe(2);
    expect([...new Set(r.concepts[0]!.legacySites.map((s) => s.file))].sort()).toEqual([
      'src/fresh.ts',
      'src/handlers/chat-handler.ts',
    ]);
    expect(r.concepts[0]!.duplicates).toEqual([]);
    expect(r.concepts[0]!.summary.safeToDelete).toBeNull();
    const bad = await inProcess(['report', '--changed-since', 'no-such-ref'], project);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no-such-ref/);
  });

  it('--history appends one JSON line per run; the html charts it', async () => {
    const project = copyDemo();
    const history = path.join(tempDir(), 'history.jsonl');
    await inProcess(['report', '--format', 'json', '--history', history], project);
    const html = path.join(tempDir(), 'r.html');
    await inProcess(['report', '--format', 'html', '--history', history, '--output', html], project);
    const lines = fs
      .readFileSync(history, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      commit: null,
      concepts: { 'message-router': { duplicates: 4, canonicalSites: 0, progress: 0 } },
    });
    expect(Date.parse(lines[0].timestamp)).not.toBeNaN();
    expect(fs.readFileSync(html, 'utf8')).toContain('aria-label="progress over time for message-router"');
  });
});
