// The prefilter against the full analysis: a file it rules out must hold no site the analysis
// classifies as a configured module (sound), and a file that cannot import the module must be
// ruled out where the text allows it (tight): the same-named file elsewhere, a bare specifier that
// merely ends with the name. Random projects vary how a module is spelled (paths with extensions
// and index files, packages with and without `exports`, `#imports`, `paths` aliases, `baseUrl`,
// escapes and line continuations in the literal, quotes in comments before it).
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: the corpus generator is plain JavaScript without types
import { generateCorpus } from '../../bench/corpus/generate.mjs';
import { createMigrationContext } from '../../codemods/import-migration.js';
import { analyzeFile, createAnalysisContext, relativeToRoot } from '../../src/core/analyze.js';
import { resolveConfig } from '../../src/core/config/load.js';
import { SiteClassifier } from '../../src/core/classify.js';
import { listFiles } from '../../src/core/files.js';
import type { ResolvedConfig } from '../../src/core/config/types.js';
import { cleanup, DEMO, makeProject, tempDir } from '../helpers/index.js';

afterAll(cleanup);

interface Verdict {
  file: string;
  sites: number;
  legacySites: number;
  passes: boolean;
  passesLegacy: boolean;
}

/** Every file of the project: what the full analysis finds and what both prefilters say. */
function judge(config: ResolvedConfig): Verdict[] {
  const ctx = createAnalysisContext(config);
  const mctx = createMigrationContext(config);
  const unfiltered = new SiteClassifier(config, ctx.resolver);
  return listFiles(config).files.map((file) => {
    const text = fs.readFileSync(file, 'utf8');
    const analysis = analyzeFile(ctx, file, text, { skipPrefilter: true, skipDuplicates: true });
    const targets = analysis.sites.map((s) => unfiltered.classify(s, file).target);
    // The specifier prefilter: every site it lets skip resolution is 'other' under full resolution.
    for (const [i, site] of analysis.sites.entries()) {
      if (targets[i]!.kind !== 'other')
        expect(
          ctx.prefilter.specifierMayMatch(site.specifier, file),
          `${relativeToRoot(ctx, file)}: ${site.specifier}`,
        ).toBe(true);
      expect(site.target, `${relativeToRoot(ctx, file)}: ${site.specifier}`).toEqual(targets[i]);
    }
    const verdict = {
      file: relativeToRoot(ctx, file),
      sites: targets.filter((t) => t.kind !== 'other').length,
      legacySites: targets.filter((t) => t.kind === 'legacy' && !t.internal).length,
      passes: ctx.prefilter.mayMatch(text, file),
      passesLegacy: mctx.prefilter.mayMatch(text, file),
    };
    // What the bytes rule out, the text does too.
    const bytes = Buffer.from(text, 'utf8');
    if (ctx.prefilter.rulesOutBytes(bytes, file)) expect(verdict.passes, verdict.file).toBe(false);
    if (mctx.prefilter.rulesOutBytes(bytes, file)) expect(verdict.passesLegacy, verdict.file).toBe(false);
    return verdict;
  });
}

function expectSound(verdicts: Verdict[]): void {
  for (const v of verdicts) {
    if (v.sites > 0) expect(v.passes, `${v.file} holds ${v.sites} site(s) but the prefilter rules it out`).toBe(true);
    if (v.legacySites > 0)
      expect(
        v.passesLegacy,
        `${v.file} holds ${v.legacySites} legacy site(s) but the migrate prefilter rules it out`,
      ).toBe(true);
  }
}

