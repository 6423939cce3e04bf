// Tool adapters. Each adapter:
//   id          unique id (--only)
//   label       human name (with version where known)
//   suite       'migrate' | 'report' | 'eslint' | 'floor'
//   ours        true for ssot-kit's own tools (the numerator of the ratios)
//   writes      true → a fresh copy of the corpus for every run; false → one copy per tool
//   warm        true → one untimed priming run first (cache filled), then the measured runs
//   available(ctx)          → true, or a string saying why not
//   prepare?(ctx, copy)     → untimed setup in the copy (config files); may be async
//   command(ctx, copy)      → { cmd, args, cwd?, env?, okCodes? }
//   verify(ctx, copy, res)  → { ok, summary, problems? } (the oracle is the judge)
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze, checkMigration } from '../oracle.mjs';
import { bindingKeys } from '../lib/semantics.mjs';
import { astGrepRulesYaml } from '../peers/ast-grep-rules.mjs';
import { eslintCoreConfig } from '../peers/eslint-core-config.mjs';

/** Where our jscodeshift transform may live (first existing wins). */
export const JSCODESHIFT_TRANSFORM_CANDIDATES = [
  'dist/codemods/jscodeshift-transform.cjs',
  'codemods/jscodeshift-transform.cjs',
];
/** Our CLI and ESLint plugin (built by `npm run build`). */
export const SSOT_BIN = 'dist/src/cli/bin.js';
export const SSOT_ESLINT_PLUGIN = 'dist/rules/index.js';
/** Forms ESLint 10's core no-restricted-imports reports (ImportDeclaration, ExportNamed/AllDeclaration,
 * and with the typescript-eslint parser also `import x = require()`); not require(), import(), mocks, import('x').T. */
export const ESLINT_CORE_FORMS = new Set([
  'named',
  'aliased',
  'namespace',
  'type-only',
  'inline-type',
  'side-effect',
  'export-named',
  'export-star',
  'import-equals',
]);
/** The rule of our plugin whose reports must equal the oracle's legacy sites (all forms). */
export const SSOT_IMPORT_RULE = 'ssot/no-legacy-import';
/**
 * The recommended config reports each legacy site once: an import of a legacy module that resolves
 * nowhere (deleted, or build output a checkout lacks: `@theia/core/lib/...`) by
 * no-missing-legacy-module, any other by no-legacy-import. Both count.
 */
export const SSOT_SITE_RULES = [SSOT_IMPORT_RULE, 'ssot/no-missing-legacy-module'];

const exists = (p) => fs.existsSync(p);
/** ast-grep's rule file, written into each copy (not a source file: the oracle does not read it). */
const AST_GREP_RULES = 'ast-grep-rules.yml';
const shq = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

export function toolVersions(repo) {
  const v = (p) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(repo, 'node_modules', p, 'package.json'), 'utf8')).version;
    } catch {
      return 'n/a';
    }
  };
  return {
    node: process.version.slice(1),
    typescript: v('typescript'),
    'ts-morph': v('ts-morph'),
    jscodeshift: v('jscodeshift'),
    '@ast-grep/cli': v('@ast-grep/cli'),
    eslint: v('eslint'),
    '@typescript-eslint/parser': v('@typescript-eslint/parser'),
    'oxc-parser': v('oxc-parser'),
  };
}

// ---------------------------------------------------------------------------------------------
// verification helpers

function verifyMigration(ctx, copy) {
  const after = analyze(copy, { baseline: ctx.baseline });
  const c = checkMigration(after, ctx.expected, ctx.expectedChanged);
  const problems = c.wrongFiles
    .slice(0, 12)
    .map((w) => `${w.file}: missing [${w.missing.join(', ')}] extra [${w.extra.join(', ')}]`);
  if (c.wrongFiles.length > 12) problems.push(`... and ${c.wrongFiles.length - 12} more files`);
  const legacyLeft = Object.values(after.files).reduce(
    (n, sites) => n + bindingKeys(sites).filter((k) => k.includes('|legacy:')).length,
    0,
  );
  return {
    ok: c.ok,
    summary: `${c.bindingsRight}/${c.bindingsExpected} bindings moved, ${legacyLeft} kept on legacy (expected ${ctx.expectedLegacyLeft}), ${c.wrongFiles.length} files wrong, ${c.filesTouched} files modified (expected ${ctx.expectedChanged.size})`,
    problems,
    sitesRight: c.bindingsRight,
    filesTouched: c.filesTouched,
    wrongFiles: c.wrongFiles.length,
  };
}

