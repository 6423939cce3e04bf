// Peer: a plain jscodeshift transform, the one a team would write with jscodeshift's own API
// (recast AST: j(file.source).find(...), path.replace / insertBefore, toSource()). It finds every
// module reference (import/export declarations, import = require, require(), import(), vi/jest.mock,
// import('x').T types), resolves it with TypeScript's module resolution (compiler options of
// <root>/tsconfig.json when there is one, read once per worker), and rewrites the ones that point at
// a legacy module of <root>/ssot.config.json to the migration target. Mixed named imports/exports are
// split: names that move go to the target, the others stay on the legacy module; `export * from` a
// legacy module moves only when every name keeps its own (bench/lib/migration-spec.cjs); files that
// are legacy modules are skipped. Files with nothing to change return undefined, so recast never
// reprints them. Independent of ssot-kit's own code (same legacy logic as ts-morph-migrate.mjs).
//
//   jscodeshift --no-babel -t bench/peers/jscodeshift-plain.cjs --parser=ts|tsx|babel --config=<root>/ssot.config.json <root>
//
// --no-babel: the transform is plain CommonJS; with jscodeshift's @babel/register hook on, every
// require() of the transform (typescript's 9 MB compiler included) would be recompiled per worker.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { legacyModules } = require('./legacy-modules.cjs');
const ts = require('typescript');

const MOCK = /^(vi|jest)\.(mock|doMock|unmock)$/;
const SITE_TYPES = new Set([
  'ImportDeclaration',
  'ExportAllDeclaration',
  'ExportNamedDeclaration',
  'TSExternalModuleReference',
  'CallExpression',
  'ImportExpression',
  'TSImportType',
]);

// ---------------------------------------------------------------------------------------------
// per-worker setup: legacy modules of ssot.config.json, tsconfig compiler options, resolution cache

const setups = new Map();
function setupFor(configPath) {
  const key = path.resolve(configPath);
  let s = setups.get(key);
  if (s) return s;
  const dir = path.dirname(key);
  const { target, inLegacy, legacyOf, moves } = legacyModules(dir);

  const tsconfig = path.join(dir, 'tsconfig.json');
  let options = { allowJs: true };
  if (fs.existsSync(tsconfig)) {
    const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
    if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
    options = ts.parseJsonConfigFileContent(read.config, ts.sys, dir, undefined, tsconfig).options;
  }
  const cache = ts.createModuleResolutionCache(dir, (x) => x, options);
  const legacyOfSpec = (spec, from) =>
    legacyOf(spec, () => ts.resolveModuleName(spec, from, options, ts.sys, cache).resolvedModule?.resolvedFileName);
  s = { target, inLegacy, legacyOfSpec, moves };
  setups.set(key, s);
  return s;
}

// ---------------------------------------------------------------------------------------------

// string literal in either AST flavour: StringLiteral (--parser=ts|tsx) or Literal (--parser=babel, estree)
const isString = (n) => !!n && (n.type === 'StringLiteral' || n.type === 'Literal') && typeof n.value === 'string';
const nameOf = (n) => (n.type === 'Identifier' ? n.name : n.value);