describe('the prefilter is sound against the full analysis', () => {
  it('on the demo app and a generated corpus (every import form, same-named files elsewhere)', () => {
    expectSound(judge(resolveConfig(JSON.parse(fs.readFileSync(path.join(DEMO, 'ssot.config.json'), 'utf8')), DEMO)));
    const dir = tempDir('prefilter-corpus');
    generateCorpus({ outDir: dir, size: 'tiny', seed: 11 });
    const verdicts = judge(resolveConfig(JSON.parse(fs.readFileSync(path.join(dir, 'ssot.config.json'), 'utf8')), dir));
    expectSound(verdicts);
    // Tight: most files are ruled out, and every migrate candidate but a few holds a legacy site.
    const candidates = verdicts.filter((v) => v.passesLegacy);
    expect(candidates.filter((v) => v.legacySites === 0).length).toBeLessThanOrEqual(Math.ceil(candidates.length / 4));
  });

  it('rules out same-named modules elsewhere and bare specifiers that only end with the name', () => {
    const root = makeProject({
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
      'packages/icons/package.json': JSON.stringify({
        name: '@x/icons',
        main: 'dist/index.js',
        types: 'dist/index.d.ts',
      }),
      'packages/icons/src/types.ts': 'export interface IconProps { size: number }',
      'packages/icons/src/components/star.tsx':
        "import type { IconProps } from '../types';\nexport const Star = (p: IconProps) => p.size;",
      'packages/icons/src/components/moon.tsx':
        'import type { IconProps } from "../ty\\u0070es";\nexport const Moon = (p: IconProps) => p.size;',
      'packages/icons/src/components/sun.tsx':
        "// it's bright\nconst re = /'/; import type { IconProps } from '../types.js';\nexport const Sun = (p: IconProps) => p.size;",
      'packages/icons/src/components/deep.ts': "export * from '@x/icons/src/types';",
      'packages/ui/package.json': JSON.stringify({ name: '@x/ui' }),
      'packages/ui/src/types.ts': 'export interface ButtonProps { label: string }',
      'packages/ui/src/button.ts':
        "import type { ButtonProps } from './types';\nimport type { A } from '@x/framework/types';\nexport const b = (p: ButtonProps) => p;",
      'packages/ui/src/other.ts': "import { x } from './types-helpers';\nconst s = 'types';\nexport { x, s };",
    });
    const config = resolveConfig(
      {
        concepts: [
          {
            id: 'icons',
            canonical: { module: '@x/icon-props' },
            legacy: [{ module: 'packages/icons/src/types.ts', names: { '*': '*' } }],
          },
        ],
      },
      root,
    );
    const verdicts = judge(config);
    expectSound(verdicts);
    const passing = verdicts
      .filter((v) => v.passesLegacy)
      .map((v) => v.file)
      .sort();
    expect(passing).toEqual([
      'packages/icons/src/components/deep.ts',
      'packages/icons/src/components/moon.tsx',
      'packages/icons/src/components/star.tsx',
      'packages/icons/src/components/sun.tsx',
    ]);
  });
});

describe('what the bytes rule out', () => {
  it('needs a name where a literal has it: the end of a path segment, the start after a quote', () => {
    const root = makeProject({
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
      'packages/core/package.json': JSON.stringify({ name: '@x/core' }),
      'packages/core/src/common/event.ts': 'export class Emitter {}',
    });
    const config = resolveConfig(
      {
        concepts: [
          {
            id: 'event',
            canonical: { module: '@x/core/events' },
            legacy: [
              { module: 'packages/core/src/common/event.ts', names: { '*': '*' } },
              { module: '@x/core/lib/common/event', names: { '*': '*' } },
            ],
          },
        ],
      },
      root,
    );
    const { prefilter } = createMigrationContext(config);
    const file = path.join(root, 'packages/core/src/common/user.ts');
    const rulesOut = (text: string): boolean => prefilter.rulesOutBytes(Buffer.from(text), file);
    // The name in code, in a longer name, or a package path that does not end with it.
    for (const text of [
      'onClick(event.target.value);',
      "const e = 'eventual';",
      "import { d } from '@x/core/lib/common/disposable';",
    ])
      expect(rulesOut(text), text).toBe(true);
    for (const text of [
      "import { Emitter } from './event';",
      'import { Emitter } from "./event.js";',
      'import { Emitter } from `../common/event/index`;',
      "export * from '@x/core/lib/common/event';",
      "const s = 'an event';",
    ]) {
      expect(rulesOut(text), text).toBe(false);
    }
    // What the bytes rule out, the text never matches.
    for (const text of ['onClick(event.target.value);', "const e = 'eventual';"])
      expect(prefilter.mayMatch(text, file), text).toBe(false);
  });
});

describe('legacy modules given as exact specifiers', () => {
  it('pass a literal equal to one in any letter case, and not a subpath of it', () => {
    const root = makeProject({ 'src/a.ts': 'export const a = 1;' });
    const config = (caseSensitive: boolean) =>
      resolveConfig(
        {
          concepts: [
            {
              id: 'c',
              canonical: { module: 'new-lib' },
              legacy: [{ pattern: { exact: ['old-kit'], caseSensitive }, names: { '*': '*' } }],
            },
          ],
        },
        root,
      );
    const file = path.join(root, 'src/a.ts');
    const insensitive = createMigrationContext(config(false)).prefilter;
    expect(insensitive.mayMatch("import { x } from 'OLD-Kit';", file)).toBe(true);
    // an escape in the file's text: `\u006b` is k
    expect(insensitive.mayMatch("import { x } from 'old-\\u006bit';", file)).toBe(true);
    // U+212A KELVIN SIGN lower-cases to `k`: compileSpecifierPattern matches it too
    expect(insensitive.mayMatch("import { x } from 'old-\u212Ait';", file)).toBe(true);
    expect(insensitive.mayMatch("import { x } from 'old-kit/sub';\nimport { y } from 'bold-kit';", file)).toBe(false);
    const sensitive = createMigrationContext(config(true)).prefilter;
    expect(sensitive.mayMatch("import { x } from 'OLD-KIT';", file)).toBe(false);
    expect(sensitive.mayMatch('export * from "old-kit";', file)).toBe(true);
  });
});

