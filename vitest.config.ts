import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const TESTS = ['tests/**/*.test.ts', 'rules/**/*.test.ts', 'codemods/**/*.test.ts'];

// Test files that need a fresh module graph of their own: compat.test.ts checks the compat
// layer's warn-once state from its first import on.
const ISOLATED = ['tests/router/compat.test.ts'];

// The files that take longest (each runs the CLI, TypeScript or a real tool many times), longest
// first. Vitest orders files by the durations of its last run and, without one (a fresh clone, CI),
// by file size, which would start these late and leave one worker running them alone at the end.
// Only an order: a file missing here still runs, after these.
const LONGEST_FIRST = [
  'tests/codemods/import-migration.test.ts',
  'tests/e2e/pack.test.ts',
  'tests/bench/differential.test.ts',
  'tests/migrate/kill-resume.test.ts',
  'tests/bench/harness.test.ts',
  'tests/cli/claims.e2e.test.ts',
  'tests/cli/report.e2e.test.ts',
  'tests/core/typescript-loader.test.ts',
  'tests/migrate/demo-app.test.ts',
  'tests/cli/safety.e2e.test.ts',
  'tests/migrate/fit-selection.test.ts',
  'tests/rules/e2e.test.ts',
  'tests/migrate/run.test.ts',
  'tests/migrate/safety.test.ts',
  'tests/cli/check.e2e.test.ts',
  'tests/rules/dogfood.test.ts',
  'tests/router/docs-and-bench.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification): number => {
      const i = LONGEST_FIRST.findIndex((name) => f.moduleId.endsWith(`/${name}`));
      return i === -1 ? LONGEST_FIRST.length : i;
    };
    // Projects keep vitest's order (they run one after the other); Array.prototype.sort is stable,
    // so within a project the files not listed keep it too.
    const projects = [...new Set(sorted.map((f) => f.project.name))];
    const project = (f: TestSpecification): number => projects.indexOf(f.project.name);
    return sorted.sort((a, b) => project(a) - project(b) || rank(a) - rank(b));
  }
}

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
    sequence: { sequencer: LongestFirst },
    setupFiles: ['tests/helpers/cleanup.setup.ts'],
    // Loaded by Node itself, not through Vite's module runner: the TypeScript shim, and the built
    // CLI (dist/) that ssotInProcess and several tests import: plain JavaScript with nothing to
    // transform, run as the `ssot` binary runs it.
    server: { deps: { external: [/\/tests\/helpers\/typescript\.cjs$/, /\/dist\//] } },
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
