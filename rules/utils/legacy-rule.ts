import type { TSESLint } from '@typescript-eslint/utils';
import type { JSONSchema4 } from '@typescript-eslint/utils/json-schema';
import type { RuleId } from '../../src/core/index.js';
import { core } from './core.js';
import { analyzeLintedFile, withAnalysisContext } from './context.js';
import { customNote, FORM_LABELS, legacySiteInfo, namesNote } from './describe.js';
import { planSiteFix } from './fix.js';
import {
  configOptionProperties,
  restrictedImportsProperties,
  type ConfigOptions,
  type RestrictedImportsOptions,
} from './options.js';

export type LegacyMessageIds =
  | 'legacyImport'
  | 'restrictedImport'
  | 'missingRestrictedImport'
  | 'missingLegacyModule'
  | 'legacyInstance'
  | 'rewriteImport'
  | 'configError';

export const legacyMessages: Record<LegacyMessageIds, string> = {
  legacyImport:
    "{{form}} of the legacy module {{legacyModule}} ({{concept}}): import from '{{replacement}}' instead{{names}}.{{note}}",
  restrictedImport: "{{form}} of '{{specifier}}' is restricted ({{legacyModule}}).{{note}}",
  missingRestrictedImport:
    "{{form}} of '{{specifier}}' is restricted ({{legacyModule}}), and the module no longer exists: it resolves nowhere.{{note}}",
  missingLegacyModule:
    "{{form}} of the legacy module {{legacyModule}} ({{concept}}), which no longer exists: '{{specifier}}' resolves nowhere; import from '{{replacement}}' instead{{names}}.{{note}}",
  legacyInstance: '{{form}} of the legacy module {{legacyModule}} ({{concept}}): {{reason}}.{{note}}',
  rewriteImport: "Import from '{{replacement}}' instead{{reason}}.",
  configError: 'ssot config problem: {{message}}',
};

export const sharedConfigSchema = (extra: Record<string, JSONSchema4>): JSONSchema4[] => [
  {
    type: 'object',
    additionalProperties: false,
    properties: { ...configOptionProperties, ...extra },
  },
];

export const legacySchemaProperties: Record<string, JSONSchema4> = { ...restrictedImportsProperties };

type Context = Readonly<TSESLint.RuleContext<LegacyMessageIds, readonly unknown[]>>;

/**
 * Reports the legacy import sites that break a rule, as the core decides it for the report too
 * (legacySiteRule: broken imports, and sites that use the concept outside the legacy modules and
 * the canonical module); `which` picks the rule ids this ESLint rule reports. A thin adapter: the
 * core classifies, maps and (via the planner) rewrites.
 */
export function reportLegacySites(
  context: Context,
  options: ConfigOptions & RestrictedImportsOptions & { fix?: boolean },
  which: (rule: RuleId) => boolean,
): TSESLint.RuleListener {
  return withAnalysisContext(context, options, (ctx, filename) => ({
    Program(): void {
      const sourceCode = context.sourceCode;
      const { analysis, sourceFile } = analyzeLintedFile(ctx, sourceCode, filename);
      for (const site of analysis.sites) {
        if (site.target.kind !== 'legacy') continue;
        const rule = core().legacySiteRule(site.target);
        if (rule === null || !which(rule)) continue;
        const info = legacySiteInfo(ctx, site);
        if (!info) continue;
        const loc = {
          start: sourceCode.getLocFromIndex(site.specifierStart),
          end: sourceCode.getLocFromIndex(site.specifierEnd),
        };
        const data = {
          form: FORM_LABELS[site.form],
          specifier: site.specifier,
          legacyModule: info.legacy.module,
          concept: info.concept.id,
          replacement: info.replacement ?? '',
          names: namesNote(site),
          note: customNote(info.legacy),
        };
        // An imported instance of a legacy class: the target has no counterpart, so no fix and no
        // suggestion (one that moved the import would name something the target does not export).
        const instanceAt = site.target.instances.findIndex((x) => x !== null);
        if (instanceAt >= 0 && !site.target.missing) {
          const reason = core().noCounterpartReason(
            info.concept,
            ctx.config.rootDir,
            site.names[instanceAt]!.imported,
            site.target.instances[instanceAt]!,
          );
          context.report({ loc, messageId: 'legacyInstance', data: { ...data, reason } });
          continue;
        }
        const messageId: LegacyMessageIds = !info.replacement
          ? site.target.missing
            ? 'missingRestrictedImport'
            : 'restrictedImport'
          : site.target.missing
            ? 'missingLegacyModule'
            : 'legacyImport';
        const planned =
          info.replacement && options.fix !== false
            ? planSiteFix(ctx, analysis, site, sourceCode.text, sourceFile)
            : undefined;
        if (!planned) {
          context.report({ loc, messageId, data });
        } else if (planned.safe) {
          context.report({ loc, messageId, data, fix: planned.fix });
        } else {
          context.report({
            loc,
            messageId,
            data,
            suggest: [
              {
                messageId: 'rewriteImport',
                data: {
                  replacement: info.replacement ?? '',
                  reason: planned.reason ? ` (not applied automatically: ${planned.reason})` : '',
                },
                fix: planned.fix,
              },
            ],
          });
        }
      }
    },
  }));
}