// ---- random projects -------------------------------------------------------------------------

const NAMES = ['types', 'event', 'index'] as const;
const DIRS = [
  'packages/a/src',
  'packages/a/src/common',
  'packages/a/src/common/deep',
  'packages/a/test',
  'packages/b/src',
  'packages/b/src/common',
  'src',
  'src/common',
];

interface Shape {
  name: (typeof NAMES)[number];
  moduleDir: string;
  exportsMap: 'none' | 'root' | 'subpath' | 'pattern';
  tsconfig: 'none' | 'exact-alias' | 'wildcard-alias' | 'base-url' | 'renaming-alias';
  imports: boolean;
  importers: { dir: string; spelling: number; escape: number; form: number; noise: boolean; decoy: boolean }[];
}

const FORMS = [
  (s: string) => `import { a } from ${s};`,
  (s: string) => `import type { A } from ${s};`,
  (s: string) => `export * from ${s};`,
  (s: string) => `const m = require(${s});`,
  (s: string) => `const m = () => import(${s});`,
  (s: string) => `jest.mock(${s});`,
  (s: string) => `type T = import(${s}).A;`,
  (s: string) => `import x = require(${s});`,
];

function relativeSpec(fromDir: string, to: string): string {
  const r = path.posix.relative(fromDir, to);
  return r.startsWith('.') ? r : `./${r}`;
}

/** The ways an importer in `dir` can spell the module (some of them lead elsewhere: the decoy). */
function spellings(shape: Shape, dir: string, decoy: boolean): string[] {
  const moduleDir = decoy
    ? shape.moduleDir.replace('packages/a', 'packages/b').replace(/^src/, 'packages/b/src')
    : shape.moduleDir;
  const base = `${moduleDir}/${shape.name}`;
  const out = [relativeSpec(dir, base), `${relativeSpec(dir, base)}.js`, `${relativeSpec(dir, base)}.ts`];
  if (shape.name === 'index') out.push(relativeSpec(dir, moduleDir), `${relativeSpec(dir, moduleDir)}/`);
  const sub = base.startsWith('packages/a/') ? base.slice('packages/a/'.length) : undefined;
  if (sub) out.push(`@p/a/${sub}`, '@p/a', '@p/a/lib', '@p/a/sub');
  out.push(
    '@app/legacy',
    `@app/${base.replace(/^packages\/a\/src\//, '')}`,
    `${base.replace(/^packages\/a\/src\//, '')}`,
    '#legacy',
    '@other/' + shape.name,
  );
  return out;
}

/** Writes a literal with an escape or a line continuation in it (still the same string). */
function literal(spec: string, escape: number): string {
  if (escape === 1 && spec.length > 2) {
    const i = spec.length - 2;
    return `'${spec.slice(0, i)}\\u${spec.charCodeAt(i).toString(16).padStart(4, '0')}${spec.slice(i + 1)}'`;
  }
  if (escape === 2 && spec.length > 3) return `"${spec.slice(0, 3)}\\\n${spec.slice(3)}"`;
  if (escape === 3) return `\`${spec}\``;
  return `'${spec}'`;
}

