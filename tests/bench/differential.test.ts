// The differential harness (bench/differential): the judge's own expectations on small texts, then
// every codemod fixture and a generated corpus through `ssot migrate`, the real `eslint --fix` with
// the built plugin and the real jscodeshift runner, each output compared byte for byte with the
// judge. Real repositories: `npm run bench -- --suite differential --repo <checkout> --config <cfg>`.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, makeProject, REPO, tempDir } from '../helpers/index.js';

const CLI = path.join(REPO, 'bench/differential/cli.mjs');
const JUDGE = path.join(REPO, 'bench/differential/judge.mjs');

interface ProjectResult {
  name: string;
  args: string[];
  judged: number;
  toChange: number;
  sites: number;
  unjudged: { file: string; reason: string }[];
  ok: boolean;
  adapters: Record<
    string,
    { applicable: boolean; exact?: number; stray?: string[]; mismatches?: unknown[]; problem?: string }
  >;
}

function differential(args: string[]): { code: number; results: ProjectResult[]; output: string } {
  const json = path.join(tempDir('differential-json'), 'out.json');
  const r = spawnSync(process.execPath, [CLI, ...args, '--json', json], {
    cwd: REPO,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const results = fs.existsSync(json) ? (JSON.parse(fs.readFileSync(json, 'utf8')) as ProjectResult[]) : [];
  return { code: r.status ?? 1, results, output: r.stdout + r.stderr };
}

/** The judge's expected text for one file of a project (the judge module in this process). */
async function judge(root: string, file: string): Promise<{ kind: string; expected?: string; sites?: number }> {
  const { createJudge } = (await import(pathToFileURL(JUDGE).href)) as {
    createJudge(
      root: string,
      options: { config: unknown; presetNames: string[] },
    ): { judgeFile(file: string, text: string): { kind: string; expected?: string; sites?: number } };
  };
  const config: unknown = JSON.parse(fs.readFileSync(path.join(root, 'ssot.config.json'), 'utf8'));
  const absolute = path.join(root, file);
  // Plain data, as the harness sees it when it reads the judge's verdict from another process.
  return JSON.parse(
    JSON.stringify(
      createJudge(root, { config, presetNames: [] }).judgeFile(absolute, fs.readFileSync(absolute, 'utf8')),
    ),
  ) as { kind: string; expected?: string; sites?: number };
}

beforeAll(() => {
  ensureBuilt();
});

describe('the judge', () => {
  const config = {
    // A compat module naming `a` and `A`: those two move, every other name stays.
    concepts: [
      {
        id: 'u',
        canonical: { module: '@canonical/core' },
        compat: { module: '@canonical/utils', replacements: { a: 'a', A: 'A' } },
        legacy: [{ module: '@scope/utils' }, { module: '@scope/utils/*', names: { '*': '*' } }],
      },
    ],
  };

  it('replaces only the specifier literals; a split copies the form right after it; blocks stay apart', async () => {
    const text = [
      "import type { A, Other } from '@scope/utils';",
      'import { a } from "@scope/utils"',
      "export * from '@scope/utils/sub';",
      "import { x } from '@scope/utils-extra';",
      "declare module 'm1' {",
      "  import type { A } from '@scope/utils';",
      '}',
      "declare module 'm2' {",
      "  import type { A } from '@scope/utils';",
      '}',
      '',
    ].join('\n');
    const root = makeProject({ 'ssot.config.json': JSON.stringify(config), 'src/a.d.ts': text });
    const verdict = await judge(root, 'src/a.d.ts');
    expect(verdict.expected).toBe(
      [
        "import type { Other } from '@scope/utils';",
        "import type { A } from '@canonical/utils';",
        'import { a } from "@canonical/utils"',
        "export * from '@canonical/utils/sub';",
        "import { x } from '@scope/utils-extra';",
        "declare module 'm1' {",
        "  import type { A } from '@canonical/utils';",
        '}',
        "declare module 'm2' {",
        "  import type { A } from '@canonical/utils';",
        '}',
        '',
      ].join('\n'),
    );
    expect(verdict.sites).toBe(5);
  });

  it('refuses an import of an exported instance of a legacy class, and moves the class beside it elsewhere', async () => {
    const root = makeProject({
      'ssot.config.json': JSON.stringify({
        concepts: [
          {
            id: 'r',
            canonical: { module: '@n/router' },
            compat: { module: '@n/compat', replacements: { OldRouter: 'Router' } },
            legacy: [{ module: 'src/legacy.ts' }],
          },
        ],
      }),
      'src/legacy.ts': 'export class OldRouter {}\nexport const shared = new OldRouter();\nexport const n = 1;\n',
      'src/a.ts': "import { OldRouter, shared } from './legacy';\nimport { OldRouter as R, n } from './legacy';\n",
    });
    expect(await judge(root, 'src/a.ts')).toEqual({
      kind: 'judged',
      expected:
        "import { OldRouter, shared } from './legacy';\nimport { n } from './legacy';\nimport { OldRouter as R } from '@n/compat';\n",
      sites: 1,
      refusals: 1,
    });
  });

  it('says what it does not model instead of guessing', async () => {
    const root = makeProject({
      'ssot.config.json': JSON.stringify({
        concepts: [{ id: 'u', canonical: { module: '@n/u' }, legacy: [{ module: '@o/u', importNames: ['a'] }] }],
      }),
      'src/a.ts': "import { a } from '@o/u';\n",
    });
    expect(await judge(root, 'src/a.ts')).toEqual({ kind: 'unjudged', reason: 'concept "u" uses legacy.importNames' });
  });
});

describe('the differential harness', () => {
  // One harness run for both sets: ESLint and the jscodeshift runner take every project with the
  // same flags in one batch, so the corpus joins the fixtures' batch instead of starting its own.
  // Every case the three adapters share (not those of `ssot migrate` only: stage 2, type-checked stage 1).
  const cases = fs
    .readdirSync(path.join(REPO, 'fixtures/codemods'))
    .filter((d) => fs.statSync(path.join(REPO, 'fixtures/codemods', d)).isDirectory())
    .filter(
      (d) =>
        (
          JSON.parse(fs.readFileSync(path.join(REPO, 'fixtures/codemods', d, 'case.json'), 'utf8')) as {
            jscodeshift?: boolean;
          }
        ).jscodeshift !== false,
    );
  let run: { code: number; results: ProjectResult[]; output: string };
  const corpusName = 'differential-corpus';

  beforeAll(() => {
    const corpus = path.join(tempDir('differential-corpus'), corpusName);
    const gen = spawnSync(
      process.execPath,
      [path.join(REPO, 'bench/corpus/generate.mjs'), '--size', 'tiny', '--out', corpus],
      { encoding: 'utf8' },
    );
    expect(gen.status, gen.stderr).toBe(0);
    run = differential(['--fixtures', '--corpus', corpus]);
  }, 600_000);

  it('every codemod fixture: the three adapters write exactly what the judge expects', () => {
    const { code, output } = run;
    expect(code, output).toBe(0);
    const results = run.results.filter((r) => r.name !== corpusName);
    expect(results.map((r) => r.name).sort()).toEqual(cases.sort());
    for (const r of results) {
      expect(r.ok, r.name).toBe(true);
      // Only runs with flags the judge does not model go unjudged, and ESLint has no such flags.
      expect(r.unjudged.length > 0, r.name).toBe(r.args.length > 0);
      expect(r.adapters.eslint!.applicable, r.name).toBe(r.args.length === 0);
      for (const a of ['migrate', 'eslint', 'jscodeshift'])
        if (r.adapters[a]!.applicable) expect(r.adapters[a]!.exact, `${r.name} ${a}`).toBe(r.judged);
    }
    expect(results.reduce((n, r) => n + r.toChange, 0)).toBeGreaterThan(25);
  });

  it('a generated corpus: every file exact for every adapter', () => {
    const { code, output } = run;
    expect(code, output).toBe(0);
    const r = run.results.find((p) => p.name === corpusName);
    expect(r, output).toBeDefined();
    expect(r!.toChange).toBeGreaterThan(3);
    expect(r!.unjudged).toEqual([]);
    for (const a of ['migrate', 'eslint', 'jscodeshift'])
      expect(r!.adapters[a], a).toMatchObject({ applicable: true, exact: r!.judged, stray: [] });
  });
});
