import * as path from 'node:path';
import rule, { type NoMissingLegacyModuleOptions } from '../../rules/no-missing-legacy-module.js';
import type { LegacyMessageIds } from '../../rules/utils/legacy-rule.js';
import { RuleTester, copyFixtureProject, espree } from './rule-tester.js';

const root = copyFixtureProject();
const app = (file: string): string => path.join(root, 'src/app', file);
const ruleTester = new RuleTester();

const missing = (line: number, column: number, form: string, specifier: string, names = '') => ({
  messageId: 'missingLegacyModule' as const,
  line,
  column,
  data: {
    form,
    specifier,
    legacyModule: 'src/legacy/gone.ts',
    concept: 'router',
    replacement: 'src/canonical/router.ts',
    names,
    note: '',
  },
});

ruleTester.run<LegacyMessageIds, [NoMissingLegacyModuleOptions]>('no-missing-legacy-module', rule as never, {
  valid: [
    // A legacy module that still exists is no-legacy-import's business.
    { filename: app('a.ts'), code: "import { OldRouter } from '../legacy/router';" },
    { filename: app('b.ts'), code: "import { Router } from '../canonical/router';" },
    // An unrelated import that resolves nowhere is not a legacy module.
    { filename: app('c.ts'), code: "import { x } from './not-there';" },
  ],
  invalid: [
    {
      filename: app('gone.ts'),
      code: "import { GoneRouter } from '../legacy/gone';\nexport const r = new GoneRouter();",
      output: "import { Router as GoneRouter } from '../canonical/router';\nexport const r = new GoneRouter();",
      errors: [missing(1, 28, 'Import', '../legacy/gone', ' (GoneRouter as Router)')],
    },
    {
      filename: app('gone-js.ts'),
      code: "import { GoneRouter } from '../legacy/gone.js';",
      output: "import { Router as GoneRouter } from '../canonical/router.js';",
      errors: [missing(1, 28, 'Import', '../legacy/gone.js', ' (GoneRouter as Router)')],
    },
    {
      filename: app('gone.cjs'),
      code: "const { GoneRouter } = require('../legacy/gone');",
      output: "const { Router: GoneRouter } = require('../canonical/router');",
      languageOptions: { parser: espree as never, sourceType: 'commonjs' } as never,
      errors: [missing(1, 32, 'require()', '../legacy/gone', ' (GoneRouter as Router)')],
    },
    {
      filename: app('gone-nofix.ts'),
      code: "export { GoneRouter } from '../legacy/gone';",
      options: [{ fix: false }],
      output: null,
      errors: [missing(1, 28, 'Re-export', '../legacy/gone', ' (GoneRouter as Router)')],
    },
  ],
});
