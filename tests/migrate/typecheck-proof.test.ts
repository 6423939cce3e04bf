// `--typecheck`'s proof (src/migrate/typecheck-proof.ts): a rewritten file whose imports bind the
// same declarations as its original's is not checked. Every case is run both ways: with proofs,
// and checking every file (the check the proof replaces). A proven file never has a new
// diagnostic in the full check, and the cases the proof declines include ones where the full check
// does find a new error (an alias chain that turns type-only, another class of the same name, a
// `.ts` extension): the rules the proof applies are the ones that keep it sound.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrateFileReport, MigrateSummary } from '../../src/migrate/run.js';
import type { Rewritten, TypecheckResult } from '../../src/migrate/typecheck.js';
import { BUNDLER_TSCONFIG, cleanup, ensureBuilt, makeProject, REPO, ssotInProcess, write } from '../helpers/index.js';

// The built modules: the TypeScript loader (src/core/typescript.cts) is CommonJS, which the test
// runner's transform does not load.
type TypecheckModule = typeof import('../../src/migrate/typecheck.js');
type FindingsModule = typeof import('../../codemods/findings.js');
type ConfigModule = typeof import('../../src/core/config/load.js');
let newFindings: FindingsModule['newFindings'];

const TSCONFIG = BUNDLER_TSCONFIG;

const CONFIG = JSON.stringify({
  // The declarations stand for an installed @types package, which no migration touches.
  exclude: ['src/ambient.d.ts'],
  concepts: [
    {
      id: 'node-fs',
      canonical: { module: 'node:old-fs' },
      legacy: [{ pattern: { exact: ['old-fs'] }, names: { '*': '*' } }],
    },
  ],
});

/** The modules the importers below name (unchanged by any rewrite). */
const LIBRARY: Record<string, string> = {
  'tsconfig.json': TSCONFIG,
  'ssot.config.json': CONFIG,
  // As @types/node declares 'fs' and 'node:fs', 'path' and 'node:path'.
  'src/ambient.d.ts': [
    "declare module 'old-fs' { export function readText(p: string): string; export const sep: string; }",
    "declare module 'node:old-fs' { export * from 'old-fs'; }",
    "declare module 'old-path' { namespace p { function join(...s: string[]): string; } const p: { join(...s: string[]): string }; export = p; }",
    "declare module 'node:old-path' { import p = require('old-path'); export = p; }",
    "declare module 'wide-fs' { export * from 'old-fs'; export const extra: number; }",
    '',
  ].join('\n'),
  'src/legacy/a.ts':
    'export class Alpha {\n  run(): number {\n    return 1;\n  }\n}\nexport type Shape = { n: number };\n',
  'src/canonical/index.ts': "export { Alpha } from '../legacy/a';\nexport type { Shape } from '../legacy/a';\n",
  'src/typeonly/index.ts': "export type { Alpha } from '../legacy/a';\n",
  'src/typestar/index.ts': "export type * from '../legacy/a';\n",
  'src/whole/index.ts': "export * from '../legacy/a';\n",
  'src/wider/index.ts': "export * from '../legacy/a';\nexport const more = 1;\n",
  'src/other/a.ts': "export class Alpha {\n  run(): string {\n    return '';\n  }\n}\n",
  // pkg-b is only `export *` of pkg-a, but says it is CommonJS: a namespace import of it from an
  // ES module gets a synthetic `default` (found by an adversarial pass over the proof).
  'node_modules/pkg-a/package.json': JSON.stringify({ name: 'pkg-a', version: '1.0.0', types: 'index.d.ts' }),
  'node_modules/pkg-a/index.d.ts': 'export declare function readText(p: string): string;\n',
  'node_modules/pkg-b/package.json': JSON.stringify({
    name: 'pkg-b',
    version: '1.0.0',
    type: 'commonjs',
    types: 'index.d.ts',
  }),
  'node_modules/pkg-b/index.d.ts': "export * from 'pkg-a';\n",
  'src/ns-a.ts': "import * as ns from 'pkg-a';\nexport { ns };\n",
  'src/ns-b.ts': "import * as ns from 'pkg-b';\nexport { ns };\n",
};

const KEYS_OF_NS = "type K = keyof typeof ns;\nexport const x: K extends 'readText' ? 1 : 0 = 1;\n";

