import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'rules/**/*.test.ts', 'codemods/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Several suites spawn real processes (tsc, eslint, jscodeshift, the CLI); two cores.
    maxWorkers: 2,
  },
});
