// The flat config for ESLint's core no-restricted-imports with the typescript-eslint parser: the
// same spellings and folder scopes as the ast-grep rules (bench/peers/text-rules.mjs). A later flat
// config object replaces an earlier one's options for the same rule, so every folder gets one object
// whose regex lists all the spellings that mean a legacy module there.
import { alternation, legacyFileGlobs, spellingScopes, targetSpecifier } from './text-rules.mjs';

const EXTENSIONS = '{ts,tsx,mts,cts,js,jsx,mjs,cjs}';

function atDepth(dir, base, depth) {
  const d = dir ? dir.split('/') : [];
  const b = base ? base.split('/') : [];
  return d.length === b.length + depth && b.every((part, i) => d[i] === part);
}

/** eslint.config.mjs text. `baseline`: the oracle's sites of the pristine tree; `spec`: migration-spec.cjs. */
export function eslintCoreConfig(baseline, spec, parserUrl) {
  const groups = spellingScopes(baseline);
  const target = targetSpecifier(spec);
  const global = groups.filter((g) => g.base === null).flatMap((g) => g.spellings);
  const relative = groups.filter((g) => g.base !== null);
  const byKey = new Map();
  const dirs = new Set(Object.keys(baseline.hashes).map((rel) => rel.split('/').slice(0, -1).join('/')));
  for (const dir of [...dirs].sort()) {
    const matching = relative.filter((g) => atDepth(dir, g.base, g.depth));
    if (!matching.length) continue;
    const key = matching.map((g) => relative.indexOf(g)).join(',');
    if (!byKey.has(key))
      byKey.set(key, { dirs: [], spellings: [...new Set(matching.flatMap((g) => g.spellings))].sort() });
    byKey.get(key).dirs.push(dir);
  }
  const rule = (spellings) => [
    'error',
    { patterns: [{ regex: `^(?:${alternation(spellings)})$`, message: `Use ${target}.` }] },
  ];
  const objects = [];
  if (global.length)
    objects.push(
      `  { files: ['**/*.${EXTENSIONS}'], rules: { 'no-restricted-imports': ${JSON.stringify(rule(global))} } },`,
    );
  for (const { dirs: ds, spellings } of byKey.values()) {
    const files = ds.map((d) => (d ? `${d}/*.${EXTENSIONS}` : `*.${EXTENSIONS}`));
    objects.push(
      `  { files: ${JSON.stringify(files)}, rules: { 'no-restricted-imports': ${JSON.stringify(rule([...global, ...spellings]))} } },`,
    );
  }
  return `// written by bench/tools/index.mjs: ESLint core no-restricted-imports for the legacy modules of ssot.config.json
import * as tsParser from ${JSON.stringify(parserUrl)};
export default [
  { ignores: ${JSON.stringify(['eslint.config.mjs', ...legacyFileGlobs(spec)])} },
  {
    files: ['**/*.${EXTENSIONS}'],
    languageOptions: { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
  },
${objects.join('\n')}
];
`;
}