/** Each importer: its original text, its rewritten text, and what the proof must say. */
const CASES: Record<string, { before: string; after: string; proven: boolean; why?: RegExp; breaks?: boolean }> = {
  'src/p1.ts': {
    before: "import * as fs from 'old-fs';\nexport const t: string = fs.readText(fs.sep);\n",
    after: "import * as fs from 'node:old-fs';\nexport const t: string = fs.readText(fs.sep);\n",
    proven: true,
  },
  'src/p2.ts': {
    before: "import * as path from 'old-path';\nexport const j: string = path.join('a');\n",
    after: "import * as path from 'node:old-path';\nexport const j: string = path.join('a');\n",
    proven: true,
  },
  'src/p3.ts': {
    before:
      "import { Alpha, type Shape } from './legacy/a';\nexport const n: number = new Alpha().run();\nexport const s: Shape = { n };\n",
    after:
      "import { Alpha, type Shape } from './canonical';\nexport const n: number = new Alpha().run();\nexport const s: Shape = { n };\n",
    proven: true,
  },
  'src/p4.ts': {
    before:
      "import * as a from './legacy/a';\nexport const n: number = new a.Alpha().run();\nexport { Alpha } from './legacy/a';\n",
    after:
      "import * as a from './whole';\nexport const n: number = new a.Alpha().run();\nexport { Alpha } from './canonical';\n",
    proven: true,
  },
  'src/p6.ts': {
    before: "import p from 'old-path';\nexport const j: string = p.join('a');\n",
    after: "import p from 'node:old-path';\nexport const j: string = p.join('a');\n",
    proven: true,
  },
  // A pre-existing error stays the same error: proven, and the full check agrees.
  'src/p5.ts': {
    before: "import { readText } from 'old-fs';\nexport const wrong: number = readText('x');\n",
    after: "import { readText } from 'node:old-fs';\nexport const wrong: number = readText('x');\n",
    proven: true,
  },
  'src/n1.ts': {
    before: "import { Alpha } from './legacy/a';\nexport const n: number = new Alpha().run();\n",
    after: "import { Alpha } from './typeonly';\nexport const n: number = new Alpha().run();\n",
    proven: false,
    why: /'Alpha' is type-only on one side/,
    breaks: true,
  },
  'src/n2.ts': {
    before: "import { Alpha } from './legacy/a';\nexport const n: number = new Alpha().run();\n",
    after: "import { Alpha } from './typestar';\nexport const n: number = new Alpha().run();\n",
    proven: false,
    why: /'Alpha' is type-only on one side/,
    breaks: true,
  },
  'src/n3.ts': {
    before: "import { Alpha } from './legacy/a';\nexport const n: number = new Alpha().run();\n",
    after: "import { Alpha } from './other/a';\nexport const n: number = new Alpha().run();\n",
    proven: false,
    why: /'Alpha' binds another symbol/,
    breaks: true,
  },
  'src/n4.ts': {
    before: "import * as a from './legacy/a';\nexport const k: keyof typeof a = 'Alpha';\n",
    after: "import * as a from './wider';\nexport const k: keyof typeof a = 'Alpha';\n",
    proven: false,
    why: /'a' binds another symbol/,
  },
  'src/n5.ts': {
    before: "import { Alpha } from './legacy/a';\nexport const x = new Alpha();\n",
    after: "import { Alpha as A } from './canonical';\nexport const x = new A();\n",
    proven: false,
    why: /more changed than specifiers, or a specifier resolved unlike/,
  },
  // Only quoted strings differ, but one of them is no specifier.
  'src/n14.ts': {
    before: "import { Alpha } from './legacy/a';\nexport const label = 'old';\nexport const x = new Alpha();\n",
    after: "import { Alpha } from './canonical';\nexport const label = 'new';\nexport const x = new Alpha();\n",
    proven: false,
    why: /more changed than top-level specifiers/,
  },
  'src/n6.ts': {
    before: "import { Alpha } from './legacy/a';\nexport const x = new Alpha();\n",
    after: "import { Alpha } from './canonical/index.ts';\nexport const x = new Alpha();\n",
    proven: false,
    why: /a specifier TypeScript checks as text/,
    breaks: true,
  },
  'src/n7.ts': {
    before: "import * as fs from 'old-fs';\ndeclare global {\n  interface Extra {\n    fs: typeof fs;\n  }\n}\n",
    after: "import * as fs from 'node:old-fs';\ndeclare global {\n  interface Extra {\n    fs: typeof fs;\n  }\n}\n",
    proven: false,
    why: /declares globals/,
  },
  'src/umd.d.ts': {
    before: "import { Alpha } from './legacy/a';\nexport declare const a: Alpha;\nexport as namespace UmdGlobal;\n",
    after: "import { Alpha } from './canonical';\nexport declare const a: Alpha;\nexport as namespace UmdGlobal;\n",
    proven: false,
    why: /declares globals/,
  },
  'src/n8.ts': {
    before: "import { Z } from './missing';\nexport const z = Z;\n",
    after: "import { Z } from './missing-too';\nexport const z = Z;\n",
    proven: false,
    why: /no module/,
  },
  'src/n9.ts': {
    before: "import 'old-fs';\nexport {};\n",
    after: "import 'wide-fs';\nexport {};\n",
    proven: false,
    why: /binds nothing, and names another module/,
  },
  // Two failures to bind are not alike: the check compares the messages, which name the module.
  'src/n11.ts': {
    before: "import { nope } from 'old-fs';\nexport const n = nope;\n",
    after: "import { nope } from 'node:old-fs';\nexport const n = nope;\n",
    proven: false,
    why: /'nope' resolves to nothing/,
  },
  'src/n12.ts': {
    before: `import * as ns from 'pkg-a';\n${KEYS_OF_NS}`,
    after: `import * as ns from 'pkg-b';\n${KEYS_OF_NS}`,
    proven: false,
    why: /resolved unlike/,
    breaks: true,
  },
  // The same copy, reached through a named re-export from files of one format.
  'src/n13.ts': {
    before: `import { ns } from './ns-a';\n${KEYS_OF_NS}`,
    after: `import { ns } from './ns-b';\n${KEYS_OF_NS}`,
    proven: false,
    why: /'ns' binds another symbol/,
    breaks: true,
  },
  'src/n10.ts': {
    before: "import * as fs from 'old-fs';\nexport const t: string = fs.sep;\n",
    after: "import * as fs from 'wide-fs';\nexport const t: string = fs.sep;\n",
    proven: false,
    why: /'fs' binds another symbol/,
  },
};

