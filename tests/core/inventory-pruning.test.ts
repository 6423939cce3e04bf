// The inventory skips subtrees whose text holds none of SITE_WORDS. These tests hold it to the
// exhaustive walk: the same sites on every fixture file, on a generated corpus with every import
// form, on hand-made corner cases, and on random programs built from site-bearing fragments.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: the corpus generator is plain JavaScript without types
import { generateCorpus } from '../../bench/corpus/generate.mjs';
import { collectImportSites, MOCK_CALLEES, SITE_WORDS } from '../../src/core/inventory.js';
import { parseFile } from '../../src/core/parse.js';
import ts from 'typescript';

const repo = path.resolve(import.meta.dirname, '../..');
const SOURCE = /\.(c|m)?(t|j)sx?$/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(p));
    else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function both(file: string, text: string): { pruned: unknown[]; exhaustive: unknown[] } {
  const pruned = collectImportSites(parseFile(file, text).sourceFile);
  const exhaustive = collectImportSites(parseFile(file, text).sourceFile, { exhaustive: true });
  return { pruned, exhaustive };
}

describe('inventory: skipping subtrees without a site word', () => {
  it('finds the same sites as the exhaustive walk in every fixture file', () => {
    const files = sourceFiles(path.join(repo, 'fixtures'));
    expect(files.length).toBeGreaterThan(50);
    let sites = 0;
    for (const file of files) {
      const { pruned, exhaustive } = both(file, fs.readFileSync(file, 'utf8'));
      expect(pruned, file).toEqual(exhaustive);
      sites += exhaustive.length;
    }
    expect(sites).toBeGreaterThan(100);
  });

  it('finds the same sites in a generated corpus (every import form, mocks, JSX, CommonJS)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssot-prune-'));
    try {
      generateCorpus({ outDir: dir, size: 'tiny', seed: 7 });
      let sites = 0;
      for (const file of sourceFiles(dir)) {
        const { pruned, exhaustive } = both(file, fs.readFileSync(file, 'utf8'));
        expect(pruned, file).toEqual(exhaustive);
        sites += exhaustive.length;
      }
      expect(sites).toBeGreaterThan(50);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps sites deep in functions, classes, type arguments, module blocks and escaped identifiers', () => {
    const text = [
      `function f() { return () => { if (x) { const m = require('./deep'); } }; }`,
      `class C { m() { jest.mock('./mocked'); vi.importActual('./actual'); } }`,
      `type T = Promise<Array<import('./typed').Router>>;`,
      `declare module 'ambient' { export { A } from './re-exported'; import B = require('./eq'); }`,
      `const lazy = async () => (await import('./dynamic')).x;`,
      `const escaped = requ\\u0069re('./escaped');`,
      `const none = () => { const require2 = 1; return require2; };`,
    ].join('\n');
    const { pruned, exhaustive } = both('/p/a.ts', text);
    expect(pruned).toEqual(exhaustive);
    expect((exhaustive as { specifier: string }[]).map((s) => s.specifier)).toEqual([
      './deep',
      './mocked',
      './actual',
      './typed',
      './re-exported',
      './eq',
      './dynamic',
      './escaped',
    ]);
  });

  it("a 'sites' parse gets right parent pointers on the way to every site and in its subtree", () => {
    const files = sourceFiles(path.join(repo, 'fixtures')).slice(0, 200);
    let checked = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const full = parseFile(file, text).sourceFile;
      const lazy = parseFile(file, text, { parents: 'sites' }).sourceFile;
      const sites = collectImportSites(lazy);
      // Walk both trees in lockstep: the same shape, node by node.
      const twin = new Map<ts.Node, ts.Node>([[full, lazy]]);
      const pairs: [ts.Node, ts.Node][] = [];
      // An explicit stack: fixtures/claims/deep-expression nests deeper than a recursive walk can go.
      const stack: [ts.Node, ts.Node][] = [[full, lazy]];
      while (stack.length > 0) {
        const [a, b] = stack.pop()!;
        const as: ts.Node[] = [];
        const bs: ts.Node[] = [];
        ts.forEachChild(a, (c) => void as.push(c));
        ts.forEachChild(b, (c) => void bs.push(c));
        expect(bs.length).toBe(as.length);
        as.forEach((c, i) => {
          twin.set(c, bs[i]!);
          pairs.push([c, bs[i]!]);
          stack.push([c, bs[i]!]);
        });
      }
      for (const [a, b] of pairs) {
        const parent = (b as { parent?: ts.Node }).parent;
        // Whatever parent is set is the right one.
        if (parent !== undefined) expect(parent).toBe(twin.get(a.parent));
        const start = b.getStart(lazy);
        const needed = sites.some(
          (s) => (start <= s.nodeStart && b.end >= s.nodeEnd) || (start >= s.nodeStart && b.end <= s.nodeEnd),
        );
        if (needed) {
          expect(parent, `${file}: ${ts.SyntaxKind[b.kind]} at ${start}`).toBeDefined();
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('every mock callee member and keyword spells a site word', () => {
    const members = [...MOCK_CALLEES].map((c) => c.split('.').pop()!);
    for (const w of ['import', 'export', 'require', '\\u', ...members])
      expect(
        SITE_WORDS.some((word) => w.includes(word)),
        w,
      ).toBe(true);
  });

  it('random programs of nested site-bearing fragments: pruned == exhaustive', () => {
    const leaf = fc.constantFrom(
      `require('./a')`,
      `import('./b')`,
      `jest.mock('./c')`,
      `vi.doMock('./d', () => ({}))`,
      `x.require('./e')`,
      `requireFoo('./f')`,
      `mock('./g')`,
      `1 + 2`,
      `'import x from "./s"'`,
      `/* require('./comment') */ 0`,
      `foo(bar)`,
    );
    const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        tie('e').map((e) => `(() => { const v = ${e as string}; return v; })()`),
        tie('e').map((e) => `[${e as string}]`),
        fc.tuple(tie('e'), tie('e')).map(([a, b]) => `f(${a as string}, ${b as string})`),
        tie('e').map((e) => `new (class { m() { return ${e as string}; } })()`),
      ),
    })).e;
    const program = fc.array(
      fc.oneof(
        expr.map((e) => `const v${Math.abs(e.length)} = ${e};`),
        fc.constantFrom(
          `import { A } from './top';`,
          `export * from './all';`,
          `import type { T } from './t';`,
          `export const n = 1;`,
        ),
        expr.map((e) => `function g() { if (n) { return ${e}; } }`),
      ),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(program, fc.constantFrom('/p/a.ts', '/p/a.tsx', '/p/a.js'), (statements, file) => {
        const { pruned, exhaustive } = both(file, statements.join('\n'));
        expect(pruned).toEqual(exhaustive);
      }),
      { numRuns: 300 },
    );
  });
});