function buildProject(shape: Shape): string {
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
    [`${shape.moduleDir}/${shape.name}.ts`]: 'export const a = 1;\nexport interface A { x: number }',
    [`${shape.moduleDir.replace('packages/a', 'packages/b').replace(/^src/, 'packages/b/src')}/${shape.name}.ts`]:
      'export const a = 2;\nexport interface A { y: number }',
  };
  const pkgA: Record<string, unknown> = { name: '@p/a', main: 'lib/index.js' };
  const rel = `./${path.posix.relative('packages/a', `${shape.moduleDir}/${shape.name}.ts`)}`;
  if (shape.moduleDir.startsWith('packages/a')) {
    if (shape.exportsMap === 'root') pkgA.exports = { '.': { types: rel, default: rel.replace(/\.ts$/, '.js') } };
    if (shape.exportsMap === 'subpath') pkgA.exports = { '.': './lib/index.js', './sub': rel };
    if (shape.exportsMap === 'pattern') pkgA.exports = { './lib/*': './src/*.ts', './*': './src/*' };
  }
  if (shape.imports) pkgA.imports = { '#legacy': rel };
  files['packages/a/package.json'] = JSON.stringify(pkgA);
  files['packages/b/package.json'] = JSON.stringify({ name: '@p/b' });
  const target = `./${shape.moduleDir}/${shape.name}`;
  const compilerOptions: Record<string, unknown> = { module: 'ESNext', moduleResolution: 'Bundler', allowJs: true };
  if (shape.tsconfig === 'exact-alias') compilerOptions.paths = { '@app/legacy': [`${target}.ts`] };
  if (shape.tsconfig === 'wildcard-alias') compilerOptions.paths = { '@app/*': ['./packages/a/src/*'] };
  if (shape.tsconfig === 'renaming-alias')
    compilerOptions.paths = { '@app/*': [`./${shape.moduleDir}/*/../${shape.name}`] };
  if (shape.tsconfig === 'base-url') compilerOptions.baseUrl = './packages/a/src';
  if (shape.tsconfig !== 'none') files['tsconfig.json'] = JSON.stringify({ compilerOptions });
  shape.importers.forEach((imp, i) => {
    const options = spellings(shape, imp.dir, imp.decoy);
    const spec = options[imp.spelling % options.length]!;
    const line = FORMS[imp.form % FORMS.length]!(literal(spec, imp.escape));
    const noise = imp.noise ? "// don't 'quote' me\nconst r = /\"/;\n" : '';
    const file = `${imp.dir}/importer${i}.ts`;
    files[file] = `${files[file] ?? ''}${noise}${line}\n`;
  });
  return makeProject(files, 'prefilter-prop');
}

describe('the prefilter on random projects', () => {
  it('never rules out a file that holds a site of the module, however it is spelled', () => {
    const importer = fc.record({
      dir: fc.constantFrom(...DIRS),
      spelling: fc.nat(20),
      escape: fc.constantFrom(0, 0, 1, 2, 3),
      form: fc.nat(7),
      noise: fc.boolean(),
      decoy: fc.boolean(),
    });
    const shape = fc.record({
      name: fc.constantFrom(...NAMES),
      moduleDir: fc.constantFrom('packages/a/src', 'packages/a/src/common', 'src/common'),
      exportsMap: fc.constantFrom('none', 'root', 'subpath', 'pattern'),
      tsconfig: fc.constantFrom('none', 'exact-alias', 'wildcard-alias', 'base-url', 'renaming-alias'),
      imports: fc.boolean(),
      importers: fc.array(importer, { minLength: 1, maxLength: 8 }),
    }) as fc.Arbitrary<Shape>;
    let withSites = 0;
    fc.assert(
      fc.property(shape, (s) => {
        const root = buildProject(s);
        const module = `${s.moduleDir}/${s.name}.ts`;
        const config = resolveConfig(
          { concepts: [{ id: 'm', canonical: { module: '@new/m' }, legacy: [{ module, names: { '*': '*' } }] }] },
          root,
        );
        const verdicts = judge(config);
        expectSound(verdicts);
        withSites += verdicts.filter((v) => v.legacySites > 0).length;
        fs.rmSync(root, { recursive: true, force: true });
      }),
      { numRuns: 60, seed: 17 },
    );
    // The generator does produce importers (the property is not vacuous).
    expect(withSites).toBeGreaterThan(40);
  }, 240_000);
});

describe('a tsconfig that changes while the prefilter lives (an ESLint session)', () => {
  it("a `paths` alias added to a folder's tsconfig counts once the resolver has seen the change", () => {
    const root = makeProject({
      'src/legacy/store.ts': 'export const store = 1;',
      'src/app/a.ts': 'export const a = 1;',
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true } }),
    });
    const config = resolveConfig(
      {
        concepts: [
          {
            id: 'c',
            canonical: { module: 'new-store' },
            legacy: [{ module: 'src/legacy/store.ts', names: { '*': '*' } }],
          },
        ],
      },
      root,
    );
    const ctx = createAnalysisContext(config);
    const file = path.join(root, 'src/app/a.ts');
    const text = "import { store } from '@state';";
    expect(ctx.prefilter.mayMatch(text, file)).toBe(false);
    const later = { compilerOptions: { strict: true, paths: { '@state': ['./src/legacy/store.ts'] } } };
    fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify(later));
    // A later modification time than the one the resolver saw, whatever the clock's resolution.
    const future = new Date(Date.now() + 10_000);
    fs.utimesSync(path.join(root, 'tsconfig.json'), future, future);
    expect(ctx.resolver.refresh()).toBe(true);
    expect(ctx.prefilter.mayMatch(text, file)).toBe(true);
  });
});
