import * as fs from 'node:fs';
import * as path from 'node:path';
import { Linter } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';
import { describe, expect, it } from 'vitest';
import plugin, { configs, rules } from '../../rules/index.js';
import { clearCaches, stats } from '../../rules/utils/context.js';
import { REPO as REPO_ROOT, tempDir } from '../helpers/index.js';
import { copyFixtureProject } from './rule-tester.js';

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };

function lint(
  root: string,
  file: string,
  code: string,
  ruleConfig: Linter.RulesRecord,
  parser: 'ts' | 'espree' = 'ts',
): Linter.LintMessage[] {
  const linter = new Linter({ configType: 'flat', cwd: root });
  const config: Linter.Config[] = [
    {
      files: ['**/*.{ts,js,mjs,cjs}'],
      plugins: { ssot: plugin as never },
      ...(parser === 'ts' ? { languageOptions: { parser: tsParser as never } } : {}),
      rules: ruleConfig,
    },
  ];
  return linter.verify(code, config, { filename: path.join(root, file) });
}

const ALL_RULES: Linter.RulesRecord = {
  'ssot/no-legacy-import': 'error',
  'ssot/no-duplicate-implementation': 'error',
  'ssot/no-missing-legacy-module': 'error',
};

describe('plugin object', () => {
  it('has meta with name and the package version, and the three rules', () => {
    expect(plugin.meta.name).toBe('ssot-kit/eslint-plugin');
    expect(plugin.meta.version).toBe(pkg.version);
    expect(Object.keys(plugin.rules).sort()).toEqual([
      'no-duplicate-implementation',
      'no-legacy-import',
      'no-missing-legacy-module',
    ]);
    expect(rules).toBe(plugin.rules);
  });

  it.each(Object.entries(rules))(
    '%s: docs URL to docs/rules/<rule>.md (which exists), schema, defaultOptions, messages',
    (name, rule) => {
      expect(rule.meta.docs?.url).toMatch(new RegExp(`/docs/rules/${name}\\.md$`));
      expect(fs.existsSync(path.join(REPO_ROOT, 'docs/rules', `${name}.md`))).toBe(true);
      expect(Array.isArray(rule.meta.schema)).toBe(true);
      expect(rule.defaultOptions).toHaveLength(1);
      expect(Object.keys(rule.meta.messages)).toContain('configError');
      expect(rule.meta.hasSuggestions).toBe(true);
    },
  );

  it('configs.recommended: flat config array enabling the rules with the typescript-eslint parser for TS files', () => {
    expect(Array.isArray(configs.recommended)).toBe(true);
    const [base, ts] = configs.recommended;
    expect(base?.files).toEqual(['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}']);
    expect(base?.plugins?.['ssot']).toBe(plugin);
    expect(base?.rules).toEqual({
      'ssot/no-duplicate-implementation': 'error',
      'ssot/no-legacy-import': ['error', { missing: false }],
      'ssot/no-missing-legacy-module': 'error',
    });
    expect(ts?.files).toEqual(['**/*.{ts,tsx,mts,cts}']);
    expect((ts?.languageOptions?.parser as { parseForESLint?: unknown } | undefined)?.parseForESLint).toBeTypeOf(
      'function',
    );
  });

  it('the recommended config reports each finding once, under one rule id', () => {
    const root = copyFixtureProject();
    const linter = new Linter({ configType: 'flat', cwd: root });
    const code =
      "import { GoneRouter } from '../legacy/gone';\nimport { OldRouter } from '../legacy/router';\nexport class Router extends Map {}\nexport { GoneRouter, OldRouter };";
    const messages = linter.verify(code, configs.recommended as Linter.Config[], {
      filename: path.join(root, 'src/app/x.ts'),
    });
    expect(messages.map((m) => `${m.line}:${m.ruleId}`)).toEqual([
      '1:ssot/no-missing-legacy-module',
      '2:ssot/no-legacy-import',
      '3:ssot/no-duplicate-implementation',
    ]);
  });
});

