#!/usr/bin/env node
// Peer: a plain ts-morph script. Loads the project from <dir>/tsconfig.json, finds every module
// reference (import/export declarations, import = require, require(), import(), vi/jest.mock,
// import('x').T types), resolves it with TypeScript's module resolution, and rewrites the ones that
// point at a legacy module of <dir>/ssot.config.json to 'ssot-kit/router/compat' with
// setModuleSpecifier / setLiteralValue. Mixed named imports/exports are split: concept names move,
// other names (RouterOptions, LEGACY_VERSION, ...) stay on the legacy module; `export * from` a
// legacy module is left alone (see bench/lib/semantics.mjs).
//
//   node bench/peers/ts-morph-migrate.mjs <dir>
import path from 'node:path';
import { Project, SyntaxKind, Node, ts } from 'ts-morph';
import legacy from './legacy-modules.cjs';

const { legacyModules } = legacy;

const COMPAT = 'ssot-kit/router/compat';
const CONCEPT = new Set([
  'MessageRouter',
  'QualityMessageRouter',
  'WebSocketEventRouter',
  'UserScopedWebSocketEventRouter',
  'WebSocketBroadcastService',
  'broadcastToUser',
  'createMessageRouter',
  'getMessageRouter',
]);

const dir = path.resolve(process.argv[2] ?? '.');
const { packages, inLegacy } = legacyModules(dir);

// skipFileDependencyResolution: the tsconfig's include already lists every file; ts-morph's own
// dependency walk recurses per import and overflows the stack on the 5,000-file corpus.
const project = new Project({ tsConfigFilePath: path.join(dir, 'tsconfig.json'), skipFileDependencyResolution: true });
const options = project.getCompilerOptions();
const host = ts.sys;
const cache = ts.createModuleResolutionCache(dir, (x) => x, options);
const isLegacySpec = (spec, from) => {
  if (packages.some((p) => spec === p || spec.startsWith(`${p}/`))) return true;
  const r = ts.resolveModuleName(spec, from, options, host, cache).resolvedModule;
  return !!r && inLegacy(path.resolve(r.resolvedFileName));
};

let edits = 0,
  changed = 0;
const sourceFiles = project.getSourceFiles();
for (const sf of sourceFiles) {
  const file = sf.getFilePath();
  if (inLegacy(path.resolve(file))) continue;
  // 1) collect (no edits while matching)
  const actions = [];
  for (const d of [...sf.getImportDeclarations(), ...sf.getExportDeclarations()]) {
    const spec = d.getModuleSpecifierValue();
    if (spec === undefined || !isLegacySpec(spec, file)) continue;
    // export * (as ns) from legacy: left alone, it would drop the legacy module's non-concept exports
    if (Node.isExportDeclaration(d) && !d.hasNamedExports()) continue;
    const named = Node.isImportDeclaration(d) ? d.getNamedImports() : d.getNamedExports();
    const concept = named.filter((n) => CONCEPT.has(n.getNameNode().getText()));
    if (named.length === 0 || concept.length === named.length) actions.push(() => d.setModuleSpecifier(COMPAT));
    else if (concept.length) actions.push(() => splitDeclaration(sf, d, concept));
  }
  for (const d of sf.getDescendantsOfKind(SyntaxKind.ImportEqualsDeclaration)) {
    const ref = d.getModuleReference();
    if (Node.isExternalModuleReference(ref)) {
      const lit = ref.getExpression();
      if (lit && Node.isStringLiteral(lit) && isLegacySpec(lit.getLiteralValue(), file))
        actions.push(() => lit.setLiteralValue(COMPAT));
    }
  }
  for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const [arg] = call.getArguments();
    if (!arg || !Node.isStringLiteral(arg)) continue;
    const e = call.getExpression();
    const text = e.getText();
    const ok =
      e.getKind() === SyntaxKind.ImportKeyword || text === 'require' || /^(vi|jest)\.(mock|doMock|unmock)$/.test(text);
    if (ok && isLegacySpec(arg.getLiteralValue(), file)) actions.push(() => arg.setLiteralValue(COMPAT));
  }
  for (const it of sf.getDescendantsOfKind(SyntaxKind.ImportType)) {
    const arg = it.getArgument();
    const lit = Node.isLiteralTypeNode(arg) ? arg.getLiteral() : undefined;
    if (!lit || !Node.isStringLiteral(lit) || !isLegacySpec(lit.getLiteralValue(), file)) continue;
    let q = it.getQualifier();
    while (q && Node.isQualifiedName(q)) q = q.getLeft();
    if (!q || CONCEPT.has(q.getText())) actions.push(() => lit.setLiteralValue(COMPAT));
  }
  // 2) rewrite, last site first
  for (const a of actions.reverse()) {
    a();
    edits++;
  }
  if (actions.length) changed++;
}

function splitDeclaration(sf, d, concept) {
  const index = d.getChildIndex();
  const structs = concept.map((n) => ({
    name: n.getNameNode().getText(),
    alias: n.getAliasNode()?.getText(),
    isTypeOnly: n.isTypeOnly(),
  }));
  if (Node.isImportDeclaration(d))
    sf.insertImportDeclaration(index, { moduleSpecifier: COMPAT, isTypeOnly: d.isTypeOnly(), namedImports: structs });
  else
    sf.insertExportDeclaration(index, { moduleSpecifier: COMPAT, isTypeOnly: d.isTypeOnly(), namedExports: structs });
  for (const n of concept) n.remove();
}

await project.save();
console.log(JSON.stringify({ sourceFiles: sourceFiles.length, filesChanged: changed, edits }));
