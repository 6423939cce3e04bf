import * as path from 'node:path';
import rule, {
  type DuplicateMessageIds,
  type NoDuplicateImplementationOptions,
} from '../../rules/no-duplicate-implementation.js';
import { RuleTester, copyFixtureProject, espree } from './rule-tester.js';

// The rule's messages and suggestions; which shapes are duplicates (and which are not) is
// asserted for the core, the report and this rule alike in tests/core/detect-fixtures.test.ts.
const root = copyFixtureProject();
const app = (file: string): string => path.join(root, 'src/app', file);
const ruleTester = new RuleTester();

/** The fixture project's concept, inline, with a registry profile: a list of handlers, each called. */
const withRegistries = {
  rootDir: root,
  concepts: [
    {
      id: 'router',
      canonical: { module: 'src/canonical/router.ts', files: ['src/canonical/**'], names: ['Router'] },
      detect: { registries: [{ call: 'each' as const }] },
    },
  ],
};

const duplicate = (
  line: number,
  column: number,
  kind: string,
  symbol: string,
  signals: string,
  canonical = '../canonical/router',
) => ({
  messageId: 'duplicate' as const,
  line,
  column,
  data: { kind, symbol, concept: 'router', signals, canonical },
});

const BUS =
  'export class Bus {\n  private readonly listeners: (() => void)[] = [];\n  on(l: () => void) { this.listeners.push(l); }\n  fire() { for (const l of this.listeners) l(); }\n}';

ruleTester.run<DuplicateMessageIds, [NoDuplicateImplementationOptions]>('no-duplicate-implementation', rule as never, {
  valid: [
    // The canonical files may define the concept.
    {
      filename: path.join(root, 'src/canonical/router.ts'),
      code: 'export class Router { route() {} addHandler() {} removeHandler() {} broadcast() {} }',
    },
    // A name or members alone prove nothing: a look-alike class, a data table keyed by member names.
    { filename: app('old.ts'), code: 'export class OldRouter { route() {} addHandler() {} removeHandler() {} }' },
    {
      filename: app('table.ts'),
      code: "export const NOTES = { route: 'use route()', addHandler: 'use on()', removeHandler: 'use off()' };",
    },
    // A subclass of the canonical, through an import alias.
    {
      filename: app('heir.ts'),
      code: "import { Router as Base } from '../canonical/router';\nexport class Router extends Base {}",
    },
    // Own storage and dispatch, but the concept (from the config file) has no registry profile.
    { filename: app('bus.ts'), code: BUS },
  ],
  invalid: [
    {
      // Declaring the canonical name again: no import suggestion (it would clash).
      filename: app('copy.ts'),
      code: "import { helper } from './helper';\nexport class Router {\n  route() {}\n}\nhelper();",
      errors: [{ ...duplicate(2, 14, 'Class', 'Router', 'declares the canonical name Router again'), suggestions: [] }],
    },
    {
      // Owns the concept's state and behaviour, under another name.
      filename: app('bus.ts'),
      code: '"use strict";\n' + BUS,
      options: [withRegistries],
      errors: [
        {
          ...duplicate(
            2,
            14,
            'Class',
            'Bus',
            'owns `listeners`: (() => void)[] (filled in `on`) and calls each in `fire`',
          ),
          suggestions: [
            {
              messageId: 'useCanonical',
              output: '"use strict";\nimport { Router } from \'../canonical/router\';\n' + BUS,
            },
          ],
        },
      ],
    },
    {
      // Plain JS with espree (CommonJS): a factory keeping its own list; the suggestion uses require().
      filename: app('legacy.cjs'),
      code: 'function makeBus() {\n  const ls = [];\n  return { on(l) { ls.push(l); }, fire(e) { ls.forEach((l) => l(e)); } };\n}\nmodule.exports = makeBus;',
      options: [withRegistries],
      languageOptions: { parser: espree as never, sourceType: 'commonjs' } as never,
      errors: [
        {
          ...duplicate(1, 10, 'Function', 'makeBus', 'owns `ls`: [] (filled in `on`) and calls each in `fire`'),
          suggestions: [
            {
              messageId: 'useCanonical',
              output:
                "const { Router } = require('../canonical/router');\nfunction makeBus() {\n  const ls = [];\n  return { on(l) { ls.push(l); }, fire(e) { ls.forEach((l) => l(e)); } };\n}\nmodule.exports = makeBus;",
            },
          ],
        },
      ],
    },
    {
      // Inline options: the message-router preset with the canonical module given as a package.
      filename: app('chat.ts'),
      code: 'export class ChatMessageRouter {\n  private handlers: Record<string, ((m: unknown) => void)[]> = {};\n  addHandler(t: string, h: (m: unknown) => void) { (this.handlers[t] ??= []).push(h); }\n  routeMessage(t: string, m: unknown) { for (const h of this.handlers[t] ?? []) h(m); }\n}',
      options: [{ rootDir: root, concepts: [{ id: 'message-router', preset: 'message-router' }] }],
      errors: [
        {
          messageId: 'duplicate',
          data: {
            kind: 'Class',
            symbol: 'ChatMessageRouter',
            concept: 'message-router',
            signals:
              'owns `handlers`: Record<string, ((m: unknown) => void)[]> (filled in `addHandler`) and calls each in `routeMessage`; name matches /MessageRouter$/',
            canonical: 'ssot-kit/router',
          },
          suggestions: [
            {
              messageId: 'useCanonical',
              output:
                "import { CanonicalMessageRouter } from 'ssot-kit/router';\nexport class ChatMessageRouter {\n  private handlers: Record<string, ((m: unknown) => void)[]> = {};\n  addHandler(t: string, h: (m: unknown) => void) { (this.handlers[t] ??= []).push(h); }\n  routeMessage(t: string, m: unknown) { for (const h of this.handlers[t] ?? []) h(m); }\n}",
            },
          ],
        },
      ],
    },
  ],
});
