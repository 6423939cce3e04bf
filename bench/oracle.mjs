#!/usr/bin/env node
// The judge: parses every source file with the TypeScript compiler API, collects the module
// specifier of every import form the benchmark knows, resolves it like TypeScript does (each file's
// nearest tsconfig, `paths` aliases included, workspace packages linked as an install would) and
// classifies it as legacy / compat (the migration target) / router (the canonical module) / other.
//
//   node bench/oracle.mjs <dir> [--config <ssot.config.json>] [--manifest <file>]
//       prints totals; checks them against the manifest of a generated corpus when there is one
//
// Legacy modules and the target come from the config (bench/lib/migration-spec.cjs: file, folder,
// package or exact specifier), not from the manifest nor from ssot-kit's code, so the oracle is an
// independent count on a generated corpus and on a real checkout alike. Files that ARE legacy
// modules are not importers.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { classifyDeclaration, bindingKeys } from './lib/semantics.mjs';
import migrationSpec from './lib/migration-spec.cjs';

// require(), not an ESM import: Node would first scan all of typescript.js for its CommonJS exports.
const ts = createRequire(import.meta.url)('typescript');

const { readMigrationSpec, workspacePackages } = migrationSpec;

export const SOURCE_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);
const MOCK_METHODS = new Set(['mock', 'doMock', 'unmock']);
const MOCK_OBJECTS = new Set(['vi', 'jest']);

