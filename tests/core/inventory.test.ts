import { describe, expect, it } from 'vitest';
import { collectImportSites } from '../../src/core/inventory.js';
import { parseFile } from '../../src/core/parse.js';
import type { ImportSite } from '../../src/core/types.js';

function sitesOf(text: string, file = '/p/a.ts'): ImportSite[] {
  return collectImportSites(parseFile(file, text).sourceFile);
}

function one(text: string, file?: string): ImportSite {
  const sites = sitesOf(text, file);
  expect(sites).toHaveLength(1);
  return sites[0]!;
}

describe('import inventory: every form', () => {
  it('default, named, aliased and namespace imports', () => {
    const s = one(`import Def, { A, B as C } from './m';`);
    expect(s.form).toBe('import');
    expect(s.specifier).toBe('./m');
    expect(s.names.map((n) => [n.imported, n.local, n.isTypeOnly])).toEqual([
      ['default', 'Def', false],
      ['A', 'A', false],
      ['B', 'C', false],
    ]);
    const ns = one(`import * as legacy from "./m";`);
    expect(ns.names).toMatchObject([{ imported: '*', local: 'legacy' }]);
    expect(ns.quote).toBe('"');
  });

  it('type-only declarations and inline type specifiers', () => {
    const whole = one(`import type { A } from './m';`);
    expect(whole.form).toBe('import-type');
    expect(whole.typeOnly).toBe(true);
    expect(whole.names[0]!.isTypeOnly).toBe(true);
    const inline = one(`import { type A, B } from './m';`);
    expect(inline.form).toBe('import');
    expect(inline.typeOnly).toBe(false);
    expect(inline.names.map((n) => n.isTypeOnly)).toEqual([true, false]);
  });

  it('side-effect imports', () => {
    expect(one(`import './m';`)).toMatchObject({ form: 'side-effect', names: [] });
  });

  it('re-exports: named, type, star and star-as', () => {
    const named = one(`export { A, B as C } from './m';`);
    expect(named.form).toBe('export-from');
    expect(named.names.map((n) => [n.imported, n.local])).toEqual([
      ['A', 'A'],
      ['B', 'C'],
    ]);
    expect(one(`export type { A } from './m';`)).toMatchObject({ form: 'export-from', typeOnly: true });
    expect(one(`export * from './m';`)).toMatchObject({ form: 'export-all', names: [] });
    expect(one(`export * as ns from './m';`)).toMatchObject({
      form: 'export-all-as',
      names: [{ imported: '*', local: 'ns' }],
    });
  });

  it('local exports without a module are not sites', () => {
    expect(sitesOf(`const a = 1; export { a };`)).toEqual([]);
  });

  it('import x = require()', () => {
    expect(one(`import legacy = require('./m');`)).toMatchObject({
      form: 'import-equals',
      names: [{ imported: '*', local: 'legacy' }],
    });
  });

  it('require(): whole module, destructured, and property access', () => {
    expect(one(`const m = require('./m');`, '/p/a.js')).toMatchObject({
      form: 'require',
      names: [{ imported: '*', local: 'm' }],
    });
    expect(one(`const { A, B: C } = require('./m');`, '/p/a.cjs').names.map((n) => [n.imported, n.local])).toEqual([
      ['A', 'A'],
      ['B', 'C'],
    ]);
    expect(one(`const R = require('./m').MessageRouter;`, '/p/a.js').names).toMatchObject([
      { imported: 'MessageRouter' },
    ]);
  });

  it('a require() with a computed argument or two arguments is not a site', () => {
    expect(sitesOf(`const name = './m'; require(name); require('./a', 'b');`, '/p/a.js')).toEqual([]);
  });

  it('dynamic import(), also with a template literal without substitutions', () => {
    expect(one(`async function f() { return import('./m'); }`)).toMatchObject({ form: 'dynamic-import' });
    expect(one('const p = import(`./m`);')).toMatchObject({ form: 'dynamic-import', quote: '`' });
  });

  it("import('x') types", () => {
    const s = one(`type R = import('./m').MessageRouter;`);
    expect(s).toMatchObject({ form: 'import-type-query', typeOnly: true, names: [{ imported: 'MessageRouter' }] });
    const nested = sitesOf(`let x: Array<import('./a').A<import('./b').B>>;`);
    expect(nested.map((n) => n.specifier)).toEqual(['./a', './b']);
  });

  it('module strings in test mocks', () => {
    const text = [
      `jest.mock('./a');`,
      `vi.mock('./b', () => ({}));`,
      `const actual = await vi.importActual('./c');`,
      `jest.requireActual('./d');`,
      `vi.doMock('./e');`,
      `other.mock('./f');`,
    ].join('\n');
    const sites = sitesOf(text);
    expect(sites.map((s) => [s.form, s.specifier, s.callee])).toEqual([
      ['mock', './a', 'jest.mock'],
      ['mock', './b', 'vi.mock'],
      ['mock', './c', 'vi.importActual'],
      ['mock', './d', 'jest.requireActual'],
      ['mock', './e', 'vi.doMock'],
    ]);
  });

  it('comments and strings that mention a module are never sites', () => {
    const text = `// import { A } from './m';\nconst s = "import { A } from './m'";\n/* require('./m') */`;
    expect(sitesOf(text)).toEqual([]);
  });

  it('records 1-based positions and offsets of the specifier literal', () => {
    const text = `\n\n  import { A } from './m';`;
    const s = one(text);
    expect([s.line, s.column]).toEqual([3, text.split('\n')[2]!.indexOf("'") + 1]);
    expect(text.slice(s.specifierStart, s.specifierEnd)).toBe(`'./m'`);
    expect(text.slice(s.nodeStart, s.nodeEnd)).toBe(`import { A } from './m';`);
  });

  it('parses <T>casts in .ts and JSX in .tsx by extension', () => {
    expect(parseFile('/p/a.ts', `import { A } from './m'; const x = <number>y;`).errors).toEqual([]);
    expect(parseFile('/p/a.tsx', `import { A } from './m'; const x = <div>{A}</div>;`).errors).toEqual([]);
  });
});

describe('parse errors', () => {
  it('are data with a position, never an exception', () => {
    const { errors } = parseFile('/p/broken.ts', `import { A } from './m';\nconst = 5;\n`);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ file: '/p/broken.ts', line: 2 });
    expect(typeof errors[0]!.message).toBe('string');
  });
});
