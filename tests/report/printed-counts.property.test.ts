/**
 * Every count the tool prints is the number of items it lists next to it: random projects
 * (fast-check), then every report format, `check`'s outputs and `migrate`'s summary are read back
 * and each printed number is recounted from the printed list. `migrate` and the report must also
 * agree site by site: what the report lists as a concept site, migrate rewrites or refuses; what
 * it lists as non-concept, migrate keeps.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCheckGithub, formatCheckJson, formatCheckText, type CheckOutcome } from '../../src/cli/actions/check.js';
import { createAnalysisContext } from '../../src/core/analyze.js';
import { loadConfig } from '../../src/core/config/load.js';
import { listFiles } from '../../src/core/files.js';
import { hashText, safeRecord } from '../../src/engine/report-worker.js';
import { migrate, summarize } from '../../src/migrate/run.js';
import { compareWithBaseline, entryOf, type BaselineEntry } from '../../src/report/baseline.js';
import { buildReport } from '../../src/report/build.js';
import { violations } from '../../src/report/derive.js';
import { formatGithub, formatJunit, formatMarkdown } from '../../src/report/formatters/ci.js';
import { formatHtml } from '../../src/report/formatters/html.js';
import { formatSarif } from '../../src/report/formatters/sarif.js';
import { formatText } from '../../src/report/formatters/text.js';
import type { Report } from '../../src/report/types.js';
import { readSourceFile } from '../../src/shared/source-file.js';
import { cleanup, makeProject } from '../helpers/index.js';

afterAll(cleanup);

// ---- random projects ------------------------------------------------------------------------------

const CONFIG = {
  concepts: [
    {
      id: 'router',
      canonical: { module: 'src/canonical/router.ts', names: ['Router'] },
      compat: { module: 'src/canonical/compat.ts', replacements: { OldRouter: 'Router', makeRouter: 'createRouter' } },
      legacy: [
        { module: 'src/legacy/a.ts', names: { OldRouter: 'OldRouter', makeRouter: 'makeRouter' } },
        { module: 'src/legacy/b.ts' },
        { module: 'src/legacy/gone.ts', names: { GoneRouter: 'OldRouter' } },
        { module: 'src/legacy/c.ts', importNames: ['OldRouter'], allowTypeImports: true },
      ],
      detect: { names: ['OldRouter', '/Router$/'], members: ['route', 'addHandler', 'removeHandler'], minMembers: 2 },
    },
  ],
};

/** What each legacy module exports (gone.ts does not exist: its importers are broken). */
const EXPORTS: Record<string, string[]> = {
  // `shared` is an instance of the legacy class (a concept use with no counterpart), b re-exports it.
  a: ['OldRouter', 'makeRouter', 'VERSION', 'Options', 'shared'],
  b: ['OldRouter', 'helper', 'shared'],
  gone: ['GoneRouter', 'other'],
  c: ['OldRouter', 'util', 'Options'],
};

const module = fc.constantFrom('a', 'b', 'gone', 'c');

const statement = fc.oneof(
  fc.record({
    kind: fc.constant('named' as const),
    module,
    pick: fc.uniqueArray(fc.nat(4), { minLength: 1, maxLength: 3 }),
    typeOnly: fc.boolean(),
  }),
  fc.record({
    kind: fc.constantFrom(
      'namespace',
      'side-effect',
      'export-all',
      'require',
      'dynamic',
      'mock',
      'default',
      'export-from' as const,
    ),
    module,
  }),
  fc.record({ kind: fc.constantFrom('canonical', 'compat', 'duplicate', 'shape' as const), module: fc.constant('a') }),
);

const projectShape = fc.record({
  files: fc.array(fc.array(statement, { minLength: 0, maxLength: 5 }), { minLength: 1, maxLength: 6 }),
  defaultExport: fc.boolean(),
  transition: fc.boolean(),
  binary: fc.boolean(),
  broken: fc.boolean(),
});

type Statement = typeof statement extends fc.Arbitrary<infer T> ? T : never;

