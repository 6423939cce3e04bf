import { createRule } from './utils/create-rule.js';
import {
  legacyMessages,
  legacySchemaProperties,
  reportLegacySites,
  sharedConfigSchema,
  type LegacyMessageIds,
} from './utils/legacy-rule.js';
import type { ConfigOptions, RestrictedImportsOptions } from './utils/options.js';

export interface NoLegacyImportOptions extends ConfigOptions, RestrictedImportsOptions {
  /** Also report imports of legacy modules that no longer exist (default true). */
  missing?: boolean;
  /** Offer fixes (default true); false reports only. */
  fix?: boolean;
}

const RULE_NAME = 'no-legacy-import';

export default createRule<[NoLegacyImportOptions], LegacyMessageIds>({
  name: RULE_NAME,
  meta: {
    type: 'problem',
    docs: {
      description:
        'Disallow imports of legacy modules, in every form (import, re-export, import(), require, import = require, import types, mocks); autofix to the canonical module where safe.',
      recommended: true,
    },
    fixable: 'code',
    hasSuggestions: true,
    messages: legacyMessages,
    schema: sharedConfigSchema({
      ...legacySchemaProperties,
      missing: { type: 'boolean', description: 'Also report imports of legacy modules that no longer exist.' },
      fix: { type: 'boolean', description: 'Offer fixes and suggestions.' },
    }),
    defaultOptions: [{ missing: true, fix: true }],
  },
  defaultOptions: [{ missing: true, fix: true }],
  create(context, [options]) {
    // The core's rule for the site (legacySiteRule), as the report decides it.
    return reportLegacySites(
      context,
      options,
      (rule) => rule === 'no-legacy-import' || (rule === 'no-missing-legacy-module' && options.missing !== false),
    );
  },
});
