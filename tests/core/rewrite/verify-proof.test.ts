// The proof that lets `ssot migrate` skip re-parsing a rewrite (editsKeepSyntax): when it holds,
// TypeScript's parser finds exactly the errors it found before, for any text, broken or not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectImportSites } from '../../../src/core/inventory.js';
import { parseFile } from '../../../src/core/parse.js';
import { applyEdits } from '../../../src/core/rewrite/plan.js';
import { editsKeepSyntax, verifyRewrite } from '../../../src/core/rewrite/verify.js';
import { createAnalysisContext } from '../../../src/core/analyze.js';
import { resolveConfig } from '../../../src/core/config/load.js';
import { makeProject, cleanup } from '../../helpers/index.js';
import { afterAll } from 'vitest';

afterAll(cleanup);

const FRAGMENTS = [
  "import { a } from './types';",
  'import type { T } from "../types";',
  "export * from './event';",
  'const m = require(`./types`);',
  "const lazy = () => import('./event');",
  "jest.mock('../types');",
  'type Q = import("./types").A;',
  "import x = require('./event');",
  'export const f = (n: number) => n + 1;',
  'class C { m() { return 1; } }',
  'const broken = (1 + ;', // a syntax error of its own
  'const s = "it\'s";',
  "/* a comment with a quote ' */",
];
const REPLACEMENTS = ['@new/types', '../../x/y', "a'b", 'a"b', 'a`b', 'a\\b', 'a\nb', 'a${b}', 'ok-name', ''];

describe('editsKeepSyntax', () => {
  it('when it holds, the rewritten text has the same syntax errors as the original', () => {
    let proven = 0;
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 8 }),
        fc.array(fc.constantFrom(...REPLACEMENTS), { minLength: 1, maxLength: 4 }),
        (lines, replacements) => {
          const text = lines.join('\n');
          const before = parseFile('/p/a.ts', text);
          const sites = collectImportSites(before.sourceFile);
          if (sites.length === 0) return;
          const edits = sites
            .slice(0, replacements.length)
            .map((site, i) => ({ start: site.specifierStart + 1, end: site.specifierEnd - 1, text: replacements[i]! }));
          if (!editsKeepSyntax(edits, sites)) return;
          proven++;
          const after = parseFile('/p/a.ts', applyEdits(text, edits));
          expect(after.errors.map((e) => e.message)).toEqual(before.errors.map((e) => e.message));
          expect(after.errors.map((e) => e.line)).toEqual(before.errors.map((e) => e.line));
        },
      ),
      { numRuns: 400, seed: 5 },
    );
    expect(proven).toBeGreaterThan(100);
  });

  it('does not hold for an edit outside a literal, or text that could end or escape it', () => {
    const text = "import { a } from './types';\nconst t = `./x`;";
    const sites = collectImportSites(parseFile('/p/a.ts', text).sourceFile);
    const inside = { start: sites[0]!.specifierStart + 1, end: sites[0]!.specifierEnd - 1 };
    expect(editsKeepSyntax([{ ...inside, text: '@new/types' }], sites)).toBe(true);
    expect(editsKeepSyntax([{ ...inside, text: "x'y" }], sites)).toBe(false);
    expect(editsKeepSyntax([{ ...inside, text: 'x\\y' }], sites)).toBe(false);
    expect(editsKeepSyntax([{ ...inside, text: 'x\ny' }], sites)).toBe(false);
    expect(editsKeepSyntax([{ start: 0, end: 6, text: 'export' }], sites)).toBe(false);
    expect(
      editsKeepSyntax([{ start: sites[0]!.specifierStart, end: sites[0]!.specifierEnd, text: "'@new/types'" }], sites),
    ).toBe(false);
  });

  it('verifyRewrite still refuses a literal edit in a file that did not parse, and a self-import', () => {
    const root = makeProject({
      'src/a.ts': "import { x } from './b';\nconst broken = (1 + ;\n",
      'src/b.ts': 'export const x = 1;\n',
    });
    const ctx = createAnalysisContext(
      resolveConfig(
        { concepts: [{ id: 'c', canonical: { module: 'new-lib' }, legacy: [{ module: 'src/b.ts' }] }] },
        root,
      ),
    );
    const file = `${root}/src/a.ts`;
    const text = "import { x } from './b';\nconst broken = (1 + ;\n";
    const sites = collectImportSites(parseFile(file, text).sourceFile);
    const edits = [{ start: sites[0]!.specifierStart + 1, end: sites[0]!.specifierEnd - 1, text: 'new-lib' }];
    const after = applyEdits(text, edits);
    expect(
      verifyRewrite(ctx, file, text, after, {
        specifiers: ['new-lib'],
        proof: { edits, literals: sites, beforeParses: false },
      }).ok,
    ).toBe(false);
    const self = [{ ...edits[0]!, text: './a' }];
    expect(
      verifyRewrite(ctx, file, text, applyEdits(text, self), {
        specifiers: ['./a'],
        proof: { edits: self, literals: sites, beforeParses: true },
      }),
    ).toMatchObject({ ok: false, error: expect.stringMatching(/import itself/) });
  });
});