describe('config discovery and caching', () => {
  it('finds ssot.config.json from the linted file and re-reads it when it changes (editor sessions stay right)', () => {
    clearCaches();
    const root = copyFixtureProject();
    const code = "import { OldRouter } from '../legacy/router';";
    expect(lint(root, 'src/app/a.ts', code, ALL_RULES).map((m) => m.ruleId)).toEqual(['ssot/no-legacy-import']);
    const configFile = path.join(root, 'ssot.config.json');
    const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as { concepts: { legacy: { module: string }[] }[] };
    config.concepts[0]!.legacy = config.concepts[0]!.legacy.filter((l) => l.module !== 'src/legacy/router.ts');
    fs.writeFileSync(configFile, JSON.stringify(config));
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(configFile, later, later);
    expect(lint(root, 'src/app/a.ts', code, ALL_RULES)).toEqual([]);
  });

  it('a config file deleted during the session is searched for again, not reported missing', () => {
    clearCaches();
    const root = copyFixtureProject();
    const code = "import { OldRouter } from '../legacy/router';";
    expect(lint(root, 'src/app/a.ts', code, ALL_RULES).map((m) => m.ruleId)).toEqual(['ssot/no-legacy-import']);
    fs.rmSync(path.join(root, 'ssot.config.json'));
    // Within the folder cache's lifetime: no config any more, so nothing to check (no config error).
    expect(lint(root, 'src/app/a.ts', code, ALL_RULES)).toEqual([]);
  });

  it('follows tsconfig changes (ModuleResolver.refresh)', () => {
    clearCaches();
    const root = copyFixtureProject();
    const code = "import { OldRouter } from '@old/router';";
    // No alias yet: the specifier resolves nowhere and names no legacy module.
    expect(lint(root, 'src/app/a.ts', code, ALL_RULES)).toEqual([]);
    const tsconfigFile = path.join(root, 'tsconfig.json');
    const tsconfig = JSON.parse(fs.readFileSync(tsconfigFile, 'utf8')) as {
      compilerOptions: { paths: Record<string, string[]> };
    };
    tsconfig.compilerOptions.paths['@old/*'] = ['./src/legacy/*'];
    fs.writeFileSync(tsconfigFile, JSON.stringify(tsconfig));
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(tsconfigFile, later, later);
    expect(lint(root, 'src/app/a.ts', code, ALL_RULES).map((m) => m.ruleId)).toEqual(['ssot/no-legacy-import']);
  });

  it('reports a broken config file instead of passing silently', () => {
    clearCaches();
    const root = copyFixtureProject();
    fs.writeFileSync(path.join(root, 'ssot.config.json'), '{ "concepts": [ { "id": "x", "legacy": [] } ] }');
    const messages = lint(root, 'src/app/a.ts', 'export {};', { 'ssot/no-legacy-import': 'error' });
    expect(messages).toHaveLength(1);
    expect(messages[0]?.message).toMatch(/ssot config problem: .*canonical\.module: is required/s);
  });

  it('does nothing where there is no ssot config', () => {
    clearCaches();
    const dir = tempDir('eslint-none');
    expect(
      lint(dir, 'a.ts', "import { OldRouter } from './legacy/router';\nexport class MessageRouter {}", ALL_RULES),
    ).toEqual([]);
  });
});

describe('performance: prefilter first, one analysis per file shared by the rules, no re-parse', () => {
  it('a file without any needle is not parsed by the core', () => {
    clearCaches();
    const root = copyFixtureProject();
    const before = { ...stats };
    expect(lint(root, 'src/app/plain.ts', 'export const answer = 42;', ALL_RULES)).toEqual([]);
    expect(stats.analyzed - before.analyzed).toBe(1);
    expect(stats.prefiltered - before.prefiltered).toBe(1);
    expect(stats.parsed - before.parsed).toBe(0);
    expect(stats.shared - before.shared).toBe(2);
    // One look for the config file, not one per rule.
    expect(stats.configLookups - before.configLookups).toBe(1);
  });

  it("reuses the program's SourceFile with typed linting (projectService)", () => {
    clearCaches();
    const root = copyFixtureProject();
    const file = path.join(root, 'src/app/typed.ts');
    const code = "import { OldRouter } from '../legacy/router';\nexport const r: OldRouter = new OldRouter();\n";
    fs.writeFileSync(file, code);
    const linter = new Linter({ configType: 'flat', cwd: root });
    const before = { ...stats };
    const messages = linter.verify(
      code,
      [
        {
          files: ['**/*.ts'],
          plugins: { ssot: plugin as never },
          languageOptions: {
            parser: tsParser as never,
            parserOptions: { projectService: true, tsconfigRootDir: root },
          },
          rules: ALL_RULES,
        },
      ],
      { filename: file },
    );
    expect(messages.map((m) => m.ruleId)).toEqual(['ssot/no-legacy-import']);
    expect(stats.reusedSourceFile - before.reusedSourceFile).toBe(1);
    expect(stats.parsed - before.parsed).toBe(0);
  });

  it("reuses typescript-eslint's TypeScript SourceFile; parses once for espree", () => {
    clearCaches();
    const root = copyFixtureProject();
    const code = "const { OldRouter } = require('../legacy/router');\nmodule.exports = OldRouter;";
    let before = { ...stats };
    expect(lint(root, 'src/app/a.cjs', code, ALL_RULES)).toHaveLength(1);
    expect(stats.reusedSourceFile - before.reusedSourceFile).toBe(1);
    expect(stats.parsed - before.parsed).toBe(0);
    before = { ...stats };
    expect(lint(root, 'src/app/b.cjs', code, ALL_RULES, 'espree')).toHaveLength(1);
    expect(stats.parsed - before.parsed).toBe(1);
    expect(stats.analyzed - before.analyzed).toBe(1);
    expect(stats.shared - before.shared).toBe(2);
  });
});
