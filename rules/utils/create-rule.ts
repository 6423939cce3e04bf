import { RuleCreator } from '@typescript-eslint/utils/eslint-utils';
import { repositoryFileUrl } from '../../src/shared/version.js';

/** Where the rule docs live (from package.json's `repository`): docs/rules/<rule>.md. */
export const DOCS_BASE_URL = repositoryFileUrl('docs/rules/');

export interface SsotRuleDocs {
  /** True when the rule is enabled by `configs.recommended`. */
  recommended?: boolean;
  requiresTypeChecking?: boolean;
}

export const createRule = RuleCreator<SsotRuleDocs>((name) => `${DOCS_BASE_URL}${name}.md`);
