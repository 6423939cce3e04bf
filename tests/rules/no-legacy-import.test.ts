import * as path from 'node:path';
import rule, { type NoLegacyImportOptions } from '../../rules/no-legacy-import.js';
import type { LegacyMessageIds } from '../../rules/utils/legacy-rule.js';
import { RuleTester, copyFixtureProject, espree } from './rule-tester.js';
import { write } from '../helpers/index.js';

const root = copyFixtureProject();
const app = (file: string): string => path.join(root, 'src/app', file);

const ruleTester = new RuleTester();

const helpers = (line: number, column: number, form: string, names = '') => ({
  messageId: 'legacyImport' as const,
  line,
  column,
  data: {
    form,
    legacyModule: 'src/legacy/helpers.ts',
    concept: 'router',
    replacement: 'src/canonical/router.ts',
    names,
    note: '',
    specifier: '../legacy/helpers',
  },
});

const legacy = (line: number, column: number, form: string, names = '', specifier = '../legacy/router') => ({
  messageId: 'legacyImport' as const,
  line,
  column,
  data: {
    form,
    legacyModule: 'src/legacy/router.ts',
    concept: 'router',
    replacement: 'src/canonical/router.ts',
    names,
    note: '',
    specifier,
  },
});

// `as never`: rule-tester 8.72 bundles its own @typescript-eslint/utils types (8.73 here).
ruleTester.run<LegacyMessageIds, [NoLegacyImportOptions]>('no-legacy-import (config file on disk)', rule as never, {
  valid: [
    { filename: app('a.ts'), code: "import { Router } from '../canonical/router';" },
    { filename: app('b.ts'), code: "import fs from 'node:fs';\nimport { x } from './elsewhere';" },
    // Mentions in comments and strings are not imports.
    { filename: app('c.ts'), code: "// import { OldRouter } from '../legacy/router';\nconst s = '../legacy/router';" },
    // A same-named module in another folder is a different module (resolution decides, not text).
    { filename: app('d.ts'), code: "import { OldRouter } from './legacy/router';" },
    // The canonical module re-exporting the legacy one: a transition (the first step of a
    // consolidation), not a violation; it would import itself if it moved.
    { filename: path.join(root, 'src/canonical/router.ts'), code: "export { OldRouter } from '../legacy/router';" },
    // A name outside the concept (Options is not in the module's `names`): nothing to migrate, no violation.
    { filename: app('type2.ts'), code: "import type { Options } from '../legacy/router';" },
    // missing: false leaves deleted modules to no-missing-legacy-module.
    { filename: app('e.ts'), code: "import { GoneRouter } from '../legacy/gone';", options: [{ missing: false }] },
    // A legacy module's own imports of another legacy module go with it (internal sites).
    {
      filename: path.join(root, 'src/legacy/helpers.ts'),
      code: "import { OldRouter } from './router';\nexport const r = new OldRouter();",
    },
    // importNames: a site that uses none of the listed names is not a legacy site.
    { filename: app('keep.ts'), code: "import { util } from '../legacy/helpers';" },
    // JS with espree.
    {
      filename: app('f.js'),
      code: "const { Router } = require('../canonical/router');",
      languageOptions: { parser: espree as never, sourceType: 'commonjs' } as never,
    },
  ],
  invalid: [
    {
      // Renamed name: the alias keeps the local name, the quote style is kept.
      filename: app('static.ts'),
      code: "import { OldRouter } from '../legacy/router';\nnew OldRouter();",
      output: "import { Router as OldRouter } from '../canonical/router';\nnew OldRouter();",
      errors: [legacy(1, 27, 'Import', ' (OldRouter as Router)')],
    },
    {
      // `names` lists the concept's names on the module and nothing else: LEGACY_VERSION stays.
      filename: app('unlisted-stays.ts'),
      code: "import { createOldRouter, LEGACY_VERSION } from '../legacy/router';",
      output:
        "import { LEGACY_VERSION } from '../legacy/router';\nimport { createRouter as createOldRouter } from '../canonical/router';",
      errors: [legacy(1, 49, 'Import', ' (createOldRouter as createRouter; LEGACY_VERSION has no replacement)')],
    },
    {
      // Split: the names that are not part of the concept stay on the legacy module.
      filename: app('split.ts'),
      code: "import { oldHelper, util } from '../legacy/helpers';\nexport const x = [oldHelper(), util()];",
      output:
        "import { util } from '../legacy/helpers';\nimport { createRouter as oldHelper } from '../canonical/router';\nexport const x = [oldHelper(), util()];",
      errors: [helpers(1, 33, 'Import', ' (oldHelper as createRouter; util has no replacement)')],
    },
    {
      // Split in the original's form (the inline type stays inline) right after it; the existing
      // canonical import is left alone (merging is `ssot migrate --merge-imports`).
      filename: app('merge-type.ts'),
      code: "import { util, type HelperOptions } from '../legacy/helpers';\nimport { Router } from '../canonical/router';\nexport type T = HelperOptions | Router;\nutil();",
      output: [
        "import { util } from '../legacy/helpers';",
        "import { type Router as HelperOptions } from '../canonical/router';",
        "import { Router } from '../canonical/router';",
        'export type T = HelperOptions | Router;',
        'util();',
      ].join('\n'),
      errors: [helpers(1, 42, 'Import', ' (HelperOptions as Router; util has no replacement)')],
    },
    {
      // Moved whole: only the specifier changes (and the renamed element), no merge.
      filename: app('merge.ts'),
      code: "import { createRouter } from '../canonical/router';\nimport { OldRouter, LEGACY_VERSION } from '../legacy/router';\nexport { createRouter, OldRouter, LEGACY_VERSION };",
      output: [
        "import { createRouter } from '../canonical/router';",
        "import { LEGACY_VERSION } from '../legacy/router';",
        "import { Router as OldRouter } from '../canonical/router';",
        'export { createRouter, OldRouter, LEGACY_VERSION };',
      ].join('\n'),
      errors: [legacy(2, 43, 'Import', ' (OldRouter as Router; LEGACY_VERSION has no replacement)')],
    },
    {
      // A type-only import stays type-only; double quotes are kept.
      filename: app('type.ts'),
      code: 'import type { HelperOptions } from "../legacy/helpers";\nexport type T = HelperOptions;',
      output: 'import type { Router as HelperOptions } from "../canonical/router";\nexport type T = HelperOptions;',
      errors: [helpers(1, 36, 'Type import', ' (HelperOptions as Router)')],
    },
    {
      filename: app('side.ts'),
      code: "import '../legacy/router';",
      output: "import '../canonical/router';",
      errors: [legacy(1, 8, 'Side-effect import')],
    },
    {
      filename: app('reexport.ts'),
      code: "export { OldRouter as R } from '../legacy/router';",
      output: "export { Router as R } from '../canonical/router';",
      errors: [legacy(1, 32, 'Re-export', ' (OldRouter as Router)')],
    },
    {
      filename: app('reexport-split.ts'),
      code: "export { oldHelper, util } from '../legacy/helpers';",
      output:
        "export { util } from '../legacy/helpers';\nexport { createRouter as oldHelper } from '../canonical/router';",
      errors: [helpers(1, 33, 'Re-export', ' (oldHelper as createRouter; util has no replacement)')],
    },
    {
      // Namespace import: member names are mapped.
      filename: app('ns.ts'),
      code: "import * as legacy from '../legacy/router';\nexport const r = new legacy.OldRouter();",
      output: "import * as legacy from '../canonical/router';\nexport const r = new legacy.Router();",
      errors: [legacy(1, 25, 'Import')],
    },
    // Not safe (names that cannot be traced would change): a suggestion, not an autofix.
    {
      filename: app('all.ts'),
      code: "export * from '../legacy/router';",
      output: null,
      errors: [
        {
          ...legacy(1, 15, 'Re-export (export *)'),
          suggestions: [{ messageId: 'rewriteImport', output: "export * from '../canonical/router';" }],
        },
      ],
    },
    {
      filename: app('allas.ts'),
      code: "export * as legacy from '../legacy/router';",
      output: null,
      errors: [
        {
          ...legacy(1, 25, 'Re-export (export * as)'),
          suggestions: [{ messageId: 'rewriteImport', output: "export * as legacy from '../canonical/router';" }],
        },
      ],
    },
    {
      filename: app('equals.ts'),
      code: "import r = require('../legacy/router');\nexport = r;",
      output: null,
      errors: [
        {
          ...legacy(1, 20, 'import = require()'),
          suggestions: [
            { messageId: 'rewriteImport', output: "import r = require('../canonical/router');\nexport = r;" },
          ],
        },
      ],
    },
    {
      filename: app('dynamic.ts'),
      code: "export const load = () => import('../legacy/router');",
      output: null,
      errors: [
        {
          ...legacy(1, 34, 'Dynamic import()'),
          suggestions: [
            { messageId: 'rewriteImport', output: "export const load = () => import('../canonical/router');" },
          ],
        },
      ],
    },
    {
      filename: app('query.ts'),
      code: "export type R = import('../legacy/router').OldRouter;",
      output: "export type R = import('../canonical/router').Router;",
      errors: [legacy(1, 24, "import('…') type", ' (OldRouter as Router)')],
    },
    {
      filename: app('mock.test.ts'),
      code: "declare const vi: { mock(p: string): void };\nvi.mock('../legacy/router');",
      output: "declare const vi: { mock(p: string): void };\nvi.mock('../canonical/router');",
      errors: [legacy(2, 9, 'Mock')],
    },
    // Resolution, not text: a tsconfig paths alias and a `.js` suffix for a `.ts` file.
    {
      filename: app('alias.ts'),
      code: "import { OldRouter } from '@app/legacy/router';",
      output: "import { Router as OldRouter } from '@app/canonical/router';",
      errors: [legacy(1, 27, 'Import', ' (OldRouter as Router)', '@app/legacy/router')],
    },
    {
      // A default import of a module whose default export is a concept class (`export default
      // OldRouter`) is a concept site: it maps as OldRouter does.
      filename: app('suffix.ts'),
      code: "import OldRouter from '../legacy/router.js';",
      output: "import { Router as OldRouter } from '../canonical/router.js';",
      errors: [legacy(1, 23, 'Import', ' (default as Router)', '../legacy/router.js')],
    },
    {
      // fix: false reports only.
      filename: app('nofix.ts'),
      code: "import { OldRouter } from '../legacy/router';",
      options: [{ fix: false }],
      output: null,
      errors: [legacy(1, 27, 'Import', ' (OldRouter as Router)')],
    },
    // Several sites in one file, double quotes.
    {
      filename: app('many.ts'),
      code: 'import { OldRouter } from "../legacy/router";\nexport { createOldRouter } from "../legacy/router";',
      output:
        'import { Router as OldRouter } from "../canonical/router";\nexport { createRouter as createOldRouter } from "../canonical/router";',
      errors: [
        legacy(1, 27, 'Import', ' (OldRouter as Router)'),
        legacy(2, 33, 'Re-export', ' (createOldRouter as createRouter)'),
      ],
    },
    // Deleted legacy module: reported by default, saying it no longer exists; still fixable.
    {
      filename: app('gone.ts'),
      code: "import { GoneRouter } from '../legacy/gone';",
      output: "import { Router as GoneRouter } from '../canonical/router';",
      errors: [
        {
          messageId: 'missingLegacyModule',
          line: 1,
          column: 28,
          data: {
            form: 'Import',
            specifier: '../legacy/gone',
            legacyModule: 'src/legacy/gone.ts',
            concept: 'router',
            replacement: 'src/canonical/router.ts',
            names: ' (GoneRouter as Router)',
            note: '',
          },
        },
      ],
    },
    // TSX with the typescript-eslint parser.
    {
      filename: app('view.tsx'),
      code: "import { OldRouter } from '../legacy/router';\nexport const View = () => <div title={String(OldRouter)} />;",
      output:
        "import { Router as OldRouter } from '../canonical/router';\nexport const View = () => <div title={String(OldRouter)} />;",
      languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } },
      errors: [legacy(1, 27, 'Import', ' (OldRouter as Router)')],
    },
    // Plain JS through ESLint's default parser: require, and import in an ES module.
    {
      filename: app('legacy.cjs'),
      code: "const { OldRouter } = require('../legacy/router');\nmodule.exports = OldRouter;",
      output: "const { Router: OldRouter } = require('../canonical/router');\nmodule.exports = OldRouter;",
      languageOptions: { parser: espree as never, sourceType: 'commonjs' } as never,
      errors: [legacy(1, 31, 'require()', ' (OldRouter as Router)')],
    },
    {
      filename: app('legacy.mjs'),
      code: "import { OldRouter } from '../legacy/router.js';\nexport default OldRouter;",
      output: "import { Router as OldRouter } from '../canonical/router.js';\nexport default OldRouter;",
      languageOptions: { parser: espree as never, sourceType: 'module' } as never,
      errors: [legacy(1, 27, 'Import', ' (OldRouter as Router)', '../legacy/router.js')],
    },
  ],
});

