import { RuleCreator } from '@typescript-eslint/utils/eslint-utils';

/** Where the rule docs live; every rule's `meta.docs.url` points at docs/rules/<rule>.md. */
export const DOCS_BASE_URL = 'https://github.com/ssot-kit/ssot-kit/blob/main/docs/rules/';

export interface SsotRuleDocs {
  /** True when the rule is enabled by `configs.recommended`. */
  recommended?: boolean;
  requiresTypeChecking?: boolean;
}

export const createRule = RuleCreator<SsotRuleDocs>((name) => `${DOCS_BASE_URL}${name}.md`);