module.exports = function transform(file, api, options) {
  if (typeof options.config !== 'string') throw new Error('pass --config=<root>/ssot.config.json');
  const { target, inLegacy, legacyOfSpec, moves } = setupFor(options.config);
  const from = path.resolve(file.path);
  if (inLegacy(from)) return undefined;

  const j = api.jscodeshift;
  const root = j(file.source);
  const legacy = (lit) => (isString(lit) ? legacyOfSpec(lit.value, from) : undefined);
  const compat = (lit) => (lit.type === 'Literal' ? j.literal(target) : j.stringLiteral(target));
  let edits = 0;
  const retarget = (p) => {
    p.replace(compat(p.node));
    edits++;
  };
  // one walk collects every candidate node; a root.find(j.ImportDeclaration) etc. per form would
  // walk the whole tree six times (~40 % slower on the small corpus)
  const sites = root.find(j.Node, (n) => SITE_TYPES.has(n.type));
  const ofType = (type) => sites.filter((p) => p.node.type === type);

  // import ... from / import 'x'
  ofType('ImportDeclaration').forEach((p) => {
    const d = p.node;
    const id = legacy(d.source);
    if (!id) return;
    const named = (d.specifiers || []).filter((s) => s.type === 'ImportSpecifier');
    const concept = named.filter((s) => moves(id, nameOf(s.imported), 'named'));
    const defaultStays =
      (d.specifiers || []).some((s) => s.type === 'ImportDefaultSpecifier') && !moves(id, 'default', 'default');
    if (!defaultStays && concept.length === named.length) retarget(p.get('source'));
    else if (concept.length) {
      const moved = j.importDeclaration(concept, compat(d.source));
      moved.importKind = d.importKind || 'value';
      p.insertBefore(moved);
      d.specifiers = d.specifiers.filter((s) => !concept.includes(s));
      edits++;
    }
  });

  // export { ... } from; `export * from` / `export * as ns from` a legacy module moves only when
  // every name keeps its own
  ofType('ExportAllDeclaration').forEach((p) => {
    const id = legacy(p.node.source);
    if (id && moves(id, '*', 'export-star')) retarget(p.get('source'));
  });
  ofType('ExportNamedDeclaration').forEach((p) => {
    const d = p.node;
    const id = d.source ? legacy(d.source) : undefined;
    if (!id) return;
    const specs = d.specifiers || [];
    if (specs.some((s) => s.type === 'ExportNamespaceSpecifier' || s.type === 'ExportDefaultSpecifier')) {
      if (moves(id, '*', 'export-star')) retarget(p.get('source'));
      return;
    }
    const concept = specs.filter((s) => moves(id, nameOf(s.local), 'export-named'));
    if (specs.length === 0 || concept.length === specs.length) retarget(p.get('source'));
    else if (concept.length) {
      const moved = j.exportNamedDeclaration(null, concept, compat(d.source));
      moved.exportKind = d.exportKind || 'value';
      p.insertBefore(moved);
      d.specifiers = specs.filter((s) => !concept.includes(s));
      edits++;
    }
  });

  // import x = require('x')
  ofType('TSExternalModuleReference').forEach((p) => {
    if (legacy(p.node.expression)) retarget(p.get('expression'));
  });

  // require('x'), import('x') (Babel: callee Import), vi.mock / jest.mock / doMock / unmock
  ofType('CallExpression').forEach((p) => {
    const { callee, arguments: args } = p.node;
    const ok =
      callee.type === 'Import' ||
      (callee.type === 'Identifier' && callee.name === 'require') ||
      (callee.type === 'MemberExpression' &&
        !callee.computed &&
        callee.object.type === 'Identifier' &&
        callee.property.type === 'Identifier' &&
        MOCK.test(`${callee.object.name}.${callee.property.name}`));
    if (ok && args.length && legacy(args[0])) retarget(p.get('arguments', 0));
  });
  // import('x') as ESTree's ImportExpression (--parser=babel uses the estree plugin)
  ofType('ImportExpression').forEach((p) => {
    if (legacy(p.node.source)) retarget(p.get('source'));
  });

  // import('x').T in types: only names that move (the others stay on the legacy module)
  ofType('TSImportType').forEach((p) => {
    const arg = p.node.argument;
    const lit = arg && arg.type === 'TSLiteralType' ? arg.literal : arg;
    const id = legacy(lit);
    if (!id) return;
    let q = p.node.qualifier;
    while (q && q.type === 'TSQualifiedName') q = q.left;
    if (q && !moves(id, q.name, 'import-type')) return;
    retarget(lit === arg ? p.get('argument') : p.get('argument', 'literal'));
  });

  return edits ? root.toSource({ quote: 'single' }) : undefined;
};