ruleTester.run<LegacyMessageIds, [NoLegacyImportOptions]>('no-legacy-import (inline options)', rule as never, {
  valid: [
    // no-restricted-imports shape: importNames restricts only those names.
    {
      filename: app('v1.ts'),
      code: "import { LEGACY_VERSION } from '../legacy/router';",
      options: [{ rootDir: root, paths: [{ name: '../legacy/router', importNames: ['OldRouter'] }] }],
    },
    // allowTypeImports: type-only imports pass.
    {
      filename: app('v2.ts'),
      code: "import type { Options } from '../legacy/router';",
      options: [{ rootDir: root, paths: [{ name: '../legacy/router', allowTypeImports: true }] }],
    },
    // paths match whole specifiers, as no-restricted-imports does.
    { filename: app('v3.ts'), code: "import x from 'lodash/fp';", options: [{ rootDir: root, paths: ['lodash'] }] },
    {
      filename: app('v4.ts'),
      code: "import x from 'modern-ui';",
      options: [{ rootDir: root, patterns: ['legacy-*'] }],
    },
    // An inline concept replaces the config file.
    {
      filename: app('v5.ts'),
      code: "import { OldRouter } from '../legacy/router';",
      options: [
        {
          rootDir: root,
          concepts: [{ id: 'other', canonical: { module: 'new-lib' }, legacy: [{ module: 'old-lib' }] }],
        },
      ],
    },
  ],
  invalid: [
    {
      // The brief's example: a relative path entry with importNames, message and replacement.
      filename: app('i1.ts'),
      code: "import { OldRouter, LEGACY_VERSION } from '../legacy/router';",
      options: [
        {
          rootDir: root,
          paths: [
            {
              name: '../legacy/router',
              importNames: ['OldRouter'],
              message: 'See ADR-7.',
              replacement: './src/canonical/router',
            },
          ],
        },
      ],
      // Split: OldRouter moves (a relative replacement is resolved from rootDir and spelled per file).
      output: "import { LEGACY_VERSION } from '../legacy/router';\nimport { OldRouter } from '../canonical/router';",
      errors: [
        {
          messageId: 'legacyImport',
          line: 1,
          column: 43,
          data: {
            form: 'Import',
            specifier: '../legacy/router',
            legacyModule: '../legacy/router',
            concept: 'replace-path-0',
            replacement: 'src/canonical/router.ts',
            names: ' (LEGACY_VERSION has no replacement)',
            note: ' See ADR-7.',
          },
        },
      ],
    },
    {
      // A package that resolves nowhere (not installed) is reported as a module that no longer exists.
      filename: app('i1b.ts'),
      code: "import { map } from 'lodash';",
      options: [{ rootDir: root, paths: [{ name: 'lodash', importNames: ['map'], replacement: 'lodash-es' }] }],
      output: "import { map } from 'lodash-es';",
      errors: [
        {
          messageId: 'missingLegacyModule',
          data: {
            form: 'Import',
            specifier: 'lodash',
            legacyModule: 'lodash',
            concept: 'replace-path-0',
            replacement: 'lodash-es',
            names: '',
            note: '',
          },
        },
      ],
    },
    {
      // Not installed: restricted, and it resolves nowhere.
      filename: app('i2.ts'),
      code: "import _ from 'underscore';",
      options: [{ rootDir: root, paths: ['underscore'] }],
      errors: [
        {
          messageId: 'missingRestrictedImport',
          data: { form: 'Import', specifier: 'underscore', legacyModule: 'underscore', note: '' },
        },
      ],
    },
    {
      // No replacement: reported like no-restricted-imports, without a fix.
      filename: app('i2b.ts'),
      code: "import { OldRouter } from '../legacy/router';",
      options: [{ rootDir: root, paths: [{ name: '../legacy/router', message: 'Ask the router team.' }] }],
      output: null,
      errors: [
        {
          messageId: 'restrictedImport',
          line: 1,
          column: 27,
          data: {
            form: 'Import',
            specifier: '../legacy/router',
            legacyModule: '../legacy/router',
            note: ' Ask the router team.',
          },
        },
      ],
    },
    {
      filename: app('i3.ts'),
      code: "import { Button } from 'legacy-ui/button';\nconst m = require('Legacy-UI');",
      options: [{ rootDir: root, patterns: [{ group: ['legacy-ui', 'legacy-ui/*'], message: 'Use modern-ui.' }] }],
      errors: [
        // (legacy-ui is not installed here, so it also resolves nowhere.)
        {
          messageId: 'missingRestrictedImport',
          line: 1,
          data: {
            form: 'Import',
            specifier: 'legacy-ui/button',
            legacyModule: 'legacy-ui, legacy-ui/*',
            note: ' Use modern-ui.',
          },
        },
        // Case-insensitive by default, like no-restricted-imports; require() is checked too.
        {
          messageId: 'missingRestrictedImport',
          line: 2,
          data: {
            form: 'require()',
            specifier: 'Legacy-UI',
            legacyModule: 'legacy-ui, legacy-ui/*',
            note: ' Use modern-ui.',
          },
        },
      ],
    },
    {
      filename: app('i4.ts'),
      code: "import { OldRouter } from '../legacy/router';",
      options: [
        { rootDir: root, patterns: [{ regex: 'legacy/(router|gone)$', replacement: 'src/canonical/router.ts' }] },
      ],
      output: "import { OldRouter } from '../canonical/router';",
      errors: [
        {
          messageId: 'legacyImport',
          data: {
            form: 'Import',
            specifier: '../legacy/router',
            legacyModule: '/legacy/(router|gone)$/',
            concept: 'replace-pattern-0',
            replacement: 'src/canonical/router.ts',
            names: '',
            note: '',
          },
        },
      ],
    },
    {
      // Inline ssot concepts with an explicit tsconfig (paths alias) and rootDir.
      filename: app('i5.ts'),
      code: "import { OldRouter } from '@app/legacy/router';",
      output: "import { Router as OldRouter } from '@app/canonical/router';",
      options: [
        {
          rootDir: root,
          tsconfig: 'tsconfig.json',
          concepts: [
            {
              id: 'inline',
              canonical: { module: 'src/canonical/router.ts' },
              legacy: [{ module: 'src/legacy/router.ts', names: { OldRouter: 'Router' } }],
            },
          ],
        },
      ],
      errors: [
        {
          messageId: 'legacyImport',
          data: {
            form: 'Import',
            specifier: '@app/legacy/router',
            legacyModule: 'src/legacy/router.ts',
            concept: 'inline',
            replacement: 'src/canonical/router.ts',
            names: ' (OldRouter as Router)',
            note: '',
          },
        },
      ],
    },
    {
      // An explicit config file.
      filename: '/somewhere/else/file.ts',
      code: "import { OldRouter } from '" + path.join(root, 'src/legacy/router') + "';",
      options: [{ configFile: path.join(root, 'ssot.config.json') }],
      output:
        "import { Router as OldRouter } from '" +
        path.relative('/somewhere/else', path.join(root, 'src/canonical/router')) +
        "';",
      errors: [{ messageId: 'legacyImport' }],
    },
    {
      // A config the core rejects is reported, not silently ignored.
      filename: app('bad.ts'),
      code: 'export {};',
      options: [{ rootDir: root, concepts: [{ id: 'bad', preset: 'no-such-preset' }] }],
      errors: [{ messageId: 'configError', line: 1 }],
    },
  ],
});