/** Every source file under dir (relative posix paths, sorted), skipping node_modules and dot entries. */
export function listSourceFiles(dir) {
  const out = [];
  const walk = (rel) => {
    const abs = rel ? path.join(dir, rel) : dir;
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile() && SOURCE_EXTENSIONS.has(path.extname(e.name))) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

function scriptKindOf(file) {
  const ext = path.extname(file);
  if (ext === '.tsx') return ts.ScriptKind.TSX;
  if (ext === '.jsx') return ts.ScriptKind.JSX;
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** Raw module references of one file: { form, spec, names, pos } */
export function collectReferences(fileName, text) {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, scriptKindOf(fileName));
  const refs = [];
  const str = (n) => (n && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) ? n.text : undefined);
  const visit = (node) => {
    if (ts.isImportDeclaration(node)) {
      const spec = str(node.moduleSpecifier);
      if (spec !== undefined) {
        const c = node.importClause;
        const nb = c?.namedBindings;
        const specifiers =
          nb && ts.isNamedImports(nb)
            ? nb.elements.map((e) => ({
                name: (e.propertyName ?? e.name).text,
                alias: e.propertyName ? e.name.text : undefined,
                isType: e.isTypeOnly,
              }))
            : null;
        const d = {
          decl: 'import',
          typeOnly: !!c?.isTypeOnly,
          namespace: !!(nb && ts.isNamespaceImport(nb)),
          defaultName: c?.name?.text,
          specifiers,
        };
        const names = specifiers ? specifiers.map((s) => s.name) : [];
        if (d.defaultName) names.unshift('default');
        refs.push({ form: classifyDeclaration(d), spec, names, pos: node.moduleSpecifier.getStart(sf) });
      }
      return;
    }
    if (ts.isExportDeclaration(node)) {
      const spec = str(node.moduleSpecifier);
      if (spec !== undefined) {
        const ec = node.exportClause;
        const star = !ec || ts.isNamespaceExport(ec);
        const names = ec && ts.isNamedExports(ec) ? ec.elements.map((e) => (e.propertyName ?? e.name).text) : [];
        refs.push({
          form: classifyDeclaration({ decl: 'export', star }),
          spec,
          names,
          pos: node.moduleSpecifier.getStart(sf),
        });
      }
      return;
    }
    if (ts.isImportEqualsDeclaration(node)) {
      const ref = node.moduleReference;
      if (ts.isExternalModuleReference(ref)) {
        const spec = str(ref.expression);
        if (spec !== undefined) refs.push({ form: 'import-equals', spec, names: [], pos: ref.expression.getStart(sf) });
      }
      return;
    }
    if (ts.isCallExpression(node) && node.arguments.length >= 1) {
      const spec = str(node.arguments[0]);
      if (spec !== undefined) {
        const e = node.expression;
        let form;
        if (e.kind === ts.SyntaxKind.ImportKeyword) form = 'dynamic-import';
        else if (ts.isIdentifier(e) && e.text === 'require') form = 'require';
        else if (
          ts.isPropertyAccessExpression(e) &&
          ts.isIdentifier(e.expression) &&
          MOCK_OBJECTS.has(e.expression.text) &&
          MOCK_METHODS.has(e.name.text)
        )
          form = 'mock';
        if (form) refs.push({ form, spec, names: [], pos: node.arguments[0].getStart(sf) });
      }
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal)) {
        let q = node.qualifier;
        while (q && ts.isQualifiedName(q)) q = q.left;
        refs.push({
          form: 'import-type',
          spec: arg.literal.text,
          names: q ? [q.text] : [],
          pos: arg.literal.getStart(sf),
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const parseErrors = sf.parseDiagnostics?.length ?? 0;
  return { refs, parseErrors, lineOf: (pos) => sf.getLineAndCharacterOfPosition(pos).line + 1 };
}

/** Every tsconfig in use, parsed once: nearest tsconfig.json / jsconfig.json of a file, as tsc and editors find it. */
function createProjectOptions(dir) {
  const byConfig = new Map();
  const byDir = new Map();
  const FALLBACK = { allowJs: true, moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext };
  const host = createHost(dir);
  const nearest = (d) => {
    if (byDir.has(d)) return byDir.get(d);
    let found = '';
    if (fs.existsSync(path.join(d, 'tsconfig.json'))) found = path.join(d, 'tsconfig.json');
    else if (fs.existsSync(path.join(d, 'jsconfig.json'))) found = path.join(d, 'jsconfig.json');
    else if (d !== dir && path.dirname(d) !== d) found = nearest(path.dirname(d));
    byDir.set(d, found);
    return found;
  };
  return (file) => {
    const config = nearest(path.dirname(file));
    let entry = byConfig.get(config);
    if (!entry) {
      let options = FALLBACK;
      if (config) {
        // only the options matter here: no directory walk for `include`
        const parsed = ts.getParsedCommandLineOfConfigFile(
          config,
          {},
          { ...ts.sys, readDirectory: () => [], onUnRecoverableConfigFileDiagnostic: () => undefined },
        );
        if (parsed) options = { ...parsed.options, allowJs: true };
      }
      entry = { options, cache: ts.createModuleResolutionCache(dir, (x) => x, options) };
      byConfig.set(config, entry);
    }
    return { ...entry, host };
  };
}

/**
 * ts.sys, plus the workspace packages linked under <dir>/node_modules as a package manager would
 * link them (a checkout without `npm install` has no node_modules; TypeScript then resolves
 * `@scope/pkg/sub` through the package's own package.json, exactly as after an install).
 */
function createHost(dir) {
  const nodeModules = path.join(dir, 'node_modules');
  const links = [...workspacePackages(dir)].filter(([name]) => !fs.existsSync(path.join(nodeModules, name)));
  const translate = (p) => {
    if (!p.startsWith(nodeModules + path.sep)) return p;
    const rest = p
      .slice(nodeModules.length + 1)
      .split(path.sep)
      .join('/');
    for (const [name, pkgDir] of links)
      if (rest === name || rest.startsWith(`${name}/`)) return path.join(pkgDir, rest.slice(name.length));
    return p;
  };
  return {
    fileExists: (f) => ts.sys.fileExists(translate(f)),
    readFile: (f) => ts.sys.readFile(translate(f)),
    directoryExists: (d) => {
      if (d === nodeModules && links.length) return true;
      const rest = d.startsWith(nodeModules + path.sep)
        ? d
            .slice(nodeModules.length + 1)
            .split(path.sep)
            .join('/')
        : undefined;
      if (rest !== undefined && links.some(([name]) => name.startsWith(`${rest}/`))) return true; // a scope folder
      return ts.sys.directoryExists(translate(d));
    },
    realpath: (p) => {
      const t = translate(p);
      try {
        return fs.realpathSync.native(t);
      } catch {
        return t;
      }
    },
    getCurrentDirectory: () => dir,
    getDirectories: (d) => ts.sys.getDirectories(translate(d)),
  };
}

const sha1 = (buf) => crypto.createHash('sha1').update(buf).digest('hex');

/**
 * Analyse dir. With `baseline` (a previous result on the pristine corpus), files whose bytes are
 * unchanged reuse the baseline's sites (same layout → same resolution); changed files are parsed.
 * `configPath`: the ssot.config.json to read the legacy modules and the target from (default
 * <dir>/ssot.config.json).
 */
export function analyze(dir, { baseline, configPath } = {}) {
  dir = path.resolve(dir);
  const spec = readMigrationSpec(dir, configPath);
  const optionsFor = createProjectOptions(dir);
  const files = listSourceFiles(dir);
  const result = { dir, files: {}, hashes: {}, parseErrors: {}, changedFiles: [] };
  for (const rel of files) {
    const buf = fs.readFileSync(path.join(dir, rel));
    const h = sha1(buf);
    result.hashes[rel] = h;
    if (baseline) {
      if (baseline.hashes[rel] === h) {
        if (baseline.files[rel]) result.files[rel] = baseline.files[rel];
        if (baseline.parseErrors[rel]) result.parseErrors[rel] = baseline.parseErrors[rel];
        continue;
      }
      result.changedFiles.push(rel);
    }
    // files that ARE legacy modules are not importers
    if (spec.legacyOfFile(rel)) continue;
    const abs = path.join(dir, rel);
    const { refs, parseErrors, lineOf } = collectReferences(abs, buf.toString('utf8'));
    if (parseErrors) result.parseErrors[rel] = parseErrors;
    const sites = [];
    const { options, cache, host } = optionsFor(abs);
    for (const r of refs) {
      let target = spec.targetOf(r.spec);
      if (!target) {
        const bySpec = spec.legacyOfSpecifier(r.spec);
        if (bySpec) target = `legacy:${bySpec.id}`;
        else {
          const mode = r.form === 'require' || r.form === 'import-equals' ? ts.ModuleKind.CommonJS : undefined;
          const res = ts.resolveModuleName(r.spec, abs, options, host, cache, undefined, mode).resolvedModule;
          if (res) {
            const relTarget = path.relative(dir, res.resolvedFileName).split(path.sep).join('/');
            const inside = !relTarget.startsWith('..') && !relTarget.split('/').includes('node_modules');
            const l = inside ? spec.legacyOfFile(relTarget) : undefined;
            target = l ? `legacy:${l.id}` : (inside && spec.targetOf(r.spec, relTarget)) || 'other';
          } else target = r.spec.startsWith('.') ? 'unresolved' : 'other';
        }
      }
      if (target === 'other') continue;
      sites.push({ form: r.form, spec: r.spec, target, names: r.names, line: lineOf(r.pos) });
    }
    if (sites.length) result.files[rel] = sites;
  }
  if (baseline)
    for (const rel of Object.keys(baseline.hashes)) if (!(rel in result.hashes)) result.changedFiles.push(rel);
  result.totals = totalsOf(result);
  return result;
}

export function totalsOf(result) {
  const t = {
    legacySites: 0,
    compatSites: 0,
    routerSites: 0,
    unresolvedSites: 0,
    legacyByForm: {},
    filesWithLegacySites: 0,
    parseErrorFiles: Object.keys(result.parseErrors).length,
  };
  for (const sites of Object.values(result.files)) {
    let any = false;
    for (const s of sites) {
      if (s.target.startsWith('legacy:')) {
        t.legacySites++;
        t.legacyByForm[s.form] = (t.legacyByForm[s.form] ?? 0) + 1;
        any = true;
      } else if (s.target === 'compat') t.compatSites++;
      else if (s.target === 'router') t.routerSites++;
      else if (s.target === 'unresolved') t.unresolvedSites++;
    }
    if (any) t.filesWithLegacySites++;
  }
  t.legacyByForm = Object.fromEntries(Object.entries(t.legacyByForm).sort());
  return t;
}

function diffMultiset(a, b) {
  const m = new Map();
  for (const k of a) m.set(k, (m.get(k) ?? 0) + 1);
  for (const k of b) m.set(k, (m.get(k) ?? 0) - 1);
  const missing = [],
    extra = [];
  for (const [k, v] of m) {
    for (let i = 0; i < v; i++) missing.push(k);
    for (let i = 0; i < -v; i++) extra.push(k);
  }
  return { missing, extra };
}

/** Before any tool ran: the oracle's legacy sites must equal the manifest, file by file and form by form. */
export function checkAgainstManifest(result, manifest) {
  const problems = [];
  const filesA = new Set(Object.keys(manifest.files).filter((f) => manifest.files[f].legacySites));
  for (const [f, sites] of Object.entries(result.files))
    if (sites.some((s) => s.target.startsWith('legacy:'))) filesA.add(f);
  for (const f of [...filesA].sort()) {
    const exp = (manifest.files[f]?.sites ?? [])
      .map((s) => `${s.form}|${s.spec}|${s.target}|${s.names.join(',')}`)
      .sort();
    const got = (result.files[f] ?? [])
      .filter((s) => s.target.startsWith('legacy:'))
      .map((s) => `${s.form}|${s.spec}|${s.target}|${s.names.join(',')}`)
      .sort();
    const d = diffMultiset(exp, got);
    if (d.missing.length || d.extra.length) problems.push({ file: f, missing: d.missing, extra: d.extra });
  }
  const decoyAsLegacy = Object.entries(manifest.files).filter(
    ([f, v]) =>
      v.decoySpecifiers &&
      (result.files[f] ?? []).some((s) => v.decoySpecifiers.includes(s.spec) && s.target !== 'other'),
  );
  for (const [f] of decoyAsLegacy)
    problems.push({ file: f, missing: [], extra: ['decoy specifier classified as a legacy/compat site'] });
  if (result.totals.parseErrorFiles)
    problems.push({
      file: '(corpus)',
      missing: [],
      extra: [`${result.totals.parseErrorFiles} files have TypeScript parse errors`],
    });
  return { ok: problems.length === 0, problems };
}

/**
 * Expected binding keys per file after the migration the config asks for, derived from the oracle's
 * own sites of the pristine tree (`analyze`), so it holds for a generated corpus and a real checkout.
 */
export function expectedAfterMigration(baseline, spec) {
  const out = {};
  for (const [f, sites] of Object.entries(baseline.files)) {
    const keys = bindingKeys(sites, { migrate: true, spec });
    if (keys.length) out[f] = keys;
  }
  return out;
}

/** Files in which at least one binding is expected to move (the only files a migration may modify). */
export function expectedChangedFiles(baseline, spec) {
  const out = new Set();
  for (const [f, sites] of Object.entries(baseline.files)) {
    const a = bindingKeys(sites).join('\n'),
      b = bindingKeys(sites, { migrate: true, spec }).join('\n');
    if (a !== b) out.add(f);
  }
  return out;
}

/**
 * After a tool ran: compare the oracle's bindings (kind|name|target) per file with the expectation.
 * Returns { ok, filesChanged, filesExpected, wrongFiles: [{file, missing, extra}] }.
 */
export function checkMigration(after, expected, expectedChanged) {
  const files = new Set([...Object.keys(expected), ...Object.keys(after.files)]);
  const wrong = [];
  let sitesRight = 0,
    sitesExpected = 0;
  for (const f of [...files].sort()) {
    const exp = expected[f] ?? [];
    const got = bindingKeys(after.files[f] ?? []);
    const d = diffMultiset(exp, got);
    const compatExp = exp.filter((k) => k.endsWith('|compat')).length;
    sitesExpected += compatExp;
    sitesRight += compatExp - d.missing.filter((k) => k.endsWith('|compat')).length;
    if (d.missing.length || d.extra.length) wrong.push({ file: f, missing: d.missing, extra: d.extra });
  }
  // A changed file that does not parse (files that did not parse before and were not touched keep their errors)
  const broken = after.changedFiles.filter((f) => after.parseErrors[f]);
  if (broken.length)
    wrong.push({
      file: '(output)',
      missing: [],
      extra: [`${broken.length} changed files do not parse: ${broken.slice(0, 3).join(', ')}`],
    });
  // which files: a tool must not modify files where no binding is expected to move (legacy modules
  // themselves, the decoy's importers, reformatting of untouched files, ...)
  const unexpected = expectedChanged ? after.changedFiles.filter((f) => !expectedChanged.has(f)) : [];
  for (const f of unexpected)
    wrong.push({ file: f, missing: [], extra: ['modified, but no import site in it was to change'] });
  return {
    ok: wrong.length === 0,
    bindingsRight: sitesRight,
    bindingsExpected: sitesExpected,
    wrongFiles: wrong,
    filesTouched: after.changedFiles.length,
    unexpectedFilesTouched: unexpected.length,
  };
}

// ---------------------------------------------------------------------------------------------
const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const dir = args.find((a, i) => !a.startsWith('--') && !['--manifest', '--config'].includes(args[i - 1]));
  if (!dir) {
    console.error('usage: node bench/oracle.mjs <dir> [--config <ssot.config.json>] [--manifest <file>]');
    process.exit(2);
  }
  const mi = args.indexOf('--manifest');
  const manifestPath = mi >= 0 ? args[mi + 1] : path.join(dir, '.bench-manifest.json');
  const ci = args.indexOf('--config');
  const t0 = performance.now();
  const r = analyze(dir, ci >= 0 ? { configPath: path.resolve(args[ci + 1]) } : {});
  console.log(
    JSON.stringify(
      {
        dir: r.dir,
        files: Object.keys(r.hashes).length,
        ...r.totals,
        seconds: +((performance.now() - t0) / 1000).toFixed(2),
      },
      null,
      1,
    ),
  );
  if (fs.existsSync(manifestPath)) {
    const m = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    const c = checkAgainstManifest(r, m);
    if (c.ok)
      console.log(`oracle == manifest: ${m.totals.legacySites} legacy sites in ${m.totals.filesWithLegacySites} files`);
    else {
      console.error(`ORACLE DISAGREES WITH MANIFEST in ${c.problems.length} files:`);
      for (const p of c.problems.slice(0, 20)) console.error(JSON.stringify(p));
      process.exit(1);
    }
  }
}
