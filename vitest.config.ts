import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const TESTS = ['tests/**/*.test.ts', 'rules/**/*.test.ts', 'codemods/**/*.test.ts'];

// Test files that need a fresh module graph of their own: compat.test.ts checks the compat
// layer's warn-once state from its first import on.
const ISOLATED = ['tests/router/compat.test.ts'];

export default defineConfig({
  resolve: {
    // src/core/typescript.cts only re-exports TypeScript through require() (a start-up saving for
    // the built CLI); Vite does not transform `.cts`, so under test a CommonJS file that Node
    // loads does the same (tests/helpers/typescript.cjs).
    alias: [
      {
        find: /^(?:\.\.?\/)+(?:src\/core\/)?typescript\.cjs$/,
        replacement: fileURLToPath(new URL('./tests/helpers/typescript.cjs', import.meta.url)),
      },
    ],
  },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Several suites spawn real processes (tsc, eslint, jscodeshift, the CLI); two cores.
    maxWorkers: 2,
    server: { deps: { external: [/\/tests\/helpers\/typescript\.cjs$/] } },
    projects: [
      {
        // One module graph per worker, not per file: the test files share the core, TypeScript and
        // the helpers instead of importing them again for each file (none keeps state in them).
        extends: true,
        test: { name: 'shared', include: TESTS, exclude: [...configDefaults.exclude, ...ISOLATED], isolate: false },
      },
      { extends: true, test: { name: 'isolated', include: ISOLATED } },
    ],
  },
});
