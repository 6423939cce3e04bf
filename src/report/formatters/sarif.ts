import { violations } from '../derive.js';
import { RULES, type Report, type RuleId } from '../types.js';
import { repositoryFileUrl } from '../../shared/version.js';

/** Where the rules are documented (the same pages the ESLint plugin links to). */
export const DOCS_BASE_URL = repositoryFileUrl('docs/');

interface RuleMeta {
  id: RuleId;
  name: string;
  short: string;
  full: string;
  help: string;
  helpUri: string;
}

const RULE_META: readonly RuleMeta[] = [
  {
    id: RULES.duplicate,
    name: 'NoDuplicateImplementation',
    short: 'A second implementation of a concept that has a canonical module',
    full: 'A declaration implements the concept (by name, by a canonical name declared again, by shape or by heritage) outside the canonical module and the allowed files.',
    help: 'Use the canonical module instead and delete this implementation once its importers have migrated (ssot migrate).',
    helpUri: `${DOCS_BASE_URL}rules/no-duplicate-implementation.md`,
  },
  {
    id: RULES.legacy,
    name: 'NoLegacyImport',
    short: 'An import of a legacy module of a concept',
    full: 'The file imports (in any form: import, re-export, require, dynamic import, import type, mock) a module the config lists as a legacy implementation of the concept.',
    help: 'Import the names from the compat layer or the canonical module instead (ssot migrate does it).',
    helpUri: `${DOCS_BASE_URL}rules/no-legacy-import.md`,
  },
  {
    id: RULES.missing,
    name: 'NoMissingLegacyModule',
    short: 'An import of a legacy module that no longer exists',
    full: 'The legacy module was deleted while this import remained: it resolves nowhere and the build or the runtime breaks.',
    help: 'Import from the canonical module (or its compat layer) instead.',
    helpUri: `${DOCS_BASE_URL}rules/no-missing-legacy-module.md`,
  },
];

export interface SarifOptions {
  /** Path of the project root inside the repository (e.g. "packages/app/"), so URIs are repo-relative. */
  srcRootPrefix?: string;
}

/**
 * SARIF 2.1.0 for GitHub code scanning: rule metadata, one result per violation with the content
 * fingerprint as a partial fingerprint, repo-relative URIs against %SRCROOT%; parse errors and
 * unreadable files as tool notifications.
 */
export function formatSarif(report: Report, options: SarifOptions = {}): string {
  const prefix = options.srcRootPrefix ?? '';
  const uri = (file: string): string => encodeURI(prefix + file);
  const results = violations(report).map((v) => ({
    ruleId: `ssot/${v.rule}`,
    ruleIndex: RULE_META.findIndex((r) => r.id === v.rule),
    level: 'error',
    message: { text: v.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: uri(v.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: v.line, startColumn: v.column },
        },
      },
    ],
    partialFingerprints: { 'ssotFingerprint/v1': v.fingerprint },
    properties: { concept: v.conceptId, symbol: v.symbol },
  }));
  const notifications = [
    ...report.files.parseErrors.map((p) => ({
      level: 'warning',
      message: { text: `parse error: ${p.message}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: uri(p.file), uriBaseId: '%SRCROOT%' },
            region: { startLine: p.line, startColumn: p.column },
          },
        },
      ],
    })),
    ...report.files.skipped.map((s) => ({
      level: 'warning',
      message: { text: `skipped: ${s.reason}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: uri(s.file), uriBaseId: '%SRCROOT%' } } }],
    })),
  ];
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ssot-kit',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: `${DOCS_BASE_URL}report.md`,
            rules: RULE_META.map((r) => ({
              id: `ssot/${r.id}`,
              name: r.name,
              shortDescription: { text: r.short },
              fullDescription: { text: r.full },
              help: { text: r.help },
              helpUri: r.helpUri,
              defaultConfiguration: { level: 'error' },
              properties: { tags: ['maintainability', 'ssot'], precision: 'high' },
            })),
          },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        columnKind: 'utf16CodeUnits',
        results,
        properties: {
          verdict: report.verdict,
          totals: report.totals,
          progress: Object.fromEntries(report.concepts.map((c) => [c.id, c.summary.progress])),
        },
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