/** per-file legacy-site counts of the pristine corpus, optionally restricted to some forms */
function expectedCounts(ctx, forms) {
  const m = new Map();
  for (const [f, sites] of Object.entries(ctx.baseline.files)) {
    const n = sites.filter((s) => s.target.startsWith('legacy:') && (!forms || forms.has(s.form))).length;
    if (n) m.set(f, n);
  }
  return m;
}

function compareCounts(expected, got, what) {
  const problems = [];
  for (const f of new Set([...expected.keys(), ...got.keys()])) {
    if ((expected.get(f) ?? 0) !== (got.get(f) ?? 0))
      problems.push(`${f}: expected ${expected.get(f) ?? 0} ${what}, got ${got.get(f) ?? 0}`);
  }
  const e = [...expected.values()].reduce((a, b) => a + b, 0),
    g = [...got.values()].reduce((a, b) => a + b, 0);
  return {
    ok: problems.length === 0,
    expectedTotal: e,
    gotTotal: g,
    problems: problems.slice(0, 12).concat(problems.length > 12 ? [`... and ${problems.length - 12} more files`] : []),
  };
}

function verifyEslintOutput(ctx, copy, outFile, { rules, forms }) {
  let results;
  try {
    results = JSON.parse(fs.readFileSync(outFile, 'utf8'));
  } catch (e) {
    return { ok: false, summary: 'no ESLint JSON output', problems: [String(e)] };
  }
  const got = new Map();
  let fatal = 0;
  const fatalFiles = [];
  for (const r of results) {
    const rel = path.relative(copy, r.filePath).split(path.sep).join('/');
    for (const msg of r.messages) {
      if (msg.fatal) {
        fatal++;
        fatalFiles.push(rel);
        continue;
      }
      if (msg.ruleId && rules.includes(msg.ruleId)) got.set(rel, (got.get(rel) ?? 0) + 1);
    }
  }
  const expected = expectedCounts(ctx, forms);
  const c = compareCounts(expected, got, 'reports');
  // A file ESLint's parser cannot read (a repository's deliberately broken fixtures, JSX in .js)
  // matters only if it holds a site: then its reports are missing, which compareCounts says.
  const fatalWithSites = fatalFiles.filter((f) => expected.has(f));
  if (fatalWithSites.length)
    c.problems.unshift(
      `${fatalWithSites.length} files with legacy sites failed to parse: ${fatalWithSites.slice(0, 3).join(', ')}`,
    );
  return {
    ok: c.ok && fatalWithSites.length === 0,
    summary: `${rules.join(' + ')}: ${c.gotTotal} reports (oracle: ${c.expectedTotal} sites${forms ? ' in the forms this rule sees' : ''}); ${results.length} files linted${fatal ? `, ${fatal} not parsed` : ''}`,
    problems: c.problems,
  };
}

// ---------------------------------------------------------------------------------------------
// ESLint flat configs written into the copy

function coreEslintConfig(ctx) {
  const parser = pathToFileURL(path.join(ctx.repo, 'node_modules/@typescript-eslint/parser/dist/index.js')).href;
  return eslintCoreConfig(ctx.baseline, ctx.spec, parser);
}

/**
 * What a text search must look for to find every legacy import (the floor's candidate count): the
 * file or folder name of each legacy module, or its specifier. An extended regex (grep -E and JS).
 */
export function legacyNeedleRegex(spec) {
  const words = spec.legacy.map((l) =>
    l.kind === 'file'
      ? path.basename(l.path).replace(/\.(c|m)?(t|j)sx?$/, '')
      : l.kind === 'folder'
        ? path.basename(l.path)
        : l.spec,
  );
  return [...new Set(words)].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}

function ssotEslintConfig(ctx) {
  const parser = pathToFileURL(path.join(ctx.repo, 'node_modules/@typescript-eslint/parser/dist/index.js')).href;
  const plugin = pathToFileURL(path.join(ctx.repo, SSOT_ESLINT_PLUGIN)).href;
  return `// written by bench/tools/index.mjs: ssot-kit's recommended config
import * as tsParser from ${JSON.stringify(parser)};
import ssot from ${JSON.stringify(plugin)};
export default [
  { ignores: ['eslint.config.mjs'] },
  {
    files: ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'],
    languageOptions: { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
  },
  ...ssot.configs.recommended,
];
`;
}

