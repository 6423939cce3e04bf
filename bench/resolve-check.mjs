#!/usr/bin/env node
// Checks the resolver's shared results on a real checkout: every static import and export of every
// source file is resolved by one ModuleResolver as ssot-kit uses it (a bare specifier's answer is
// shared by folders with the same package scope and node_modules ancestors, ModuleResolver.placeKey)
// and by one whose answers are kept per folder; any difference is printed. Exit 1 on a difference.
//
//   npm run build && node bench/resolve-check.mjs $SSOT_REAL_DIR/theia [more checkouts...]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSync } from 'oxc-parser';

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { ModuleResolver } = await import(path.join(repo, 'dist/src/core/resolve.js'));

function sourceFiles(root) {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /\.[cm]?[jt]sx?$/.test(e.name)) out.push(p);
    }
  };
  walk(root);
  return out.sort();
}

let failed = false;
for (const arg of process.argv.slice(2)) {
  const root = path.resolve(arg);
  const shared = new ModuleResolver(root);
  const perFolder = new ModuleResolver(root);
  // The key before sharing: the importing file's folder for every specifier.
  perFolder.placeKey = (_specifier, fromFile) => path.dirname(fromFile);
  let resolutions = 0;
  const differences = [];
  for (const file of sourceFiles(root)) {
    let module;
    try {
      ({ module } = parseSync(file, fs.readFileSync(file, 'utf8')));
    } catch {
      continue;
    }
    const specifiers = [
      ...module.staticImports.map((i) => i.moduleRequest.value),
      ...module.staticExports.flatMap((e) => e.entries.map((x) => x.moduleRequest?.value).filter(Boolean)),
    ];
    for (const specifier of specifiers) {
      resolutions++;
      const a = JSON.stringify(shared.resolve(specifier, file));
      const b = JSON.stringify(perFolder.resolve(specifier, file));
      if (a !== b) differences.push(`${path.relative(root, file)}: '${specifier}': ${a} against ${b}`);
    }
  }
  console.log(`${path.basename(root)}: ${resolutions} resolutions, ${differences.length} differences`);
  for (const d of differences.slice(0, 20)) console.log(`  ${d}`);
  if (differences.length > 0) failed = true;
}
process.exit(failed ? 1 : 0);
