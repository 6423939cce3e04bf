import { createRequire } from 'node:module';
import { RuleTester } from '@typescript-eslint/rule-tester';
import { afterAll, describe, it } from 'vitest';
import * as coreModule from '../../src/core/index.js';
import * as rewriteModule from '../../src/core/rewrite/index.js';
import { provideCore } from '../../rules/utils/core.js';
import { copyFixture } from '../helpers/index.js';

// The rules load the core lazily with require() (see rules/utils/core.ts); from TypeScript
// sources under vitest they get the modules vitest loaded.
provideCore({ ...coreModule, ...rewriteModule });

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const require = createRequire(import.meta.url);
/** ESLint's default parser, for plain JS test cases. */
export const espree = require('espree') as { parse: unknown; version: string };

/** A fresh copy of fixtures/eslint/<name> (synchronous: RuleTester registers cases at module load). */
export function copyFixtureProject(name = 'project'): string {
  return copyFixture('eslint', name);
}

export { RuleTester };