function render(s: Statement, i: number, body: string[]): string {
  const from = `'../legacy/${s.module}'`;
  const names = EXPORTS[s.module]!;
  switch (s.kind) {
    case 'named': {
      const picked = s.pick.map((p) => names[p % names.length]!).filter((n, k, all) => all.indexOf(n) === k);
      return `import ${s.typeOnly ? 'type ' : ''}{ ${picked.map((n) => `${n} as ${n}_${i}`).join(', ')} } from ${from};`;
    }
    case 'namespace':
      return `import * as ns${i} from ${from};`;
    case 'side-effect':
      return `import ${from};`;
    case 'export-all':
      return `export * from ${from};`;
    case 'export-from':
      return `export { ${names[0]} as ${names[0]}_${i} } from ${from};`;
    case 'require':
      return `const { ${names[1]}: r${i} } = require(${from});`;
    case 'dynamic':
      body.push(`export const load${i} = () => import(${from});`);
      return '';
    case 'mock':
      body.push(`vi.mock(${from});`);
      return '';
    case 'default':
      return `import d${i} from ${from};`;
    case 'canonical':
      return `import { Router as R${i} } from '../canonical/router';`;
    case 'compat':
      return `import { OldRouter as C${i}, makeRouter as M${i} } from '../canonical/compat';`;
    case 'duplicate':
      body.push(`export class Local${i}Router {}`);
      return '';
    case 'shape':
      body.push(`export const hub${i} = { route() {}, addHandler() {} };`);
      return '';
  }
}

function writeProject(shape: typeof projectShape extends fc.Arbitrary<infer T> ? T : never): string {
  const files: Record<string, string> = {
    'ssot.config.json': JSON.stringify(CONFIG),
    'src/canonical/router.ts': `export class Router {}\nexport function createRouter(): Router { return new Router(); }\n${shape.transition ? "export { helper } from '../legacy/b';\n" : ''}`,
    'src/canonical/compat.ts': "export { Router as OldRouter, createRouter as makeRouter } from './router';\n",
    'src/legacy/a.ts': `export class OldRouter { route() {} addHandler() {} }\nexport function makeRouter() { return new OldRouter(); }\nexport const VERSION = 1;\nexport interface Options { x?: number }\nexport const shared = new OldRouter();\n${shape.defaultExport ? 'export default OldRouter;\n' : ''}`,
    'src/legacy/b.ts': "export { OldRouter, shared } from './a';\nexport const helper = 2;\n",
    'src/legacy/c.ts': 'export const OldRouter = 3;\nexport const util = 4;\nexport type Options = { y?: number };\n',
    'src/types.d.ts': 'declare const vi: { mock(path: string): void };\ndeclare function require(path: string): any;\n',
  };
  shape.files.forEach((statements, f) => {
    const body: string[] = [];
    const imports = statements.map((s, i) => render(s, f * 10 + i, body)).filter(Boolean);
    files[`src/app/file${f}.ts`] = [...imports, ...body, 'export {};', ''].join('\n');
  });
  if (shape.broken) files['src/app/broken.ts'] = "import { OldRouter } from '../legacy/a';\nexport const x = ;\n";
  const root = makeProject(files, 'counts');
  if (shape.binary) fs.writeFileSync(path.join(root, 'src/app/blob.js'), Buffer.from([0x2f, 0x2f, 0x00, 0x01, 0x0a]));
  return root;
}

function reportOf(root: string): Report {
  const config = loadConfig({ cwd: root });
  const ctx = createAnalysisContext(config);
  const files = listFiles(config).files;
  const records = files.map((f) => {
    const source = readSourceFile(f, { allowInvalidUtf8: true });
    return source.ok ? safeRecord(ctx, f, source.text, hashText(source.text)) : { file: f, skipped: source.reason };
  });
  return buildReport({
    config,
    toolVersion: '0.0.0-test',
    records,
    inScope: files.length,
    missingPaths: [],
    paths: [],
  });
}

// ---- reading the outputs back ----------------------------------------------------------------------

const num = (text: string, re: RegExp): number => {
  const m = re.exec(text);
  if (!m) throw new Error(`not printed: ${re} in\n${text}`);
  return Number(m[1]);
};