// ---------------------------------------------------------------------------------------------

export function makeAdapters(ctx) {
  const { repo } = ctx;
  const node = process.execPath;
  const bin = (p) => path.join(repo, p);
  const out = (copy, name) => path.join(path.dirname(copy), `${path.basename(copy)}.${name}`);
  const transform = JSCODESHIFT_TRANSFORM_CANDIDATES.map(bin).find(exists);
  const ssotAvailable = () =>
    exists(bin(SSOT_BIN)) || `${SSOT_BIN} not built (npm run build; the CLI is not written yet?)`;
  const jscsAvailable = () =>
    transform
      ? true
      : `our transform is not available (${JSCODESHIFT_TRANSFORM_CANDIDATES.join(' or ')} missing); no stand-in is measured`;
  const jscs = path.join(repo, 'node_modules/jscodeshift/bin/jscodeshift.js');
  const astGrep = path.join(repo, 'node_modules/@ast-grep/cli/ast-grep');
  const eslint = path.join(repo, 'node_modules/eslint/bin/eslint.js');
  const staticForms = ESLINT_CORE_FORMS;

  const eslintTool = ({ id, label, suite, alsoIn = [], ours, warm, extraArgs = [], config }) => ({
    id,
    label,
    suite,
    alsoIn,
    ours,
    writes: false,
    warm,
    available: () =>
      ours
        ? exists(bin(SSOT_ESLINT_PLUGIN)) || `${SSOT_ESLINT_PLUGIN} not built (the plugin is not written yet?)`
        : true,
    prepare: (c, copy) => {
      fs.writeFileSync(path.join(copy, 'eslint.config.mjs'), config(c));
      fs.rmSync(path.join(copy, '.eslintcache'), { force: true });
    },
    beforeRun: warm ? undefined : (c, copy) => fs.rmSync(path.join(copy, '.eslintcache'), { force: true }),
    // --config: only this config, no lookup of the nested eslint.config files a real repository has
    command: (c, copy) => ({
      cmd: node,
      args: [
        eslint,
        '--config',
        path.join(copy, 'eslint.config.mjs'),
        '--no-warn-ignored',
        '--format',
        'json',
        '--output-file',
        out(copy, 'eslint.json'),
        ...(warm ? ['--cache', '--cache-location', path.join(copy, '.eslintcache')] : []),
        ...extraArgs,
        '.',
      ],
      cwd: copy,
      okCodes: [0, 1],
    }),
    verify: (c, copy) =>
      verifyEslintOutput(
        c,
        copy,
        out(copy, 'eslint.json'),
        ours ? { rules: SSOT_SITE_RULES } : { rules: ['no-restricted-imports'], forms: staticForms },
      ),
  });

  const ssotMigrate = (compileCache) => ({
    id: compileCache ? 'ssot-migrate' : 'ssot-migrate-nocache',
    label: compileCache ? 'ssot migrate (ours)' : 'ssot migrate, SSOT_COMPILE_CACHE=off (first run on a fresh install)',
    suite: 'migrate',
    ours: true,
    writes: true,
    available: ssotAvailable,
    // exit 1 = some sites refused (e.g. `export * from` a legacy module); the oracle judges which
    command: (c, copy) => ({
      cmd: node,
      args: [
        bin(SSOT_BIN),
        'migrate',
        '--allow-dirty',
        '--config',
        path.join(copy, 'ssot.config.json'),
        '--json',
        copy,
      ],
      cwd: copy,
      okCodes: [0, 1],
      ...(compileCache ? {} : { env: { SSOT_COMPILE_CACHE: 'off' } }),
    }),
    verify: (c, copy, res) => {
      const v = verifyMigration(c, copy);
      try {
        const s = JSON.parse(res.stdout).summary;
        v.summary += `; parsed ${s.filesParsed} of ${s.filesScanned} files, ${s.threads} thread${s.threads === 1 ? '' : 's'}`;
      } catch {
        v.ok = false;
        v.problems.unshift('stdout is not the JSON summary `--json` promises');
      }
      return v;
    },
  });

  const ssotReport = (warm) => ({
    id: warm ? 'ssot-report-warm' : 'ssot-report',
    label: `ssot report${warm ? ' --cache (warm)' : ''}`,
    suite: 'report',
    ours: true,
    writes: false,
    warm,
    available: ssotAvailable,
    beforeRun: warm
      ? undefined
      : (c, copy) => fs.rmSync(path.join(copy, '.ssot-cache'), { recursive: true, force: true }),
    command: (c, copy) => ({
      cmd: node,
      args: [
        bin(SSOT_BIN),
        'report',
        '--config',
        path.join(copy, 'ssot.config.json'),
        '--format',
        'json',
        ...(warm ? ['--cache'] : []),
        copy,
      ],
      cwd: copy,
      okCodes: [0, 1],
    }),
    verify: (c, copy, res) => {
      const v = verifyReport(c, res);
      try {
        const f = JSON.parse(res.stdout).files;
        if (f && typeof f.parsed === 'number') v.summary += `; parsed ${f.parsed} of ${f.scanned} files`;
      } catch {
        /* verifyReport said so */
      }
      return v;
    },
  });

  return [
    // ---------------- migrate ----------------
    ssotMigrate(true),
    // The same without TypeScript's code cache (node_modules/.cache/ssot-kit, warm after the first
    // run of the row above): what a first run on a fresh install costs.
    ssotMigrate(false),
    {
      id: 'jscodeshift-tsx',
      label: 'jscodeshift --parser=tsx, our transform',
      suite: 'migrate',
      ours: true,
      writes: true,
      available: jscsAvailable,
      command: (c, copy) => ({
        cmd: node,
        args: [
          jscs,
          '-t',
          transform,
          '--parser=tsx',
          '--extensions=ts,tsx,js,jsx,mjs,cjs',
          '--ignore-pattern=**/node_modules/**',
          `--config=${path.join(copy, 'ssot.config.json')}`,
          copy,
        ],
        cwd: copy,
      }),
      verify: (c, copy) => verifyMigration(c, copy),
    },
    {
      id: 'jscodeshift-by-ext',
      label: 'jscodeshift parser by extension (ts | tsx | babel), our transform',
      suite: 'migrate',
      ours: true,
      writes: true,
      available: jscsAvailable,
      command: (c, copy) => {
        const run = (parser, exts) =>
          [
            node,
            jscs,
            '-t',
            transform,
            `--parser=${parser}`,
            `--extensions=${exts}`,
            '--ignore-pattern=**/node_modules/**',
            `--config=${path.join(copy, 'ssot.config.json')}`,
            copy,
          ]
            .map(shq)
            .join(' ');
        return {
          cmd: '/bin/sh',
          args: ['-c', [run('ts', 'ts,mts,cts'), run('tsx', 'tsx'), run('babel', 'js,jsx,mjs,cjs')].join(' && ')],
          cwd: copy,
        };
      },
      verify: (c, copy) => verifyMigration(c, copy),
    },
    {
      id: 'jscodeshift-plain',
      label: `jscodeshift ${ctx.versions.jscodeshift} runner, plain recast transform (parser by extension)`,
      suite: 'migrate',
      ours: false,
      writes: true,
      available: () => exists(jscs) || 'node_modules/jscodeshift missing',
      // --no-babel: the peer is plain CommonJS; jscodeshift's @babel/register hook would recompile
      // everything it requires (typescript's compiler too) in every worker
      command: (c, copy) => {
        const run = (parser, exts) =>
          [
            node,
            jscs,
            '--no-babel',
            '-t',
            path.join(repo, 'bench/peers/jscodeshift-plain.cjs'),
            `--parser=${parser}`,
            `--extensions=${exts}`,
            '--ignore-pattern=**/node_modules/**',
            `--config=${path.join(copy, 'ssot.config.json')}`,
            copy,
          ]
            .map(shq)
            .join(' ');
        return {
          cmd: '/bin/sh',
          args: ['-c', [run('ts', 'ts,mts,cts'), run('tsx', 'tsx'), run('babel', 'js,jsx,mjs,cjs')].join(' && ')],
          cwd: copy,
        };
      },
      verify: (c, copy) => verifyMigration(c, copy),
    },
    {
      id: 'ast-grep',
      label: `ast-grep ${ctx.versions['@ast-grep/cli']} scan -U (YAML rewrite rules)`,
      suite: 'migrate',
      ours: false,
      writes: true,
      available: () => exists(astGrep) || 'node_modules/@ast-grep/cli/ast-grep missing',
      // The rule file goes into the copy's root: ast-grep matches `files`/`ignores` globs against
      // paths relative to the rule file's folder (a rule file elsewhere matched only part of them).
      prepare: (c, copy) => fs.writeFileSync(path.join(copy, AST_GREP_RULES), astGrepRulesYaml(c.baseline, c.spec)),
      command: (c, copy) => ({ cmd: astGrep, args: ['scan', '-r', AST_GREP_RULES, '-U', '.'], cwd: copy }),
      verify: (c, copy) => verifyMigration(c, copy),
    },
    {
      id: 'ts-morph',
      label: `ts-morph ${ctx.versions['ts-morph']} script (tsconfig project, setModuleSpecifier)`,
      suite: 'migrate',
      ours: false,
      writes: true,
      available: () => true,
      // Node's default heap (~4 GiB here) runs out on the 20,000-file corpus: give the peer the
      // heap a user would have to give it (the machine has 24 GiB).
      command: (c, copy) => ({
        cmd: node,
        args: ['--max-old-space-size=16384', path.join(repo, 'bench/peers/ts-morph-migrate.mjs'), copy],
        cwd: copy,
      }),
      verify: (c, copy) => verifyMigration(c, copy),
    },
    // ---------------- typecheck ----------------
    {
      id: 'ssot-migrate-typecheck',
      label: 'ssot migrate --typecheck (ours)',
      suite: 'typecheck',
      ours: true,
      writes: true,
      available: ssotAvailable,
      command: (c, copy) => ({
        cmd: node,
        args: [
          bin(SSOT_BIN),
          'migrate',
          '--allow-dirty',
          '--typecheck',
          '--config',
          path.join(copy, 'ssot.config.json'),
          '--json',
          copy,
        ],
        cwd: copy,
        okCodes: [0, 1],
      }),
      verify: (c, copy, res) => {
        const v = verifyMigration(c, copy);
        try {
          const s = JSON.parse(res.stdout).summary;
          v.summary += `; ${s.newTypeErrors} new type errors reported, ${s.filesRolledBack} rolled back`;
        } catch {
          v.ok = false;
          v.problems.unshift('stdout is not the JSON summary `--json` promises');
        }
        return v;
      },
    },
    {
      id: 'tsc-noemit',
      label: `the repository's own type check: tsc --noEmit (typescript ${ctx.versions.typescript})`,
      suite: 'typecheck',
      ours: false,
      writes: false,
      available: (c) =>
        tscArgs(c)
          ? true
          : 'no tsconfig to check (fixtures/real-world/<repo>/bench.checkout.json "tsc" gives the arguments)',
      command: (c, copy) => ({
        cmd: node,
        args: [path.join(repo, 'node_modules/typescript/lib/tsc.js'), ...tscArgs(c)],
        cwd: copy,
        okCodes: [0, 1, 2],
      }),
      verify: (c, copy, res) => ({
        ok: true,
        summary: `${(res.stdout.match(/error TS\d+/g) ?? []).length} errors (exit ${res.code}): ${tscArgs(c).join(' ')}`,
        problems: [],
      }),
    },
    // ---------------- report ----------------
    ssotReport(false),
    ssotReport(true),
    {
      id: 'oracle',
      label: 'TypeScript parser + module resolution, one thread (bench/oracle.mjs)',
      suite: 'report',
      ours: false,
      writes: false,
      available: () => true,
      command: (c, copy) => ({
        cmd: node,
        args: [
          path.join(repo, 'bench/oracle.mjs'),
          copy,
          ...(c.manifest ? ['--manifest', path.join(c.corpusDir, '.bench-manifest.json')] : []),
        ],
        cwd: copy,
      }),
      verify: (c, copy, res) => {
        let j;
        try {
          j = JSON.parse(res.stdout.slice(0, res.stdout.lastIndexOf('}') + 1));
        } catch {
          return { ok: false, summary: 'no JSON', problems: [res.stderr.slice(-500)] };
        }
        const exp = c.manifest ? c.manifest.totals.legacySites : c.baseline.totals.legacySites;
        return {
          ok: j.legacySites === exp,
          summary: `counts ${j.legacySites} legacy sites (${c.manifest ? 'manifest' : 'pristine tree'}: ${exp})`,
          problems: [],
        };
      },
    },
    // ---------------- eslint ----------------
    eslintTool({
      id: 'eslint-ssot',
      label: 'ESLint + ssot-kit recommended config (ours)',
      suite: 'eslint',
      ours: true,
      warm: false,
      config: ssotEslintConfig,
    }),
    eslintTool({
      id: 'eslint-ssot-warm',
      label: 'ESLint + ssot-kit recommended, warm --cache (ours)',
      suite: 'eslint',
      ours: true,
      warm: true,
      config: ssotEslintConfig,
    }),
    eslintTool({
      id: 'eslint-core',
      label: `ESLint ${ctx.versions.eslint} + typescript-eslint parser, core no-restricted-imports`,
      suite: 'eslint',
      alsoIn: ['report'],
      ours: false,
      warm: false,
      config: coreEslintConfig,
    }),
    eslintTool({
      id: 'eslint-core-c2',
      label: 'ESLint core no-restricted-imports, --concurrency 2',
      suite: 'eslint',
      ours: false,
      warm: false,
      config: coreEslintConfig,
      extraArgs: ['--concurrency', '2'],
    }),
    eslintTool({
      id: 'eslint-core-warm',
      label: 'ESLint core no-restricted-imports, warm --cache',
      suite: 'eslint',
      alsoIn: ['report'],
      ours: false,
      warm: true,
      config: coreEslintConfig,
    }),
    // ---------------- floor ----------------
    {
      id: 'floor-read',
      label: 'read every source file (node)',
      suite: 'floor',
      ours: false,
      writes: false,
      available: () => true,
      command: (c, copy) => ({ cmd: node, args: [path.join(repo, 'bench/peers/floor.mjs'), 'read', copy], cwd: copy }),
      verify: (c, copy, res) => ({
        ok: true,
        summary: summarizeJson(res.stdout, (j) => `${j.files} files, ${(j.bytes / 1e6).toFixed(1)} MB`),
        problems: [],
      }),
    },
    {
      id: 'floor-grep',
      label: 'text search, grep -rlE (candidate files)',
      suite: 'floor',
      ours: false,
      writes: false,
      available: () => exists('/usr/bin/grep') || exists('/bin/grep') || 'grep missing',
      command: (c, copy) => ({
        cmd: 'grep',
        args: [
          '-rlE',
          ...['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs'].map((e) => `--include=*.${e}`),
          '--exclude-dir=node_modules',
          legacyNeedleRegex(c.spec),
          '.',
        ],
        cwd: copy,
        okCodes: [0, 1],
      }),
      verify: (c, copy, res) => ({
        ok: true,
        summary: `${res.stdout.split('\n').filter(Boolean).length} candidate files (${c.baseline.totals.filesWithLegacySites} have legacy sites)`,
        problems: [],
      }),
    },
    {
      id: 'floor-search',
      label: 'text search, node (read + regex test)',
      suite: 'floor',
      ours: false,
      writes: false,
      available: () => true,
      command: (c, copy) => ({
        cmd: node,
        args: [path.join(repo, 'bench/peers/floor.mjs'), 'search', copy, legacyNeedleRegex(c.spec)],
        cwd: copy,
      }),
      verify: (c, copy, res) => ({
        ok: true,
        summary: summarizeJson(res.stdout, (j) => `${j.candidateFiles} candidate files`),
        problems: [],
      }),
    },
    {
      id: 'floor-parse',
      label: 'ts.createSourceFile of every file, one thread',
      suite: 'floor',
      ours: false,
      writes: false,
      available: () => true,
      command: (c, copy) => ({ cmd: node, args: [path.join(repo, 'bench/peers/floor.mjs'), 'parse', copy], cwd: copy }),
      verify: (c, copy, res) => ({
        ok: true,
        summary: summarizeJson(res.stdout, (j) => `${j.files} files parsed`),
        problems: [],
      }),
    },
    {
      id: 'floor-parse-oxc',
      label: `oxc-parser ${ctx.versions['oxc-parser']} parseSync of every file, one thread`,
      suite: 'floor',
      ours: false,
      writes: false,
      available: () => exists(path.join(repo, 'node_modules/oxc-parser')) || 'node_modules/oxc-parser missing',
      command: (c, copy) => ({
        cmd: node,
        args: [path.join(repo, 'bench/peers/floor.mjs'), 'parse-oxc', copy],
        cwd: copy,
      }),
      verify: (c, copy, res) => ({
        ok: true,
        summary: summarizeJson(res.stdout, (j) => `${j.files} files parsed`),
        problems: [],
      }),
    },
  ];
}

