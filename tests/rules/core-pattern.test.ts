// The core extension this plugin needed (src/core/pattern.ts and the legacy `pattern`,
// `importNames`, `allowTypeImports`, `message` keys): tested here, beside the rules that use it.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  analyzeFile,
  compileSpecifierPattern,
  createAnalysisContext,
  patternNeedles,
  resolveConfig,
} from '../../src/core/index.js';
import { copyFixtureProject } from './rule-tester.js';

describe('compileSpecifierPattern', () => {
  it('matches exact specifiers, gitignore groups (with negation) and regexes, case-insensitive by default', () => {
    const exact = compileSpecifierPattern({ exact: ['lodash'], caseSensitive: true });
    expect([exact('lodash'), exact('lodash/fp'), exact('Lodash')]).toEqual([true, false, false]);
    const group = compileSpecifierPattern({ group: ['legacy-ui/*', '!legacy-ui/keep'] });
    expect([group('legacy-ui/button'), group('Legacy-UI/Button'), group('legacy-ui/keep'), group('modern-ui')]).toEqual(
      [true, true, false, false],
    );
    const regex = compileSpecifierPattern({ regex: 'legacy/(router|gone)$', caseSensitive: true });
    expect([
      regex('../legacy/router'),
      regex('../legacy/gone'),
      regex('../LEGACY/router'),
      regex('../legacy/router/x'),
    ]).toEqual([true, true, false, false]);
  });

  it('gives the prefilter literals every match contains, or nothing when it cannot', () => {
    expect(patternNeedles({ exact: ['../legacy/router'], caseSensitive: true })).toEqual({
      needles: ['../legacy/router'],
      caseInsensitive: false,
    });
    expect(patternNeedles({ group: ['legacy-ui/*', '!legacy-ui/keep'] })).toEqual({
      needles: ['legacy-ui'],
      caseInsensitive: true,
    });
    expect(patternNeedles({ regex: 'a|b' })).toBeUndefined();
    expect(patternNeedles({ group: ['*'] })).toBeUndefined();
  });
});

describe('legacy modules given as patterns, with importNames / allowTypeImports', () => {
  const root = copyFixtureProject();
  const file = path.join(root, 'src/app/x.ts');
  const concept = (legacy: Record<string, unknown>) => ({
    concepts: [{ id: 'c', canonical: { module: 'new-lib' }, legacy: [legacy] }],
  });

  it('rejects a legacy entry with both module and pattern, or neither, or a bad regex', () => {
    expect(() => resolveConfig(concept({ module: 'old', pattern: { exact: ['old'] } }), root)).toThrow(ConfigError);
    expect(() => resolveConfig(concept({ names: { a: 'b' } }), root)).toThrow(
      /module: is required \(or set a pattern\)/,
    );
    expect(() => resolveConfig(concept({ pattern: {} }), root)).toThrow(/needs exact, group or regex/);
    expect(() => resolveConfig(concept({ pattern: { regex: '(' } }), root)).toThrow(/invalid regular expression/);
  });

  it('classifies by specifier text and honours importNames and allowTypeImports', () => {
    const config = resolveConfig(
      concept({
        pattern: { group: ['old-lib', 'old-lib/*'] },
        importNames: ['a'],
        allowTypeImports: true,
        message: 'Use new-lib.',
      }),
      root,
    );
    const legacy = config.concepts[0]!.legacy[0]!;
    expect(legacy).toMatchObject({
      kind: 'package',
      module: 'old-lib, old-lib/*',
      importNames: ['a'],
      allowTypeImports: true,
      message: 'Use new-lib.',
    });
    // With importNames, only those names map (the others stay on the old module).
    expect(legacy.names).toEqual({ a: 'a' });
    const ctx = createAnalysisContext(config);
    const text = [
      "import { a, b } from 'old-lib';", // concept site (a)
      "import { b } from 'OLD-LIB/sub';", // an import of the module, but no restricted name
      "import type { a as A } from 'old-lib';", // an import of the module, but type-only is allowed
      "export * from 'old-lib';", // concept site: whole module
      "import * as ns from 'old-lib/x';", // concept site: namespace
    ].join('\n');
    const analysis = analyzeFile(ctx, file, text);
    // Every import of the module is a legacy site (each keeps it alive); only some use the concept.
    const kinds = analysis.sites.map(
      (s) => `${s.line}:${s.target.kind === 'legacy' ? (s.target.concept ? 'concept' : 'other name') : s.target.kind}`,
    );
    expect(kinds).toEqual(['1:concept', '2:other name', '3:other name', '4:concept', '5:concept']);
    // The prefilter stays sound for case-insensitive patterns.
    expect(ctx.prefilter.mayMatch("import x from 'OLD-LIB';")).toBe(true);
    expect(ctx.prefilter.mayMatch("import x from 'other';")).toBe(false);
  });
});