/** The item lines under a text section header `title (N)`: 4-space lines with file:line, up to the blank line. */
function textSection(
  lines: readonly string[],
  title: RegExp,
): { count: number; items: string[]; subs: string[] } | undefined {
  const at = lines.findIndex((l) => title.test(l));
  if (at < 0) return undefined;
  const count = Number(/\((\d+)\)/.exec(lines[at]!.replace(title, (m) => m))![1]);
  const items: string[] = [];
  const subs: string[] = [];
  for (let i = at + 1; i < lines.length && lines[i] !== ''; i++) {
    const l = lines[i]!;
    if (/^ {4}\S+:\d+ {2}/.test(l)) items.push(l);
    else if (/^ {6}\S/.test(l)) subs.push(l);
  }
  return { count, items, subs };
}

function checkText(report: Report): void {
  const text = formatText(report, { color: false });
  const lines = text.split('\n');
  const files = lines.find((l) => l.startsWith('files: '))!;
  expect(num(files, /(\d+) skipped files?/)).toBe(lines.filter((l) => l.startsWith('  skipped ')).length);
  expect(num(files, /(\d+) parse errors?/)).toBe(lines.filter((l) => l.startsWith('  parse error ')).length);
  let duplicates = 0;
  let legacy = 0;
  let broken = 0;
  let nonConcept = 0;
  let transition = 0;
  let canonical = 0;
  let compat = 0;
  let violationsSeen = 0;
  for (const concept of report.concepts) {
    const start = lines.findIndex((l) => l.startsWith(`Concept ${concept.id}`));
    const end = lines.findIndex((l, i) => i > start && (l.startsWith('Concept ') || l.startsWith('Totals: ')));
    const block = lines.slice(start, end);
    const dups = textSection(block, /^ {2}Duplicate implementations \(\d+\)/)!;
    expect(dups.items).toHaveLength(dups.count);
    expect(num(block.join('\n'), /implementations: (\d+) \(the canonical module/)).toBe(dups.items.length + 1);
    const leg = textSection(block, /^ {2}Legacy import sites \(\d+\)/)!;
    expect(leg.items).toHaveLength(leg.count);
    // Each listed site is an item line and one line below it (module and names; BROKEN marks a break).
    expect(leg.subs).toHaveLength(leg.items.length);
    const legBroken = leg.subs.filter((l) => l.includes('BROKEN')).length;
    const header = block.find((l) => l.startsWith('  Legacy import sites ('))!;
    expect(/, (\d+) on deleted modules/.test(header) ? num(header, /, (\d+) on deleted modules/) : 0).toBe(legBroken);
    const moduleOf = (sub: string): string => sub.trim().slice(0, sub.trim().indexOf(': '));
    const byModule = block.find((l) => l.startsWith('    by module: '));
    if (byModule) {
      for (const part of byModule.slice('    by module: '.length).split(', ')) {
        const [name, n] = [part.slice(0, part.lastIndexOf(' ')), Number(part.slice(part.lastIndexOf(' ') + 1))];
        expect(leg.subs.filter((s) => moduleOf(s) === name)).toHaveLength(n);
      }
      for (const part of block
        .find((l) => l.startsWith('    by form: '))!
        .slice('    by form:   '.length)
        .split(', ')) {
        const [form, n] = part.split(' ');
        expect(leg.items.filter((l) => l.split('  ')[3] === form)).toHaveLength(Number(n));
      }
    } else expect(leg.items).toHaveLength(0);
    const non = textSection(block, /^ {2}Non-concept imports still on legacy modules \(\d+\)/);
    if (non) expect(non.items).toHaveLength(non.count);
    const nonItems = non?.items ?? [];
    const internal = textSection(block, /^ {2}Imports inside legacy modules \(\d+\)/);
    if (internal) expect(internal.items).toHaveLength(internal.count);
    const trans = textSection(block, /^ {2}Transition: .* \(\d+\)/);
    if (trans) expect(trans.items).toHaveLength(trans.count);
    const can = textSection(block, /^ {2}Canonical import sites \(\d+\)/)!;
    expect(can.items).toHaveLength(can.count);
    const canHeader = block.find((l) => l.startsWith('  Canonical import sites ('))!;
    const compatLines = can.items.filter((l) => l.includes(' (compat)'));
    expect(num(canHeader, /, (\d+) on the compat layer/)).toBe(compatLines.length);
    for (const l of block.filter((x) => x.startsWith('    compat name '))) {
      const name = /compat name (\S+) used/.exec(l)![1]!;
      expect(num(l, /used (\d+) times?/)).toBe(
        compatLines.filter((c) => c.split('  ').pop()!.split(', ').includes(name)).length,
      );
    }
    // Sites that take an instance of the legacy class: each says why below it, and the stage line counts them.
    const byHand = block.filter((l) => l.startsWith('        by hand: ')).length;
    const stages = block.find((l) => l.startsWith('  stages: '))!;
    expect(/(\d+) by hand/.test(stages) ? num(stages, /(\d+) by hand/) : 0).toBe(byHand);
    const progress = block.find((l) => l.startsWith('  migration progress: '))!;
    expect(num(progress, /= (\d+) canonical \//)).toBe(can.items.length);
    expect(num(progress, /\+ (\d+) legacy\)/)).toBe(leg.items.length);
    // Legacy modules: each line's counts are the items listed for that module.
    const nonSubs = non?.subs ?? [];
    for (const m of concept.summary.modules) {
      const line = block.find((l) => l.startsWith(`    ${m.module} `) && / sites?, /.test(l))!;
      expect(num(line, /(\d+) sites?, /)).toBe(leg.subs.filter((s) => moduleOf(s) === m.module).length);
      expect(num(line, /, (\d+) non-concept/)).toBe(nonSubs.filter((s) => moduleOf(s) === m.module).length);
      expect(num(line, /, (\d+) from legacy modules/)).toBe(
        (internal?.items ?? []).filter((l) => l.endsWith(`(${m.module})`)).length,
      );
      const fromCanonical = (trans?.items ?? []).filter((l) => l.endsWith(`(${m.module})`)).length;
      if (fromCanonical > 0) expect(num(line, /, (\d+) from the canonical module/)).toBe(fromCanonical);
      else expect(line).not.toContain('from the canonical module');
    }
    duplicates += dups.items.length;
    legacy += leg.items.length;
    const nonBroken = (non?.subs ?? []).filter((l) => l.includes('BROKEN')).length;
    broken += legBroken + nonBroken;
    nonConcept += nonItems.length;
    transition += trans?.items.length ?? 0;
    canonical += can.items.length;
    compat += compatLines.length;
    violationsSeen += dups.items.length + leg.items.length + nonBroken;
  }
  const totals = lines.find((l) => l.startsWith('Totals: '))!;
  expect(num(totals, /(\d+) duplicates?,/)).toBe(duplicates);
  expect(num(totals, /(\d+) legacy sites?,/)).toBe(legacy);
  expect(num(totals, /(\d+) broken imports?,/)).toBe(broken);
  expect(num(totals, /(\d+) non-concept/)).toBe(nonConcept);
  expect(num(totals, /(\d+) transition/)).toBe(transition);
  expect(num(totals, /(\d+) canonical sites?/)).toBe(canonical);
  expect(num(totals, /\((\d+) on compat\)/)).toBe(compat);
  expect(num(totals, /(\d+) violations?$/)).toBe(violationsSeen);
}

function checkJsonModel(report: Report): void {
  for (const c of report.concepts) {
    const s = c.summary;
    expect(s.duplicates).toBe(c.duplicates.length);
    expect(s.legacySites).toBe(c.legacySites.length);
    expect(s.instanceSites).toBe(c.legacySites.filter((x) => x.names.some((n) => n.instanceOf)).length);
    expect(s.nonConceptLegacySites).toBe(c.nonConceptLegacySites.length);
    expect(s.internalLegacySites).toBe(c.internalLegacySites.length);
    expect(s.transitionSites).toBe(c.transitionSites.length);
    expect(s.canonicalSites).toBe(c.canonicalSites.length);
    expect(s.compatSites).toBe(c.canonicalSites.filter((x) => x.compat).length);
    expect(s.missingModuleImports).toBe([...c.legacySites, ...c.nonConceptLegacySites].filter((x) => x.missing).length);
    expect(s.legacyByModule.reduce((n, m) => n + m.count, 0)).toBe(c.legacySites.length);
    for (const m of s.modules) {
      expect(m.legacySites).toBe(c.legacySites.filter((x) => x.module === m.module).length);
      expect(m.nonConceptSites).toBe(c.nonConceptLegacySites.filter((x) => x.module === m.module).length);
      // Safe to delete only when no listed site imports it (any list but the internal one).
      if (m.status === 'safe-to-delete') {
        expect(
          [...c.legacySites, ...c.nonConceptLegacySites, ...c.transitionSites].some((x) => x.module === m.module),
        ).toBe(false);
        expect(report.files.skipped).toEqual([]);
      }
    }
  }
  expect(report.totals.violations).toBe(violations(report).length);
}

function checkSarif(report: Report): void {
  const sarif = JSON.parse(formatSarif(report)) as {
    runs: {
      results: unknown[];
      properties: { totals: Report['totals'] };
      invocations: { toolExecutionNotifications: unknown[] }[];
    }[];
  };
  const run = sarif.runs[0]!;
  expect(run.results).toHaveLength(run.properties.totals.violations);
  expect(run.invocations[0]!.toolExecutionNotifications).toHaveLength(
    run.properties.totals.parseErrors + run.properties.totals.skippedFiles,
  );
}

function checkJunit(report: Report): void {
  const xml = formatJunit(report);
  const top = /<testsuites name="ssot report" tests="(\d+)" failures="(\d+)" errors="(\d+)">/.exec(xml)!;
  expect(Number(top[1])).toBe((xml.match(/<testcase /g) ?? []).length);
  expect(Number(top[2])).toBe((xml.match(/<failure /g) ?? []).length);
  expect(Number(top[3])).toBe((xml.match(/<error /g) ?? []).length);
  for (const suite of xml.split('<testsuite ').slice(1)) {
    const head = /^name="[^"]*" tests="(\d+)" failures="(\d+)" errors="(\d+)"/.exec(suite)!;
    expect(Number(head[1])).toBe((suite.match(/<testcase /g) ?? []).length);
    expect(Number(head[2])).toBe((suite.match(/<failure /g) ?? []).length);
    expect(Number(head[3])).toBe((suite.match(/<error /g) ?? []).length);
  }
}

function checkGithub(report: Report): void {
  const lines = formatGithub(report).trimEnd().split('\n');
  const errors = lines.filter((l) => l.startsWith('::error '));
  const notice = lines.find((l) => l.startsWith('::notice title=ssot report::'))!;
  expect(num(notice, /(\d+) violations?/)).toBe(errors.length);
  expect(num(notice, /(\d+) duplicates/)).toBe(
    errors.filter((l) => l.includes('title=ssot/no-duplicate-implementation::')).length,
  );
  expect(num(notice, /(\d+) legacy imports to migrate/)).toBe(
    errors.filter((l) => l.includes('title=ssot/no-legacy-import::')).length,
  );
  expect(num(notice, /(\d+) broken imports/)).toBe(
    errors.filter((l) => l.includes('title=ssot/no-missing-legacy-module::')).length,
  );
  expect(lines.filter((l) => l.startsWith('::warning '))).toHaveLength(
    report.files.parseErrors.length + report.files.skipped.length,
  );
}

function checkMarkdown(report: Report): void {
  const md = formatMarkdown(report);
  const rowsOf = (title: string): string[] => {
    const at = md.indexOf(`<summary>${title} (`);
    if (at < 0) return [];
    const count = Number(/\((\d+)\)/.exec(md.slice(at))![1]);
    const body = md
      .slice(at, md.indexOf('</details>', at))
      .split('\n')
      .filter((l) => l.startsWith('| `'));
    expect(body).toHaveLength(count);
    return body;
  };
  const dup = rowsOf('Duplicate implementations');
  const leg = rowsOf('Legacy import sites');
  const non = rowsOf('Non-concept imports still on legacy modules');
  const can = rowsOf('Canonical import sites');
  rowsOf('Transition: the canonical module re-exports legacy modules');
  const first = md.split('\n').find((l) => /duplicate implementations?, /.test(l))!;
  expect(num(first, /^(\d+) duplicate/)).toBe(dup.length);
  expect(num(first, /(\d+) legacy import sites?/)).toBe(leg.length);
  expect(num(first, /(\d+) broken imports?/)).toBe([...leg, ...non].filter((r) => r.includes('⚠️ broken')).length);
  expect(num(first, /(\d+) canonical sites?/)).toBe(can.length);
  expect(num(first, /(\d+) skipped/)).toBe(
    md.split('\n').filter((l) => / skipped: /.test(l) && l.startsWith('- ')).length,
  );
  expect(num(first, /(\d+) parse errors/)).toBe(
    md.split('\n').filter((l) => / parse error: /.test(l) && l.startsWith('- ')).length,
  );
  if (report.concepts.length === 1) {
    const row = md
      .split('\n')
      .find((l) => l.startsWith(`| ${report.concepts[0]!.id} |`))!
      .split(' | ');
    // | concept | verdict | progress | implementations | duplicates | legacy sites | broken | non-concept | canonical (compat) |
    expect(Number(row[3])).toBe(dup.length + 1);
    expect(Number(row[4])).toBe(dup.length);
    expect(Number(row[5])).toBe(leg.length);
    expect(Number(row[7])).toBe(non.length);
    expect(row[8]).toBe(`${can.length} (${can.filter((r) => r.includes('(compat)')).length}) |`);
  }
}

function checkHtml(report: Report): void {
  const html = formatHtml(report);
  const section = (title: string): number | undefined => {
    const at = html.indexOf(`<h3>${title} (`);
    if (at < 0) return undefined;
    const count = Number(/\((\d+)\)/.exec(html.slice(at))![1]);
    const ends = [html.indexOf('<h3>', at + 4), html.indexOf('</section>', at)].filter((i) => i >= 0);
    const body = html.slice(at, Math.min(...ends));
    const rows = (body.match(/<tr><td/g) ?? []).length;
    expect(rows).toBe(count);
    return rows;
  };
  const dup = section('Duplicate implementations') ?? 0;
  const leg = section('Legacy import sites') ?? 0;
  section('Non-concept imports still on legacy modules');
  section('Imports inside legacy modules');
  section('Transition: the canonical module re-exports legacy modules');
  const can = section('Canonical import sites') ?? 0;
  expect(num(html, /<b>(\d+)<\/b><span>duplicate implementations/)).toBe(dup);
  expect(num(html, /<b>(\d+)<\/b><span>legacy import sites/)).toBe(leg);
  expect(num(html, /<b>(\d+)<\/b><span>canonical import sites/)).toBe(can);
}

function checkGate(report: Report, keep: readonly boolean[], stale: number): void {
  const current = violations(report);
  const baseline: BaselineEntry[] = current.filter((_, i) => keep[i % Math.max(1, keep.length)]).map(entryOf);
  for (let i = 0; i < stale; i++)
    baseline.push({
      file: `src/gone${i}.ts`,
      rule: 'no-legacy-import',
      concept: 'router',
      symbol: 'X',
      fingerprint: `${i}`.padStart(32, 'f'),
    });
  const comparison = compareWithBaseline(current, baseline);
  for (const policy of ['warn', 'off'] as const) {
    const outcome: CheckOutcome = {
      report,
      baselineFile: '/b.json',
      baselineFound: true,
      comparison,
      maxNew: 0,
      stale: policy,
      skipped: report.files.skipped,
      allowSkipped: false,
      exitCode: 1,
    };
    const text = formatCheckText(outcome, false);
    const summary = text.split('\n').find((l) => l.startsWith('ssot check: '))!;
    const listed = (title: string): number => {
      const lines = text.split('\n');
      const at = lines.findIndex((l) => l.startsWith(title));
      if (at < 0) return 0;
      let n = 0;
      for (let i = at + 1; i < lines.length && lines[i] !== ''; i++) n++;
      return n;
    };
    expect(num(summary, /(\d+) known/)).toBe(listed('Known violations'));
    expect(num(summary, /(\d+) new/)).toBe(listed('New violations'));
    expect(num(summary, /(\d+) fixed/)).toBe(listed('Fixed since the baseline'));
    const notRead = /(\d+) files? not read/.exec(summary);
    expect(notRead ? Number(notRead[1]) : 0).toBe(listed('Not checked: '));
    const json = JSON.parse(formatCheckJson(outcome)) as {
      known: unknown[];
      new: unknown[];
      fixed: unknown[];
      skipped: unknown[];
    };
    expect([json.known.length, json.new.length, json.fixed.length, json.skipped.length]).toEqual([
      comparison.known.length,
      comparison.added.length,
      comparison.fixed.length,
      report.files.skipped.length,
    ]);
    const gh = formatCheckGithub(outcome).trimEnd().split('\n');
    const notice = gh.find((l) => l.startsWith('::notice title=ssot check::'))!;
    expect(num(notice, /(\d+) known/)).toBe(gh.filter((l) => l.startsWith('::debug::known ')).length);
    expect(num(notice, /(\d+) new/)).toBe(gh.filter((l) => l.includes(' (new)::')).length);
    expect(num(notice, /(\d+) fixed/)).toBe(
      gh.filter((l) => l.includes('title=ssot stale baseline entry::') || l.startsWith('::debug::stale ')).length,
    );
  }
}

async function checkMigrate(root: string, report: Report): Promise<void> {
  const config = loadConfig({ cwd: root });
  const result = await migrate({ config, dryRun: true, allowDirty: true, jobs: 1 });
  const { timeMs: _t, ...summary } = result.summary;
  const { timeMs: _u, ...recounted } = summarize(result.files, result.summary.filesRuledOut, {
    ...result.summary,
    typecheck: false,
  });
  expect(summary).toEqual(recounted);
  for (const f of result.files) expect(f.sitesRewritten).toBe(f.rewritten.length);
  // Site by site: the report's concept sites are what migrate moves or refuses; its non-concept sites what migrate keeps.
  const at = (file: string, s: { line: number; column: number }) => `${file}:${s.line}:${s.column}`;
  const moved = result.files.flatMap((f) => [...f.rewritten, ...f.refused].map((s) => at(f.file, s))).sort();
  const kept = result.files.flatMap((f) => f.kept.map((s) => at(f.file, s))).sort();
  const unreadable = new Set(
    result.files.filter((f) => f.status === 'skipped' || f.status === 'failed').map((f) => f.file),
  );
  const c = report.concepts[0]!;
  const concept = c.legacySites
    .filter((s) => !unreadable.has(s.file))
    .map((s) => at(s.file, s))
    .sort();
  const other = c.nonConceptLegacySites
    .filter((s) => !unreadable.has(s.file))
    .map((s) => at(s.file, s))
    .sort();
  expect(moved).toEqual(concept);
  expect(kept).toEqual(other);
  // The sites the report says take an instance of a legacy class are those migrate refuses for it.
  const byHand = c.legacySites
    .filter((s) => !unreadable.has(s.file) && s.names.some((n) => n.instanceOf))
    .map((s) => at(s.file, s))
    .sort();
  const refusedForInstance = result.files
    .flatMap((f) => f.refused.filter((s) => s.reason.includes('has no counterpart for it')).map((s) => at(f.file, s)))
    .sort();
  expect(refusedForInstance).toEqual(byHand);
}

describe('every printed count is the number of listed items', () => {
  it('in every report format, in check and in migrate, over random projects', async () => {
    await fc.assert(
      fc.asyncProperty(
        projectShape,
        fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
        fc.nat(2),
        async (shape, keep, stale) => {
          const root = writeProject(shape);
          const report = reportOf(root);
          checkText(report);
          checkJsonModel(report);
          checkSarif(report);
          checkJunit(report);
          checkGithub(report);
          checkMarkdown(report);
          checkHtml(report);
          checkGate(report, keep, stale);
          await checkMigrate(root, report);
          fs.rmSync(root, { recursive: true, force: true });
        },
      ),
      { numRuns: 40 },
    );
  });
});
