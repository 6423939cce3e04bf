#!/usr/bin/env node
// Floor measurements: what any tool must at least pay on this corpus.
//   node bench/peers/floor.mjs read   <dir>   read every source file
//   node bench/peers/floor.mjs search <dir> <regex>   read every file and keep those matching the regex of the legacy
//                                             module names (bench/tools/index.mjs legacyNeedleRegex; a text prefilter)
//   node bench/peers/floor.mjs parse  <dir>   ts.createSourceFile for every file, one thread
//   node bench/peers/floor.mjs parse-oxc <dir>   oxc-parser's parseSync for every file, one thread (native;
//                                             on Node < 22 it hands the tree over as JSON, built whether read or not)
import fs from 'node:fs';
import path from 'node:path';

// (no import of the oracle here: loading the TypeScript compiler would cost the "read" floor ~0.3 s)
const EXT = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);
function listSourceFiles(root) {
  const out = [];
  const walk = (rel) => {
    for (const e of fs.readdirSync(rel ? path.join(root, rel) : root, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (EXT.has(path.extname(e.name))) out.push(r);
    }
  };
  walk('');
  return out;
}

const [mode, dirArg, needles] = process.argv.slice(2);
const dir = path.resolve(dirArg ?? '.');
const files = listSourceFiles(dir);
let bytes = 0,
  hits = 0;
if (mode === 'read') {
  for (const f of files) bytes += fs.readFileSync(path.join(dir, f)).length;
} else if (mode === 'search') {
  if (!needles) {
    console.error('usage: floor.mjs search <dir> <regex>');
    process.exit(2);
  }
  const re = new RegExp(needles);
  for (const f of files) {
    const t = fs.readFileSync(path.join(dir, f), 'latin1');
    bytes += t.length;
    if (re.test(t)) hits++;
  }
} else if (mode === 'parse') {
  const ts = (await import('typescript')).default;
  for (const f of files) {
    const t = fs.readFileSync(path.join(dir, f), 'utf8');
    bytes += t.length;
    const kind = f.endsWith('.tsx') ? ts.ScriptKind.TSX : /\.[cm]?js$/.test(f) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
    ts.createSourceFile(f, t, ts.ScriptTarget.Latest, false, kind);
  }
} else if (mode === 'parse-oxc') {
  const { parseSync } = await import('oxc-parser');
  for (const f of files) {
    const t = fs.readFileSync(path.join(dir, f), 'utf8');
    bytes += t.length;
    parseSync(f, t).errors.length;
  }
} else {
  console.error('usage: floor.mjs read|parse|parse-oxc <dir> | floor.mjs search <dir> <regex>');
  process.exit(2);
}
console.log(JSON.stringify({ mode, files: files.length, bytes, candidateFiles: mode === 'search' ? hits : undefined }));
