// ssot-kit/eslint-plugin: ESLint rules over the ssot analysis core (flat config).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TSESLint } from '@typescript-eslint/utils';
import * as tsParser from '@typescript-eslint/parser';
import noDuplicateImplementation from './no-duplicate-implementation.js';
import noLegacyImport from './no-legacy-import.js';
import noMissingLegacyModule from './no-missing-legacy-module.js';

/** The package's name and version, read from its package.json (works from rules/ and dist/rules/). */
function packageMeta(): { name: string; version: string } {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    try {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'ssot-kit' && typeof pkg.version === 'string')
        return { name: 'ssot-kit/eslint-plugin', version: pkg.version };
    } catch {
      // keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) return { name: 'ssot-kit/eslint-plugin', version: '0.0.0' };
    dir = parent;
  }
}

export const rules = {
  'no-duplicate-implementation': noDuplicateImplementation,
  'no-legacy-import': noLegacyImport,
  'no-missing-legacy-module': noMissingLegacyModule,
};

export type RuleName = keyof typeof rules;

/** Files the recommended config applies to. */
export const SOURCE_FILES = ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'];
export const TS_FILES = ['**/*.{ts,tsx,mts,cts}'];

export interface SsotPlugin {
  meta: { name: string; version: string; namespace: string };
  rules: typeof rules;
  configs: {
    /** Flat config array: the plugin and its rules for JS/TS sources, typescript-eslint's parser for TS files. */
    recommended: TSESLint.FlatConfig.ConfigArray;
  };
}

const plugin: SsotPlugin = {
  meta: { ...packageMeta(), namespace: 'ssot' },
  rules,
  configs: { recommended: [] },
};

plugin.configs.recommended.push(
  {
    name: 'ssot/recommended',
    files: SOURCE_FILES,
    plugins: { ssot: plugin as unknown as TSESLint.FlatConfig.Plugin },
    rules: {
      'ssot/no-duplicate-implementation': 'error',
      // Imports of deleted legacy modules are reported once, by no-missing-legacy-module.
      'ssot/no-legacy-import': ['error', { missing: false }],
      'ssot/no-missing-legacy-module': 'error',
    },
  },
  {
    name: 'ssot/recommended/typescript',
    files: TS_FILES,
    languageOptions: { parser: tsParser as unknown as TSESLint.FlatConfig.Parser },
  },
);

export const configs = plugin.configs;
export const meta = plugin.meta;
export default plugin;
