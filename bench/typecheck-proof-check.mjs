#!/usr/bin/env node
// Checks `--typecheck`'s proof (src/migrate/typecheck-proof.ts) against the check it replaces, on
// a real checkout: every file that differs between a pristine copy and a migrated copy is handed
// to typecheckRewrites twice, once with proofs and once checking every file. A file the proof
// calls alike must have no new diagnostic in the full check; the script prints the counts, why
// the proof did not hold for the others, and exit 1 on a disagreement.
//
//   npm run build
//   node bench/typecheck-proof-check.mjs <pristine copy> <migrated copy>   (config: the migrated copy's)
//   node bench/typecheck-proof-check.mjs --time prove|full <pristine copy> <migrated copy>
//     one way only, in a fresh process (no cache warmed by the other way): its time and memory
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { typecheckRewrites } = await import(path.join(repo, 'dist/src/migrate/typecheck.js'));
const { loadConfig } = await import(path.join(repo, 'dist/src/core/config/load.js'));
const { newFindings } = await import(path.join(repo, 'dist/codemods/findings.js'));

const args = process.argv.slice(2);
const timeOnly = args[0] === '--time' ? args.splice(0, 2)[1] : undefined;
if (timeOnly !== undefined && timeOnly !== 'prove' && timeOnly !== 'full') {
  console.error('--time: prove or full');
  process.exit(2);
}
const [pristine, migrated] = args.map((p) => path.resolve(p));
if (!pristine || !migrated) {
  console.error('usage: node bench/typecheck-proof-check.mjs <pristine copy> <migrated copy>');
  process.exit(2);
}

const rewritten = [];
const walk = (rel) => {
  for (const e of fs.readdirSync(path.join(migrated, rel), { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const r = path.join(rel, e.name);
    if (e.isDirectory()) walk(r);
    else if (e.isFile() && /\.[cm]?[jt]sx?$/.test(e.name)) {
      const now = fs.readFileSync(path.join(migrated, r), 'utf8');
      const then = fs.existsSync(path.join(pristine, r)) ? fs.readFileSync(path.join(pristine, r), 'utf8') : undefined;
      if (then !== undefined && then !== now) rewritten.push({ file: path.join(migrated, r), original: then });
    }
  }
};
walk('');
const config = loadConfig({ cwd: migrated });

const time = (f) => {
  const t = performance.now();
  const out = f();
  return [out, ((performance.now() - t) / 1000).toFixed(2)];
};
if (timeOnly) {
  const [result, seconds] = time(() =>
    typecheckRewrites(config, rewritten, undefined, { prove: timeOnly === 'prove' }),
  );
  const rss = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(
    `${timeOnly}: ${seconds} s, peak RSS ${rss} MiB; ${rewritten.length} rewritten files, ${result.proven.size} proven, ${result.outside.size} outside`,
  );
  process.exit(0);
}
const [withProof, provedIn] = time(() => typecheckRewrites(config, rewritten, undefined, { prove: true }));
const [full, checkedIn] = time(() => typecheckRewrites(config, rewritten, undefined, { prove: false }));

let disagreements = 0;
let provenWithDiagnostics = 0;
for (const file of withProof.proven) {
  const after = full.after.get(file) ?? [];
  if (after.length > 0) provenWithDiagnostics++;
  const fresh = newFindings(full.before.get(file) ?? [], after);
  if (fresh.length > 0) {
    disagreements++;
    console.log(`DISAGREE ${path.relative(migrated, file)}: proven alike, the check finds ${fresh.length} new:`);
    for (const d of fresh) console.log(`  TS${d.code} ${d.line}:${d.column} ${d.message.split('\n')[0]}`);
  }
}
const reasons = new Map();
for (const why of withProof.unproven.values()) {
  const kind = why.replace(/^'[^']*' -> '[^']*': /, '').replace(/'[^']*'/g, "'…'");
  reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
}
console.log(
  `${rewritten.length} rewritten files: ${withProof.proven.size} proven alike, ${withProof.unproven.size} checked ` +
    `(${provedIn} s with proofs, ${checkedIn} s checking every file)`,
);
console.log(`proven files the full check found diagnostics in (before and after): ${provenWithDiagnostics}`);
for (const [why, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  not proven, ${n}: ${why}`);
const newInFull = [...full.after].filter(([f, list]) => newFindings(full.before.get(f) ?? [], list).length > 0);
console.log(`files with new diagnostics in the full check: ${newInFull.length}; disagreements: ${disagreements}`);
process.exit(disagreements > 0 ? 1 : 0);