let root: string;
let rewritten: Rewritten[];
let proved: TypecheckResult;
let full: TypecheckResult;

beforeAll(async () => {
  ensureBuilt();
  const { typecheckRewrites } = (await import(path.join(REPO, 'dist/src/migrate/typecheck.js'))) as TypecheckModule;
  ({ newFindings } = (await import(path.join(REPO, 'dist/codemods/findings.js'))) as FindingsModule);
  const { loadConfig } = (await import(path.join(REPO, 'dist/src/core/config/load.js'))) as ConfigModule;
  root = makeProject(LIBRARY, 'proof');
  rewritten = [];
  for (const [rel, c] of Object.entries(CASES)) {
    write(root, rel, c.after);
    rewritten.push({ file: path.join(root, rel), original: c.before });
  }
  // JavaScript without allowJs: no program takes it, as tsc -p would not.
  write(root, 'src/plain.js', "import { Alpha } from './canonical';\nexport const x = new Alpha();\n");
  rewritten.push({
    file: path.join(root, 'src/plain.js'),
    original: "import { Alpha } from './legacy/a';\nexport const x = new Alpha();\n",
  });
  const config = loadConfig({ cwd: root });
  proved = typecheckRewrites(config, rewritten, undefined, { prove: true });
  full = typecheckRewrites(config, rewritten, undefined, { prove: false });
});

afterAll(cleanup);

const newIn = (result: TypecheckResult, rel: string) => {
  const file = path.join(root, rel);
  return newFindings(result.before.get(file) ?? [], result.after.get(file) ?? []);
};

