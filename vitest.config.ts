import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // src/core/typescript.cts only re-exports TypeScript through require() (a start-up saving for
    // the built CLI); Vite does not transform `.cts`, so under test import TypeScript itself.
    alias: [{ find: /^(?:\.\.?\/)+(?:src\/core\/)?typescript\.cjs$/, replacement: 'typescript' }],
  },
  test: {
    include: ['tests/**/*.test.ts', 'rules/**/*.test.ts', 'codemods/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Several suites spawn real processes (tsc, eslint, jscodeshift, the CLI); two cores.
    maxWorkers: 2,
  },
});
