// ast-grep rewrite rules, written the way a user of ast-grep has to write them: ast-grep matches
// specifier TEXT and does not resolve modules, so the legacy spellings are listed and scoped by
// folder (bench/peers/text-rules.mjs generates both from the config and the tree), the legacy
// modules themselves are ignored, and the names that move come from the config. The oracle checks
// the result like any other tool's.
import {
  legacyFileGlobs,
  movingNames,
  scopeGlobs,
  spellingScopes,
  targetSpecifier,
  alternation,
} from './text-rules.mjs';

const yq = (s) => JSON.stringify(s); // YAML accepts JSON strings
const LANGUAGES = ['TypeScript', 'Tsx', 'JavaScript'];

function splitRule(id, language, scope, specRe, concept, target, { decl, typeKw }) {
  const spec = decl === 'import' ? 'import_specifier' : 'export_specifier';
  const kw = typeKw ? 'type ' : '';
  return `id: ${id}
language: ${language}
${scope}
rule:
  kind: ${decl === 'import' ? 'import_statement' : 'export_statement'}
  pattern: ${yq(`${decl} ${kw}{ $$$SPECS } from '$SRC'`)}
  all:
    - has: { field: source, regex: ${yq(specRe)} }
    - has: { stopBy: end, kind: ${spec}, has: { field: name, regex: ${yq(concept)} } }
    - has: { stopBy: end, kind: ${spec}, has: { field: name, not: { regex: ${yq(concept)} } } }
rewriters:
  - id: ${id}-keep-concept
    rule: { kind: ${spec}, pattern: $S, has: { field: name, regex: ${yq(concept)} } }
    fix: $S
  - id: ${id}-keep-other
    rule: { kind: ${spec}, pattern: $S, has: { field: name, not: { regex: ${yq(concept)} } } }
    fix: $S
  - id: ${id}-drop
    rule: { kind: ${spec} }
    fix: ""
transform:
  C0: { rewrite: { rewriters: [${id}-keep-concept, ${id}-drop], source: $$$SPECS, joinBy: "#" } }
  C1: { replace: { source: $C0, replace: "^#+|#+$", by: "" } }
  C: { replace: { source: $C1, replace: "#+", by: ", " } }
  O0: { rewrite: { rewriters: [${id}-keep-other, ${id}-drop], source: $$$SPECS, joinBy: "#" } }
  O1: { replace: { source: $O0, replace: "^#+|#+$", by: "" } }
  O: { replace: { source: $O1, replace: "#+", by: ", " } }
fix: |-
  ${decl} ${kw}{ $C } from '${target}';
  ${decl} ${kw}{ $O } from '$SRC';
`;
}

/**
 * The rules of one spelling group in one language. `moving.all`: every name keeps its own, so whole
 * statements move (`export *` too; a default import stays, so such a statement is left alone).
 * Otherwise only the listed names move: mixed statements are split, `export *` is left for a human.
 */
function rulesFor(language, id, scope, specRe, moving, target) {
  const fix = `fix: ${yq(`'${target}'`)}`;
  const concept = moving.all ? '.' : `^(?:${moving.names.join('|')})$`;
  const rules = [];
  for (const [decl, spec] of [
    ['import_statement', 'import_specifier'],
    ['export_statement', 'export_specifier'],
  ]) {
    const not = moving.all
      ? decl === 'import_statement'
        ? '\n    not: { has: { kind: import_clause, has: { kind: identifier } } } # a default import stays'
        : ''
      : `
    not:
      any:
        - { has: { stopBy: end, kind: ${spec}, has: { field: name, not: { regex: ${yq(concept)} } } } }
        - { regex: ${yq('^export\\s*(?:type\\s*)?\\*')} } # export * from legacy: left for a human (drops names that do not move)`;
    rules.push(`id: ${id}-${decl}-source
language: ${language}
${scope}
rule:
  kind: string
  regex: ${yq(specRe)}
  inside:
    kind: ${decl}
    field: source${not}
${fix}
`);
  }
  if (!moving.all) {
    rules.push(
      splitRule(`${id}-split-import`, language, scope, specRe, concept, target, { decl: 'import', typeKw: false }),
    );
    if (language !== 'JavaScript')
      rules.push(
        splitRule(`${id}-split-import-type`, language, scope, specRe, concept, target, {
          decl: 'import',
          typeKw: true,
        }),
      );
    rules.push(
      splitRule(`${id}-split-export`, language, scope, specRe, concept, target, { decl: 'export', typeKw: false }),
    );
  }
  if (language !== 'JavaScript') {
    rules.push(`id: ${id}-import-equals
language: ${language}
${scope}
rule: { kind: string, regex: ${yq(specRe)}, inside: { kind: import_require_clause } }
${fix}
`);
  }
  // require('x'), import('x'), vi.mock('x'), jest.mock('x'); import('x').Name only when Name moves
  const member = moving.all
    ? ''
    : `\n      not: { inside: { kind: member_expression, has: { field: property, not: { regex: ${yq(concept)} } } } }`;
  rules.push(`id: ${id}-calls
language: ${language}
${scope}
rule:
  kind: string
  regex: ${yq(specRe)}
  inside:
    kind: arguments
    inside:
      kind: call_expression
      has: { field: function, regex: "^(?:require|import|vi\\\\.(?:mock|doMock|unmock)|jest\\\\.(?:mock|doMock|unmock))$" }${member}
${fix}
`);
  return rules;
}

/**
 * The whole rule file (multi-document YAML) for `ast-grep scan -r <file> -U .` run at the root of a
 * copy. `baseline`: the oracle's sites of the pristine tree; `spec`: bench/lib/migration-spec.cjs.
 */
export function astGrepRulesYaml(baseline, spec) {
  const target = targetSpecifier(spec);
  const legacyGlobs = legacyFileGlobs(spec);
  const docs = [];
  spellingScopes(baseline).forEach((group, i) => {
    const { files, ignores } = scopeGlobs(group);
    const scope = [
      ...(files ? [`files: [${yq(files)}]`] : []),
      `ignores: [${[...(ignores ? [ignores] : []), ...legacyGlobs].map(yq).join(', ')}]`,
    ].join('\n');
    const specRe = `^['"](?:${alternation(group.spellings)})['"]$`;
    for (const language of LANGUAGES)
      docs.push(
        ...rulesFor(
          language,
          `g${i}-${language.toLowerCase()}`,
          scope,
          specRe,
          movingNames(spec, group.legacyId),
          target,
        ),
      );
  });
  return docs.join('---\n');
}
