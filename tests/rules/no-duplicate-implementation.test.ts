import * as path from 'node:path';
import rule, { type DuplicateMessageIds, type NoDuplicateImplementationOptions } from '../../rules/no-duplicate-implementation.js';
import { RuleTester, copyFixtureProject, espree } from './rule-tester.js';

const root = copyFixtureProject();
const app = (file: string): string => path.join(root, 'src/app', file);
const ruleTester = new RuleTester();

const duplicate = (line: number, column: number, kind: string, symbol: string, signals: string, canonical = '../canonical/router') => ({
  messageId: 'duplicate' as const,
  line,
  column,
  data: { kind, symbol, concept: 'router', signals, canonical },
});

ruleTester.run<DuplicateMessageIds, [NoDuplicateImplementationOptions]>('no-duplicate-implementation', rule as never, {
  valid: [
    // The canonical files may define the concept.
    { filename: path.join(root, 'src/canonical/router.ts'), code: 'export class Router { route() {} addHandler() {} removeHandler() {} broadcast() {} }' },
    // A router that is not this concept: no name, shape or heritage signal.
    { filename: app('http.ts'), code: 'export class HttpRouter { get() {} post() {} handle() {} }' },
    // Two members are below minMembers (3).
    { filename: app('small.ts'), code: 'export const hub = { route() {}, broadcast() {} };' },
    // Mentions in comments and strings are not declarations.
    { filename: app('doc.ts'), code: "// class OldRouter { route() {} addHandler() {} removeHandler() {} }\nexport const s = 'OldRouter';" },
    // The legacy module itself is reported by no-legacy-import users; here it is out of scope of the option's concept.
    { filename: app('inline.ts'), code: 'export class OldRouter {}', options: [{ rootDir: root, concepts: [{ id: 'other', canonical: { module: 'x' }, detect: { names: ['Nope'] } }] }] },
  ],
  invalid: [
    {
      filename: app('copy.ts'),
      code: "import { helper } from './helper';\nexport class OldRouter {\n  route() {}\n  addHandler() {}\n  removeHandler() {}\n}\nhelper();",
      errors: [
        {
          ...duplicate(2, 14, 'Class', 'OldRouter', 'name matches OldRouter; shares 3 of 4 members: route, addHandler, removeHandler'),
          suggestions: [
            {
              messageId: 'useCanonical',
              data: { name: 'Router', canonical: '../canonical/router', symbol: 'OldRouter' },
              output: "import { Router } from '../canonical/router';\nimport { helper } from './helper';\nexport class OldRouter {\n  route() {}\n  addHandler() {}\n  removeHandler() {}\n}\nhelper();",
            },
          ],
        },
      ],
    },
    {
      // Shape only: an object literal under an unrelated name.
      filename: app('hub.ts'),
      code: '"use strict";\nexport const hub = { route() {}, addHandler() {}, broadcast() {}, other: 1 };',
      errors: [
        {
          ...duplicate(2, 14, 'Object', 'hub', 'shares 3 of 4 members: route, addHandler, broadcast'),
          suggestions: [{ messageId: 'useCanonical', output: '"use strict";\nimport { Router } from \'../canonical/router\';\nexport const hub = { route() {}, addHandler() {}, broadcast() {}, other: 1 };' }],
        },
      ],
    },
    {
      // Heritage through an import alias; declaring the canonical name again has no import suggestion (it would clash).
      filename: app('heir.ts'),
      code: "import { Router as Base } from '../canonical/router';\nexport class Router extends Base {}",
      errors: [{ ...duplicate(2, 14, 'Class', 'Router', 'declares the canonical name Router again; extends Router'), suggestions: [] }],
    },
    {
      // Plain JS with espree (CommonJS): the suggestion uses require().
      filename: app('legacy.cjs'),
      code: 'function GoneRouter() {}\nmodule.exports = GoneRouter;',
      languageOptions: { parser: espree as never, sourceType: 'commonjs' } as never,
      errors: [
        {
          ...duplicate(1, 10, 'Function', 'GoneRouter', 'name matches GoneRouter'),
          suggestions: [{ messageId: 'useCanonical', output: "const { Router } = require('../canonical/router');\nfunction GoneRouter() {}\nmodule.exports = GoneRouter;" }],
        },
      ],
    },
    {
      // Inline options: the message-router preset with the canonical module given as a package.
      filename: app('chat.ts'),
      code: 'export class ChatMessageRouter { addHandler() {} routeMessage() {} registerConnection() {} broadcastToUser() {} }',
      options: [{ rootDir: root, concepts: [{ id: 'message-router', preset: 'message-router' }] }],
      errors: [
        {
          messageId: 'duplicate',
          data: {
            kind: 'Class',
            symbol: 'ChatMessageRouter',
            concept: 'message-router',
            signals: 'name matches /MessageRouter$/; shares 4 of 8 members: addHandler, routeMessage, registerConnection, broadcastToUser',
            canonical: 'ssot-kit/router',
          },
          suggestions: [{ messageId: 'useCanonical', output: "import { CanonicalMessageRouter } from 'ssot-kit/router';\nexport class ChatMessageRouter { addHandler() {} routeMessage() {} registerConnection() {} broadcastToUser() {} }" }],
        },
      ],
    },
  ],
});