/** The arguments of the repository's own type check: the checkout's "tsc", or `--noEmit -p tsconfig.json` at the root. */
function tscArgs(ctx) {
  if (ctx.workload.checkout?.tsc) return ctx.workload.checkout.tsc;
  return fs.existsSync(path.join(ctx.corpusDir, 'tsconfig.json')) ? ['--noEmit', '-p', 'tsconfig.json'] : undefined;
}

function summarizeJson(stdout, f) {
  try {
    return f(JSON.parse(stdout));
  } catch {
    return stdout.trim().slice(0, 80);
  }
}

/**
 * Contract for `ssot report --format json`: stdout is one JSON document. Preferred: per-site arrays
 * `concepts[].legacySites[]` and `concepts[].nonConceptLegacySites[]` with `file` (root-relative);
 * their union must equal the oracle's legacy sites file by file, and the non-concept ones (every
 * imported name outside the preset's list) must match too. Fallback: a number at one of
 * REPORT_COUNT_PATHS (checked as a total only).
 */
export const REPORT_COUNT_PATHS = ['summary.legacySites', 'totals.legacySites', 'legacySites'];

function verifyReport(ctx, res) {
  let j;
  try {
    j = JSON.parse(res.stdout);
  } catch {
    return { ok: false, summary: 'stdout is not JSON', problems: [res.stderr.slice(-400)] };
  }
  const exp = ctx.baseline.totals.legacySites;
  if (Array.isArray(j.concepts) && j.concepts.some((c) => Array.isArray(c.legacySites))) {
    const got = new Map(),
      gotNon = new Map();
    for (const c of j.concepts) {
      for (const s of c.legacySites ?? []) got.set(s.file, (got.get(s.file) ?? 0) + 1);
      for (const s of c.nonConceptLegacySites ?? []) {
        got.set(s.file, (got.get(s.file) ?? 0) + 1);
        gotNon.set(s.file, (gotNon.get(s.file) ?? 0) + 1);
      }
    }
    const all = compareCounts(expectedCounts(ctx), got, 'legacy sites');
    // non-concept: a site that names modules' exports, none of which moves under the config
    const expNon = new Map();
    for (const [f, sites] of Object.entries(ctx.baseline.files)) {
      const n = sites.filter(
        (s) =>
          s.target.startsWith('legacy:') &&
          s.names.length &&
          s.names.every((x) => !ctx.spec.binding(s.target.slice('legacy:'.length), x, s.form).moves),
      ).length;
      if (n) expNon.set(f, n);
    }
    const non = compareCounts(expNon, gotNon, 'non-concept sites');
    return {
      ok: all.ok && non.ok,
      summary: `reports ${all.gotTotal} legacy sites, ${non.gotTotal} of them non-concept (oracle: ${all.expectedTotal}, ${non.expectedTotal})`,
      problems: [...all.problems, ...non.problems],
    };
  }
  const get = (obj, p) => p.split('.').reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), obj);
  let n;
  for (const p of REPORT_COUNT_PATHS) {
    const v = get(j, p);
    if (typeof v === 'number') {
      n = v;
      break;
    }
  }
  if (n === undefined)
    return {
      ok: false,
      summary: 'no legacy sites in the JSON',
      problems: [
        'expected concepts[].legacySites[] (+ nonConceptLegacySites[]) or a number at one of: ' +
          REPORT_COUNT_PATHS.join(', '),
      ],
    };
  return {
    ok: n === exp,
    summary: `reports ${n} legacy sites (oracle: ${exp})`,
    problems: n === exp ? [] : [`report says ${n}, the oracle counts ${exp}`],
  };
}
