import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { AnalysisContext, DuplicateFinding, FileAnalysis, ResolvedConcept } from '../src/core/index.js';
import { core } from './utils/core.js';
import { analyzeLintedFile, withAnalysisContext } from './utils/context.js';
import { createRule } from './utils/create-rule.js';
import { sharedConfigSchema } from './utils/legacy-rule.js';
import type { ConfigOptions } from './utils/options.js';

export type NoDuplicateImplementationOptions = ConfigOptions;

export type DuplicateMessageIds = 'duplicate' | 'useCanonical' | 'configError';

const RULE_NAME = 'no-duplicate-implementation';

const KIND_LABELS: Readonly<Record<DuplicateFinding['declarationKind'], string>> = {
  class: 'Class',
  function: 'Function',
  'const-function': 'Function',
  'const-object': 'Object',
};

/** The specifier a file writes to import the canonical module, in the file's own import style (the core decides). */
function canonicalSpecifier(
  ctx: AnalysisContext,
  concept: ResolvedConcept,
  file: string,
  analysis: FileAnalysis,
): string {
  const target = concept.canonical.path
    ? { module: concept.canonical.path, isPath: true }
    : { module: concept.canonical.module, isPath: false };
  const spelled = core().specifierForFile(ctx, file, analysis.sites, target);
  return 'specifier' in spelled ? spelled.specifier : concept.canonical.module;
}

export default createRule<[NoDuplicateImplementationOptions], DuplicateMessageIds>({
  name: RULE_NAME,
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow a class, function or object that implements a concept outside its canonical files.',
      recommended: true,
    },
    hasSuggestions: true,
    messages: {
      duplicate:
        "{{kind}} {{symbol}} implements {{concept}} outside its canonical files: {{signals}}. Use the canonical implementation from '{{canonical}}'.",
      useCanonical: "Import {{name}} from '{{canonical}}' (then replace {{symbol}} with it).",
      configError: 'ssot config problem: {{message}}',
    },
    schema: sharedConfigSchema({}),
    defaultOptions: [{}],
  },
  defaultOptions: [{}],
  create(context, [options]) {
    return withAnalysisContext(context, options, (ctx, filename) => ({
      Program(program: TSESTree.Program): void {
        const sourceCode = context.sourceCode;
        const { analysis } = analyzeLintedFile(ctx, sourceCode, filename);
        for (const finding of analysis.duplicates) {
          const concept = ctx.config.concepts.find((c) => c.id === finding.conceptId);
          if (!concept) continue;
          const canonical = canonicalSpecifier(ctx, concept, filename, analysis);
          const loc = {
            start: sourceCode.getLocFromIndex(finding.start),
            end: sourceCode.getLocFromIndex(finding.end),
          };
          const canonicalName = concept.canonical.names[0];
          const suggest: TSESLint.SuggestionReportDescriptor<DuplicateMessageIds>[] = [];
          if (canonicalName && canonicalName !== finding.symbol && !declares(sourceCode, canonicalName)) {
            const quote = analysis.sites[0]?.quote === '"' ? '"' : "'";
            const statement =
              program.sourceType === 'module'
                ? `import { ${canonicalName} } from ${quote}${canonical}${quote};\n`
                : `const { ${canonicalName} } = require(${quote}${canonical}${quote});\n`;
            const anchor = program.body.find(
              (s) => !(s.type === 'ExpressionStatement' && 'directive' in s && s.directive),
            );
            suggest.push({
              messageId: 'useCanonical',
              data: { name: canonicalName, canonical, symbol: finding.symbol },
              fix: (fixer) =>
                anchor
                  ? fixer.insertTextBefore(anchor, statement)
                  : fixer.insertTextAfterRange([program.range[1], program.range[1]], `\n${statement}`),
            });
          }
          context.report({
            loc,
            messageId: 'duplicate',
            data: {
              kind: KIND_LABELS[finding.declarationKind],
              symbol: finding.symbol,
              concept: concept.id,
              signals: finding.signals.map(core().describeSignal).join('; '),
              canonical,
            },
            suggest,
          });
        }
      },
    }));
  },
});

/** True when the file already declares `name` at the top level (an import would clash). */
function declares(sourceCode: Readonly<TSESLint.SourceCode>, name: string): boolean {
  const scope = sourceCode.scopeManager?.globalScope;
  if (!scope) return false;
  const scopes = [scope, ...scope.childScopes.filter((s) => s.type === 'module')];
  return scopes.some((s) => s.set.has(name));
}
