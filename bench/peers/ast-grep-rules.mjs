// ast-grep rewrite rules for the benchmark corpus, written the way a user of ast-grep would have to:
// ast-grep matches specifier TEXT, it does not resolve modules, so the legacy spellings are listed by
// hand (GLOBAL everywhere, CHAT_LOCAL relative spellings only inside packages/chat) and the legacy
// modules themselves and the same-named analytics router are kept out by scoping. The oracle checks
// the result like any other tool's.
import { CONCEPT_NAMES, COMPAT_SPECIFIER } from '../lib/semantics.mjs';

const WE = 'ws-events(?:/(?:index|broadcast|event-router))?';
const TARGETS = `(?:legacy/message-router|ws/quality-router|${WE})`;
/** spellings that mean a legacy module wherever they appear */
export const GLOBAL_SPEC = `@acme/legacy-router|@acme/chat/${TARGETS}(?:\\.js)?|(?:\\.\\./)+chat/src/${TARGETS}(?:\\.js)?`;
/** relative spellings that mean a legacy module only inside packages/chat (the analytics package has its own legacy/message-router) */
export const CHAT_LOCAL_SPEC = `(?:\\.\\.?/)+(?:src/)?${TARGETS}(?:\\.js)?|\\./message-router(?:\\.js)?|\\./quality-router(?:\\.js)?`;
// ast-grep 0.51 matches `files`/`ignores` globs against paths as it walks them from the scan root
// (a plain `packages/chat/**` did not match when scanning `.`), hence the leading `**/`.
export const LEGACY_FILE_GLOBS = [
  '**/packages/chat/src/legacy/message-router.ts',
  '**/packages/chat/src/ws/quality-router.ts',
  '**/packages/chat/src/ws-events/**',
  '**/packages/legacy-router/**',
];
const CONCEPT = `^(?:${[...CONCEPT_NAMES].join('|')})$`;

const yq = (s) => JSON.stringify(s); // YAML accepts JSON strings

function splitRule(id, language, scope, specRe, { decl, typeKw }) {
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
    - has: { stopBy: end, kind: ${spec}, has: { field: name, regex: ${yq(CONCEPT)} } }
    - has: { stopBy: end, kind: ${spec}, has: { field: name, not: { regex: ${yq(CONCEPT)} } } }
rewriters:
  - id: ${id}-keep-concept
    rule: { kind: ${spec}, pattern: $S, has: { field: name, regex: ${yq(CONCEPT)} } }
    fix: $S
  - id: ${id}-keep-other
    rule: { kind: ${spec}, pattern: $S, has: { field: name, not: { regex: ${yq(CONCEPT)} } } }
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
  ${decl} ${kw}{ $C } from '${COMPAT_SPECIFIER}';
  ${decl} ${kw}{ $O } from '$SRC';
`;
}

function rulesFor(language, scopeName, scope, specRe) {
  const id = (s) => `${s}-${language.toLowerCase()}-${scopeName}`;
  const fix = `fix: "'${COMPAT_SPECIFIER}'"`;
  const rules = [];
  // whole-statement rewrite: the statement imports/re-exports only concept names (or the whole module)
  for (const [decl, spec] of [
    ['import_statement', 'import_specifier'],
    ['export_statement', 'export_specifier'],
  ]) {
    rules.push(`id: ${id(`${decl}-source`)}
language: ${language}
${scope}
rule:
  kind: string
  regex: ${yq(specRe)}
  inside:
    kind: ${decl}
    field: source
    not:
      any:
        - { has: { stopBy: end, kind: ${spec}, has: { field: name, not: { regex: ${yq(CONCEPT)} } } } }
        - { regex: ${yq('^export\\s*(?:type\\s*)?\\*')} } # export * from legacy: left for a human (drops non-concept names)
${fix}
`);
  }
  // mixed statements: split into a compat import (concept names) and the legacy import (the rest)
  rules.push(splitRule(id('split-import'), language, scope, specRe, { decl: 'import', typeKw: false }));
  if (language !== 'JavaScript')
    rules.push(splitRule(id('split-import-type'), language, scope, specRe, { decl: 'import', typeKw: true }));
  rules.push(splitRule(id('split-export'), language, scope, specRe, { decl: 'export', typeKw: false }));
  if (language !== 'JavaScript') {
    rules.push(`id: ${id('import-equals')}
language: ${language}
${scope}
rule: { kind: string, regex: ${yq(specRe)}, inside: { kind: import_require_clause } }
${fix}
`);
  }
  // require('x'), import('x'), vi.mock('x'), jest.mock('x'); import('x').Name only when Name is a concept name
  rules.push(`id: ${id('calls')}
language: ${language}
${scope}
rule:
  kind: string
  regex: ${yq(specRe)}
  inside:
    kind: arguments
    inside:
      kind: call_expression
      has: { field: function, regex: "^(?:require|import|vi\\\\.(?:mock|doMock|unmock)|jest\\\\.(?:mock|doMock|unmock))$" }
      not: { inside: { kind: member_expression, has: { field: property, not: { regex: ${yq(CONCEPT)} } } } }
${fix}
`);
  return rules;
}

/** The whole rule file (multi-document YAML) for `ast-grep scan -r <file> -U .` run at the corpus root. */
export function astGrepRulesYaml() {
  const docs = [];
  const anchored = (alts) => `^['"](?:${alts})['"]$`;
  const ignoreLegacy = LEGACY_FILE_GLOBS.map(yq).join(', ');
  for (const language of ['TypeScript', 'Tsx', 'JavaScript']) {
    docs.push(
      ...rulesFor(
        language,
        'chat',
        `files: ["**/packages/chat/**"]\nignores: [${ignoreLegacy}]`,
        anchored(`${GLOBAL_SPEC}|${CHAT_LOCAL_SPEC}`),
      ),
    );
    docs.push(
      ...rulesFor(language, 'other', `ignores: ["**/packages/chat/**", ${ignoreLegacy}]`, anchored(GLOBAL_SPEC)),
    );
  }
  return docs.join('---\n');
}
