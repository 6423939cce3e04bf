#!/usr/bin/env node
// Peer: a plain ts-morph script. Loads the project from <dir>/tsconfig.json (every source file when
// there is none), finds every module reference (import/export declarations, import = require,
// require(), import(), vi/jest.mock, import('x').T types), resolves it with TypeScript's module
// resolution, and rewrites the ones that point at a legacy module of <dir>/ssot.config.json to the
// migration target with setModuleSpecifier / setLiteralValue. Mixed named imports/exports are split:
// names that move go to the target, the others stay on the legacy module; `export * from` a legacy
// module moves only when every name keeps its own (see bench/lib/migration-spec.cjs).
//
//   node bench/peers/ts-morph-migrate.mjs <dir>
import fs from 'node:fs';
import path from 'node:path';
import { Project, SyntaxKind, Node, ts } from 'ts-morph';
import legacy from './legacy-modules.cjs';

const dir = path.resolve(process.argv[2] ?? '.');
const { target, inLegacy, legacyOf, moves } = legacy.legacyModules(dir);

// skipFileDependencyResolution: the tsconfig's include already lists every file; ts-morph's own
// dependency walk recurses per import and overflows the stack on the 5,000-file corpus.
const tsconfig = path.join(dir, 'tsconfig.json');
const project = fs.existsSync(tsconfig)
  ? new Project({ tsConfigFilePath: tsconfig, skipFileDependencyResolution: true })
  : new Project({ compilerOptions: { allowJs: true, jsx: ts.JsxEmit.Preserve }, skipFileDependencyResolution: true });
// No root tsconfig, or one that lists no files itself (a solution file of project references):
// every source file, as a user of ts-morph would add them.
if (project.getSourceFiles().length === 0)
  project.addSourceFilesAtPaths([`${dir}/**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}`, `!${dir}/**/node_modules/**`]);
const options = project.getCompilerOptions();
const host = ts.sys;
const cache = ts.createModuleResolutionCache(dir, (x) => x, options);
const legacyOfSpec = (spec, from) =>
  legacyOf(spec, () => ts.resolveModuleName(spec, from, options, host, cache).resolvedModule?.resolvedFileName);

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
    const id = spec === undefined ? undefined : legacyOfSpec(spec, file);
    if (!id) continue;
    if (Node.isExportDeclaration(d) && !d.hasNamedExports()) {
      if (moves(id, '*', 'export-star')) actions.push(() => d.setModuleSpecifier(target));
      continue;
    }
    const named = Node.isImportDeclaration(d) ? d.getNamedImports() : d.getNamedExports();
    const moving = named.filter((n) => moves(id, n.getNameNode().getText(), 'named'));
    const defaultStays =
      Node.isImportDeclaration(d) && d.getDefaultImport() !== undefined && !moves(id, 'default', 'default');
    if (!defaultStays && moving.length === named.length) actions.push(() => d.setModuleSpecifier(target));
    else if (moving.length) actions.push(() => splitDeclaration(sf, d, moving));
  }
  for (const d of sf.getDescendantsOfKind(SyntaxKind.ImportEqualsDeclaration)) {
    const ref = d.getModuleReference();
    if (Node.isExternalModuleReference(ref)) {
      const lit = ref.getExpression();
      if (lit && Node.isStringLiteral(lit) && legacyOfSpec(lit.getLiteralValue(), file))
        actions.push(() => lit.setLiteralValue(target));
    }
  }
  for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const [arg] = call.getArguments();
    if (!arg || !Node.isStringLiteral(arg)) continue;
    const e = call.getExpression();
    const text = e.getText();
    const ok =
      e.getKind() === SyntaxKind.ImportKeyword || text === 'require' || /^(vi|jest)\.(mock|doMock|unmock)$/.test(text);
    if (ok && legacyOfSpec(arg.getLiteralValue(), file)) actions.push(() => arg.setLiteralValue(target));
  }
  for (const it of sf.getDescendantsOfKind(SyntaxKind.ImportType)) {
    const arg = it.getArgument();
    const lit = Node.isLiteralTypeNode(arg) ? arg.getLiteral() : undefined;
    const id = lit && Node.isStringLiteral(lit) ? legacyOfSpec(lit.getLiteralValue(), file) : undefined;
    if (!id) continue;
    let q = it.getQualifier();
    while (q && Node.isQualifiedName(q)) q = q.getLeft();
    if (!q || moves(id, q.getText(), 'import-type')) actions.push(() => lit.setLiteralValue(target));
  }
  // 2) rewrite, last site first
  for (const a of actions.reverse()) {
    a();
    edits++;
  }
  if (actions.length) changed++;
}

function splitDeclaration(sf, d, moving) {
  const index = d.getChildIndex();
  const structs = moving.map((n) => ({
    name: n.getNameNode().getText(),
    alias: n.getAliasNode()?.getText(),
    isTypeOnly: n.isTypeOnly(),
  }));
  if (Node.isImportDeclaration(d))
    sf.insertImportDeclaration(index, { moduleSpecifier: target, isTypeOnly: d.isTypeOnly(), namedImports: structs });
  else
    sf.insertExportDeclaration(index, { moduleSpecifier: target, isTypeOnly: d.isTypeOnly(), namedExports: structs });
  for (const n of moving) n.remove();
}

await project.save();
console.log(JSON.stringify({ sourceFiles: sourceFiles.length, filesChanged: changed, edits }));
