#!/usr/bin/env node
// The judge: parses every source file with the TypeScript compiler API, collects the module
// specifier of every import form the benchmark knows, resolves it like TypeScript does (the corpus
// tsconfig, `paths` aliases included) and classifies it as legacy / compat / other.
//
//   node bench/oracle.mjs <dir> [--manifest <file>]    (prints totals; checks them against the manifest)
//
// Legacy modules come from <dir>/ssot.config.json (file, folder or package specifier), not from the
// manifest, so the oracle is an independent count. Files that ARE legacy modules are not importers.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { COMPAT_SPECIFIER, ROUTER_SPECIFIER, FORMS, classifyDeclaration, bindingKeys } from './lib/semantics.mjs';

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

/** Legacy-module matcher built from <dir>/ssot.config.json (and workspace package.json names). */
export function loadLegacyModules(dir, configPath = path.join(dir, 'ssot.config.json')) {
  const config = JSON.parse(fs.readFileSync(configPath, 'utf8'));
  const mods = [];
  const pkgDirs = new Map();
  const packagesDir = path.join(dir, 'packages');
  if (fs.existsSync(packagesDir)) {
    for (const p of fs.readdirSync(packagesDir)) {
      const pj = path.join(packagesDir, p, 'package.json');
      if (fs.existsSync(pj)) pkgDirs.set(JSON.parse(fs.readFileSync(pj, 'utf8')).name, `packages/${p}`);
    }
  }
  for (const concept of config.concepts ?? []) {
    for (const l of concept.legacy ?? []) {
      const m = String(l.module).replace(/\\/g, '/').replace(/\/$/, '');
      const abs = path.join(dir, m);
      if (fs.existsSync(abs) && fs.statSync(abs).isFile()) mods.push({ id: m, kind: 'file', path: m });
      else if (fs.existsSync(abs) && fs.statSync(abs).isDirectory()) mods.push({ id: m, kind: 'folder', path: m });
      else if (m.endsWith('/*')) mods.push({ id: m, kind: 'subpaths', spec: m.slice(0, -2) });
      else mods.push({ id: m, kind: 'package', spec: m, path: pkgDirs.get(m) });
    }
  }
  return {
    mods,
    /** legacy id for a repo-relative resolved file, or undefined */
    byFile(rel) {
      for (const m of mods) {
        if (!m.path) continue;
        if (m.kind === 'file' ? rel === m.path : rel.startsWith(`${m.path}/`)) return m.id;
      }
      return undefined;
    },
    /** A package legacy module is its root entry; `<package>/*` entries are its subpaths (docs/codemods.md). */
    bySpecifier(spec) {
      for (const m of mods) {
        if (m.kind === 'package' && spec === m.spec) return m.id;
        if (m.kind === 'subpaths' && spec.length > m.spec.length + 1 && spec.startsWith(`${m.spec}/`)) return m.id;
      }
      return undefined;
    },
  };
}

function loadCompilerOptions(dir) {
  const tsconfig = path.join(dir, 'tsconfig.json');
  if (!fs.existsSync(tsconfig))
    return { allowJs: true, moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext };
  const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(
    { ...read.config, include: [], files: [] },
    ts.sys,
    dir,
    undefined,
    tsconfig,
  );
  return parsed.options;
}

const sha1 = (buf) => crypto.createHash('sha1').update(buf).digest('hex');

/**
 * Analyse dir. With `baseline` (a previous result on the pristine corpus), files whose bytes are
 * unchanged reuse the baseline's sites (same layout → same resolution); changed files are parsed.
 */
export function analyze(dir, { baseline } = {}) {
  dir = path.resolve(dir);
  const legacy = loadLegacyModules(dir);
  const options = loadCompilerOptions(dir);
  const host = ts.sys;
  const cache = ts.createModuleResolutionCache(dir, (x) => x, options);
  const files = listSourceFiles(dir);
  const result = { dir, files: {}, hashes: {}, parseErrors: {}, changedFiles: [] };
  const isLegacyFile = (rel) =>
    legacy.byFile(rel) !== undefined ||
    legacy.mods.some((m) => m.kind === 'package' && m.path && rel.startsWith(`${m.path}/`));
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
    if (isLegacyFile(rel)) continue;
    const abs = path.join(dir, rel);
    const { refs, parseErrors, lineOf } = collectReferences(abs, buf.toString('utf8'));
    if (parseErrors) result.parseErrors[rel] = parseErrors;
    const sites = [];
    for (const r of refs) {
      let target;
      if (r.spec === COMPAT_SPECIFIER) target = 'compat';
      else if (r.spec === ROUTER_SPECIFIER) target = 'router';
      else {
        const bySpec = legacy.bySpecifier(r.spec);
        if (bySpec) target = `legacy:${bySpec}`;
        else {
          const res = ts.resolveModuleName(r.spec, abs, options, host, cache).resolvedModule;
          if (res) {
            const relTarget = path.relative(dir, res.resolvedFileName).split(path.sep).join('/');
            const id = relTarget.startsWith('..')
              ? undefined
              : (legacy.byFile(relTarget) ??
                legacy.mods.find((m) => m.kind === 'package' && m.path && relTarget.startsWith(`${m.path}/`))?.id);
            target = id ? `legacy:${id}` : 'other';
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

/** Expected binding keys per file after a message-router preset migration, derived from the manifest. */
export function expectedAfterMigration(manifest) {
  const out = {};
  for (const [f, v] of Object.entries(manifest.files)) {
    const keys = bindingKeys(v.sites, { migrate: true });
    if (keys.length) out[f] = keys;
  }
  return out;
}

/** Files in which at least one binding is expected to move (the only files a migration may modify). */
export function expectedChangedFiles(manifest) {
  const out = new Set();
  for (const [f, v] of Object.entries(manifest.files)) {
    const a = bindingKeys(v.sites).join('\n'),
      b = bindingKeys(v.sites, { migrate: true }).join('\n');
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
  if (after.totals.parseErrorFiles)
    wrong.push({ file: '(output)', missing: [], extra: [`${after.totals.parseErrorFiles} files no longer parse`] });
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
  const dir = args.find((a) => !a.startsWith('--'));
  if (!dir) {
    console.error('usage: node bench/oracle.mjs <dir> [--manifest <file>]');
    process.exit(2);
  }
  const mi = args.indexOf('--manifest');
  const manifestPath = mi >= 0 ? args[mi + 1] : path.join(dir, '.bench-manifest.json');
  const t0 = performance.now();
  const r = analyze(dir);
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