// An older module (in this test's copy of the fixture) exporting instances of the legacy class:
// an import of one uses the concept, but the target has nothing of that name. No fix, no suggestion.
write(
  root,
  'src/legacy/instances.ts',
  "import { OldRouter } from './router';\n\nexport const sharedRouter = new OldRouter();\nexport const typedRouter: OldRouter = sharedRouter;\nexport const LIMIT = 3;\n",
);
const instanceOptions: NoLegacyImportOptions = {
  rootDir: root,
  concepts: [
    {
      id: 'router',
      canonical: { module: 'src/canonical/router.ts', names: ['Router'] },
      legacy: [
        { module: 'src/legacy/router.ts', names: { OldRouter: 'Router' } },
        { module: 'src/legacy/instances.ts', names: { OldRouter: 'Router' } },
      ],
    },
  ],
};
const instanceError = (form: string, name: string, how: string, line: number, column: number, names = '') => ({
  messageId: 'legacyInstance' as const,
  line,
  column,
  data: {
    form,
    specifier: '../legacy/instances',
    legacyModule: 'src/legacy/instances.ts',
    concept: 'router',
    replacement: 'src/canonical/router.ts',
    names,
    note: '',
    reason:
      `${name} is an instance of the legacy class OldRouter (${how}); src/canonical/router.ts has no counterpart ` +
      'for it: migrate it by hand to an instance of Router from src/canonical/router.ts',
  },
  suggestions: [],
});

