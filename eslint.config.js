// Dogfooding: the repo lints itself with its own plugin's recommended config (the built plugin:
// run `npm run build` first; tests/eslint/dogfood.test.ts does).
import ssot from './dist/rules/index.js';

/**
 * This repo's own concept: the message router is implemented once, in src/router (the canonical
 * module and its compat layer). Anything else that looks like a message router is a duplicate.
 */
const repoConcept = {
  rootDir: import.meta.dirname,
  concepts: [
    {
      id: 'message-router',
      preset: 'message-router',
      canonical: { module: 'src/router/index.ts', files: ['src/router/**'] },
      compat: { module: 'src/router/compat.ts' },
    },
  ],
};

export default [
  {
    ignores: [
      'dist/**',
      'fixtures/**',
      'bench/**',
      'tests/**',
      'scripts/**',
      'schema/**',
      'docs/**',
      'node_modules/**',
      '*.config.*',
    ],
  },
  ...ssot.configs.recommended,
  {
    name: 'ssot-kit/dogfood',
    files: ['{src,rules,codemods}/**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'],
    rules: {
      'ssot/no-duplicate-implementation': ['error', repoConcept],
      'ssot/no-legacy-import': ['error', { ...repoConcept, missing: false }],
      'ssot/no-missing-legacy-module': ['error', repoConcept],
    },
  },
];
