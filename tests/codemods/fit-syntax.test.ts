import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportsFromLegacy } from '../../codemods/derived-exports.js';
import { fitWords } from '../../codemods/fit-words.js';
import { createMigrationContext, type MigrationContext } from '../../codemods/import-migration.js';
import { usesLegacyMembers } from '../../codemods/member-uses.js';
import { loadConfig } from '../../src/core/config/load.js';
import { cleanup, makeProject } from '../helpers/index.js';

/**
 * The syntax decisions behind stage 1's choice of files to type-check (src/migrate/fit.ts): which
 * files use a legacy member, and which export something derived from a legacy import. Each case is
 * a file of a project whose legacy module is src/legacy/router.ts (a MessageRouter with
 * `addHandler` and `flush`).
 */
let root: string;
let mctx: MigrationContext;
let words: Set<string>;

beforeAll(() => {
  root = makeProject({
    'ssot.config.json': JSON.stringify({
      concepts: [{ id: 'message-router', preset: 'message-router', legacy: [{ module: 'src/legacy/router.ts' }] }],
    }),
    'src/legacy/router.ts': [
      'export class MessageRouter {',
      '  addHandler(type: string, handler: (m: unknown) => void): void {}',
      '  flush(): number { return 0; }',
      '}',
      'export function createMessageRouter(): MessageRouter { return new MessageRouter(); }',
      '',
    ].join('\n'),
  });
  const config = loadConfig({ cwd: root });
  mctx = createMigrationContext(config);
  words = new Set(fitWords(config));
});
afterAll(() => cleanup());

const file = (name: string): string => path.join(root, 'src', name);

describe('usesLegacyMembers', () => {
  it.each([
    ['a call of a member', "import { MessageRouter } from './legacy/router';\nnew MessageRouter().flush();\n", true],
    [
      'a read of a member',
      "import { MessageRouter } from './legacy/router';\nconst f = new MessageRouter().flush;\n",
      true,
    ],
    ['a call through a namespace', "import * as legacy from './legacy/router';\nlegacy.flush();\n", true],
    ['a declaration of a member of that name', 'export class Own {\n  flush(): void {}\n}\n', false],
    [
      'an uncalled read through a namespace',
      "import * as legacy from './legacy/router';\nexport const f = legacy.flush;\n",
      false,
    ],
    [
      'the same read where the name is also a parameter',
      "import * as legacy from './legacy/router';\nexport const f = legacy.flush;\nexport function g(legacy: { flush: number }) { return legacy.flush; }\n",
      true,
    ],
  ])('%s: %s', (_what, text, expected) => {
    expect(usesLegacyMembers(mctx, words, file('a.ts'), text)).toBe(expected);
  });
});

describe('exportsFromLegacy', () => {
  it.each([
    ['a re-export of a legacy name', "export { MessageRouter } from './legacy/router';\n", true],
    [
      'an exported instance',
      "import { MessageRouter } from './legacy/router';\nexport const r = new MessageRouter();\n",
      true,
    ],
    [
      'an exported function returning a local derived from it',
      "import { createMessageRouter } from './legacy/router';\nexport function get() {\n  const r = createMessageRouter();\n  return r;\n}\n",
      true,
    ],
    [
      'an exported value derived through another top-level declaration',
      "import { MessageRouter } from './legacy/router';\nconst r = new MessageRouter();\nconst all = [r];\nexport default all;\n",
      true,
    ],
    [
      'an exported function that uses it without returning a value',
      "import { MessageRouter } from './legacy/router';\nexport function start(): void {\n  new MessageRouter().flush();\n}\n",
      false,
    ],
    [
      'exports that never mention it',
      "import { MessageRouter } from './legacy/router';\nconst r = new MessageRouter();\nr.flush();\nexport const answer = 42;\n",
      false,
    ],
    [
      'an exported function with a declared return type',
      "import { createMessageRouter } from './legacy/router';\nexport function count(): number {\n  return createMessageRouter().flush();\n}\n",
      false,
    ],
    [
      'a CommonJS export',
      "const { MessageRouter } = require('./legacy/router');\nmodule.exports = { router: new MessageRouter() };\n",
      true,
    ],
  ])('%s', (_what, text, expected) => {
    const name = text.includes('require(') ? 'b.cjs' : 'b.ts';
    expect(exportsFromLegacy(mctx, file(name), text)).toBe(expected);
  });
});