ruleTester.run<LegacyMessageIds, [NoLegacyImportOptions]>(
  'no-legacy-import (an exported legacy instance)',
  rule as never,
  {
    valid: [
      // A constant of the same module is not part of the concept.
      { filename: app('i-valid.ts'), code: "import { LIMIT } from '../legacy/instances';", options: [instanceOptions] },
    ],
    invalid: [
      {
        filename: app('i-new.ts'),
        code: "import { sharedRouter } from '../legacy/instances';\nsharedRouter.route();",
        output: null,
        errors: [
          instanceError(
            'Import',
            'sharedRouter',
            'new OldRouter(), src/legacy/instances.ts:3',
            1,
            30,
            ' (sharedRouter has no replacement)',
          ),
        ],
        options: [instanceOptions],
      },
      {
        // A declared type names the class; the constant beside it does not make the site movable.
        filename: app('i-type.ts'),
        code: "import { LIMIT, typedRouter } from '../legacy/instances';",
        output: null,
        errors: [
          instanceError(
            'Import',
            'typedRouter',
            'declared as OldRouter, src/legacy/instances.ts:4',
            1,
            36,
            ' (LIMIT, typedRouter have no replacement)',
          ),
        ],
        options: [instanceOptions],
      },
      {
        // A namespace import that reaches the instance: reported, and never moved to the target.
        filename: app('i-ns.ts'),
        code: "import * as legacy from '../legacy/instances';\nlegacy.sharedRouter.route();",
        output: null,
        errors: [
          {
            messageId: 'legacyImport',
            line: 1,
            column: 25,
            data: {
              form: 'Import',
              specifier: '../legacy/instances',
              legacyModule: 'src/legacy/instances.ts',
              concept: 'router',
              replacement: 'src/canonical/router.ts',
              names: '',
              note: '',
            },
            suggestions: [],
          },
        ],
        options: [instanceOptions],
      },
    ],
  },
);
