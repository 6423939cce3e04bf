import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { RuleTester } from '@typescript-eslint/rule-tester';
import { afterAll, describe, it } from 'vitest';
import * as coreModule from '../../src/core/index.js';
import * as rewriteModule from '../../src/core/rewrite/index.js';
import { provideCore } from '../../rules/utils/core.js';

// The rules load the core lazily with require() (see rules/utils/core.ts); from TypeScript
// sources under vitest they get the modules vitest loaded.
provideCore({ ...coreModule, ...rewriteModule });

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const require = createRequire(import.meta.url);
/** ESLint's default parser, for plain JS test cases. */
export const espree = require('espree') as { parse: unknown; version: string };

/**
 * A fresh copy of fixtures/eslint/project in a temp dir (synchronously: RuleTester registers its
 * cases at module load). The config file on disk is read from there.
 */
export function copyFixtureProject(name = 'project'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ssot-eslint-${name}-`));
  fs.cpSync(path.join(REPO_ROOT, 'fixtures/eslint', name), dir, { recursive: true });
  return fs.realpathSync(dir);
}

export { RuleTester };