describe('--typecheck proves files alike by their imports', () => {
  for (const [rel, c] of Object.entries(CASES)) {
    it(`${rel}: ${c.proven ? 'proven' : 'checked'}`, () => {
      const file = path.join(root, rel);
      expect(proved.proven.has(file)).toBe(c.proven);
      if (c.why) expect(proved.unproven.get(file)).toMatch(c.why);
      // Proofs or not, the verdict is the same.
      expect(newIn(proved, rel)).toEqual(newIn(full, rel));
      if (c.proven) expect(newIn(full, rel)).toEqual([]);
      if (c.breaks) expect(newIn(full, rel).length).toBeGreaterThan(0);
    });
  }

  it('a proven file with a diagnostic: the full check finds it before and after (the comparison is not empty)', () => {
    const file = path.join(root, 'src/p5.ts');
    expect(full.after.get(file)?.map((d) => d.code)).toEqual([2322]);
    expect(full.before.get(file)?.map((d) => d.code)).toEqual([2322]);
  });

  it('JavaScript without allowJs is outside every program: neither checked nor proven', () => {
    const file = path.join(root, 'src/plain.js');
    expect(proved.outside.has(file)).toBe(true);
    expect(full.outside.has(file)).toBe(true);
    expect(proved.proven.has(file) || proved.unproven.has(file)).toBe(false);
  });

  it('without proofs every file in a program is checked', () => {
    expect(full.proven.size).toBe(0);
    expect(full.after.size).toBe(rewritten.length);
  });
});

describe('ssot migrate --typecheck reports how each file was covered', () => {
  it('a move to a name that re-exports the module: proven, counted, exit 0', async () => {
    const work = makeProject(
      {
        ...LIBRARY,
        'src/reader.ts': "import { readText, sep } from 'old-fs';\nexport const t: string = readText(sep);\n",
        'src/whole-reader.ts': "import * as fs from 'old-fs';\nexport const t: string = fs.readText(fs.sep);\n",
        'src/untouched.ts': 'export const u = 1;\n',
      },
      'proof-cli',
    );
    const r = await ssotInProcess(['migrate', '--json', '--typecheck', '--allow-dirty', '.'], work);
    expect(r.stderr).not.toMatch(/Error/);
    const report = JSON.parse(r.stdout) as { files: MigrateFileReport[]; summary: MigrateSummary };
    const changed = report.files.filter((f) => f.status === 'changed');
    expect(changed.map((f) => [f.file, f.typecheck])).toEqual([
      ['src/reader.ts', 'proven'],
      ['src/whole-reader.ts', 'proven'],
    ]);
    expect(report.summary).toMatchObject({
      filesChanged: 2,
      newTypeErrors: 0,
      filesProvenAlike: 2,
      filesTypeChecked: 0,
      filesOutsideTypecheck: 0,
    });
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(work, 'src/reader.ts'), 'utf8')).toContain("from 'node:old-fs'");
  });

  it("the canonical module's own declaration keeps its import of the legacy one", async () => {
    const work = makeProject(
      {
        ...LIBRARY,
        // No exclude: the declarations are part of the project, as a hand-written shim would be.
        'ssot.config.json': JSON.stringify({ ...JSON.parse(CONFIG), exclude: [] }),
        'src/reader.ts': "import { readText, sep } from 'old-fs';\nexport const t: string = readText(sep);\n",
        // An augmentation in a module is the file's own code, not the canonical module's: it moves.
        'src/augment.ts':
          "import 'node:old-fs';\ndeclare module 'node:old-fs' {\n  interface Options {\n    sep?: typeof import('old-fs').sep;\n  }\n}\nexport {};\n",
      },
      'proof-own',
    );
    const r = await ssotInProcess(['migrate', '--json', '--typecheck', '--allow-dirty', '.'], work);
    const report = JSON.parse(r.stdout) as { files: MigrateFileReport[]; summary: MigrateSummary };
    // `declare module 'node:old-fs' { export * from 'old-fs'; }` would re-export itself; another
    // module's import of the legacy one moves.
    expect(fs.readFileSync(path.join(work, 'src/ambient.d.ts'), 'utf8')).toBe(
      LIBRARY['src/ambient.d.ts']!.replace(
        "declare module 'wide-fs' { export * from 'old-fs';",
        "declare module 'wide-fs' { export * from 'node:old-fs';",
      ),
    );
    expect(fs.readFileSync(path.join(work, 'src/augment.ts'), 'utf8')).toContain("typeof import('node:old-fs').sep");
    expect(report.files.filter((f) => f.status === 'changed').map((f) => [f.file, f.typecheck])).toEqual([
      ['src/ambient.d.ts', 'checked'],
      ['src/augment.ts', 'checked'],
      ['src/reader.ts', 'proven'],
    ]);
    expect(report.summary.newTypeErrors).toBe(0);
    expect(r.code).toBe(0);
  });
});
