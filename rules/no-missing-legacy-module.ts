import { createRule } from './utils/create-rule.js';
import {
  legacyMessages,
  legacySchemaProperties,
  reportLegacySites,
  sharedConfigSchema,
  type LegacyMessageIds,
} from './utils/legacy-rule.js';
import type { ConfigOptions, RestrictedImportsOptions } from './utils/options.js';

export interface NoMissingLegacyModuleOptions extends ConfigOptions, RestrictedImportsOptions {
  /** Offer fixes (default true). */
  fix?: boolean;
}

const RULE_NAME = 'no-missing-legacy-module';

export default createRule<[NoMissingLegacyModuleOptions], LegacyMessageIds>({
  name: RULE_NAME,
  meta: {
    type: 'problem',
    docs: {
      description:
        'Disallow imports of a legacy module that no longer exists (the import resolves nowhere); fix to the canonical module where safe.',
      recommended: true,
    },
    fixable: 'code',
    hasSuggestions: true,
    messages: legacyMessages,
    schema: sharedConfigSchema({
      ...legacySchemaProperties,
      fix: { type: 'boolean', description: 'Offer fixes and suggestions.' },
    }),
    defaultOptions: [{ fix: true }],
  },
  defaultOptions: [{ fix: true }],
  create(context, [options]) {
    return reportLegacySites(context, options, (rule) => rule === RULE_NAME);
  },
});
