#!/usr/bin/env node
// Standalone benchmark of `ssot report` against ESLint running only the core no-restricted-imports
// rule (typescript-eslint parser, no type information) on the same files, cold and warm (--cache).
//
//   npm run build && node bench/report.mjs [--size tiny|small|default|large | --files N] [--seed N] [--runs N] [--write-docs]
//
// The corpus comes from bench/corpus/generate.mjs (the benchmark's deterministic generator), written
// to a temporary folder of its own. Each run measures the four commands in turn (so load on the
// machine hits them alike); the table gives medians. Whole-process wall time and max RSS
// (/usr/bin/time when present). --write-docs rewrites docs/benchmarks-report.md.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateCorpus, MANIFEST_NAME, SIZES } from './corpus/generate.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = { size: 'default', files: undefined, seed: 1, runs: 3, writeDocs: false };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const next = () => argv[++i] ?? fail(`${a} needs a value`);
  if (a === '--size') opt.size = next();
  else if (a === '--files') opt.files = Number(next());
  else if (a === '--seed') opt.seed = Number(next());
  else if (a === '--runs') opt.runs = Number(next());
  else if (a === '--write-docs') opt.writeDocs = true;
  else fail(`unknown flag ${a}`);
}
if (!opt.files && !(opt.size in SIZES)) fail(`unknown size ${opt.size}`);
function fail(msg) {
  process.stderr.write(`bench/report: ${msg}\n`);
  process.exit(2);
}

const bin = path.join(repo, 'dist/src/cli/bin.js');
const eslintBin = path.join(repo, 'node_modules/eslint/bin/eslint.js');
if (!fs.existsSync(bin)) fail('dist/ is missing: npm run build first');
const hasTime = fs.existsSync('/usr/bin/time');

// ---- corpus and working copy ---------------------------------------------------------------
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ssot-report-bench-'));
const copy = path.join(work, 'corpus');
const manifest = generateCorpus({ outDir: copy, ...(opt.files ? { files: opt.files } : { size: opt.size }), seed: opt.seed });
fs.rmSync(path.join(copy, MANIFEST_NAME), { force: true });
const totals = manifest.totals;

const parser = pathToFileURL(path.join(repo, 'node_modules/@typescript-eslint/parser/dist/index.js')).href;
const legacy = JSON.parse(fs.readFileSync(path.join(copy, 'ssot.config.json'), 'utf8')).concepts[0].legacy.map((l) => l.module);
// Specifier text for each legacy module: its path tail (relative imports, aliases) or the package name.
const escape = (s) => s.replace(/[.]/g, '\\.');
const alternatives = legacy.map((m) => (m.startsWith('@') ? `${escape(m)}(/.*)?` : `.*${escape(path.posix.basename(m).replace(/\.ts$/, ''))}(\\.js)?(/.*)?`));
fs.writeFileSync(
  path.join(copy, 'eslint.config.mjs'),
  `import * as tsParser from ${JSON.stringify(parser)};
export default [
  {
    files: ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'],
    languageOptions: { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: ${JSON.stringify(`^(?:${alternatives.join('|')})$`)}, message: 'Use ssot-kit/router/compat.' }] }] },
  },
];
`,
);

// ---- measuring -------------------------------------------------------------------------------
function measure(args) {
  const cmd = hasTime ? '/usr/bin/time' : process.execPath;
  const full = hasTime ? ['-f', '%e %M', process.execPath, ...args] : args;
  const t0 = performance.now();
  const r = spawnSync(cmd, full, { cwd: copy, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', CI: '1' } });
  const wall = (performance.now() - t0) / 1000;
  const last = hasTime ? r.stderr.trim().split('\n').at(-1) : '';
  const rssKb = hasTime ? Number(last.split(' ')[1]) : NaN;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-600)}`);
  return { wall, rssKb, stdout: r.stdout };
}

const eslintOut = path.join(work, 'eslint.json');
const reportOut = path.join(work, 'report.json');
const tools = [
  { id: 'eslint-cold', label: 'ESLint + typescript-eslint parser, core no-restricted-imports (cold)', args: [eslintBin, '--no-warn-ignored', '--format', 'json', '--output-file', eslintOut, '.'] },
  { id: 'ssot-cold', label: 'ssot report --format json (cold)', args: [bin, 'report', '--config', path.join(copy, 'ssot.config.json'), '--format', 'json', '--output', reportOut, copy] },
  { id: 'eslint-warm', label: 'ESLint, warm --cache', args: [eslintBin, '--no-warn-ignored', '--format', 'json', '--output-file', eslintOut, '--cache', '--cache-location', path.join(work, 'eslintcache'), '.'] },
  { id: 'ssot-warm', label: 'ssot report --cache (warm)', args: [bin, 'report', '--config', path.join(copy, 'ssot.config.json'), '--format', 'json', '--cache-location', path.join(work, 'ssot-cache'), '--output', reportOut, copy] },
];
// Prime the caches of the warm variants (kept outside the corpus; the cold runs use none).
measure(tools[2].args);
measure(tools[3].args);

const samples = Object.fromEntries(tools.map((t) => [t.id, []]));
for (let run = 1; run <= opt.runs; run++) {
  for (const t of tools) {
    t.before?.();
    const m = measure(t.args);
    samples[t.id].push(m);
    process.stderr.write(`run ${run}/${opt.runs} ${t.id}: ${m.wall.toFixed(2)} s\n`);
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const row = (id) => ({ wall: median(samples[id].map((m) => m.wall)), rssMiB: Math.round(Math.max(...samples[id].map((m) => m.rssKb)) / 1024), all: samples[id].map((m) => m.wall) });
const result = Object.fromEntries(tools.map((t) => [t.id, row(t.id)]));

// What each tool found, for the record (ESLint's core rule matches specifier text only).
const report = JSON.parse(fs.readFileSync(reportOut, 'utf8'));
const eslint = JSON.parse(fs.readFileSync(eslintOut, 'utf8'));
const eslintMessages = eslint.reduce((n, f) => n + f.messages.filter((m) => m.ruleId === 'no-restricted-imports').length, 0);
const found = {
  ssot: `${report.totals.legacySites} legacy sites + ${report.totals.nonConceptLegacySites} non-concept, ${report.totals.duplicates} duplicates; ${report.files.parsed} of ${report.files.scanned} files parsed`,
  eslint: `${eslintMessages} no-restricted-imports messages (static import/export forms only)`,
  oracle: `${totals.legacySites} legacy import sites in the corpus manifest`,
  warmCache: `${report.timing.cacheHits} hits / ${report.timing.cacheMisses} misses`,
};

const fmt = (s) => `${s.toFixed(2)} s`;
const cold = result['ssot-cold'].wall / result['eslint-cold'].wall;
const warm = result['ssot-warm'].wall / result['eslint-warm'].wall;
const cpus = os.cpus();
const lines = [
  `| command | wall (median of ${opt.runs}) | runs | max RSS |`,
  '|---|---|---|---|',
  ...tools.map((t) => `| ${t.label} | ${fmt(result[t.id].wall)} | ${result[t.id].all.map((w) => w.toFixed(2)).join(', ')} | ${Number.isFinite(result[t.id].rssMiB) ? `${result[t.id].rssMiB} MiB` : '–'} |`),
];
const summary = [
  `Corpus: bench/corpus/generate.mjs ${opt.files ? `--files ${opt.files}` : `--size ${opt.size}`} --seed ${opt.seed}: ${totals.sourceFiles} source files, ${totals.lines.toLocaleString('en-US')} lines, ${(totals.bytes / 1e6).toFixed(1)} MB.`,
  `Machine: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, Node ${process.version}, load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}.`,
  '',
  ...lines,
  '',
  `Cold: ssot report takes ${(cold * 100).toFixed(0)}% of ESLint's cold time (goal: at most 20%). Warm: ${(warm * 100).toFixed(0)}% of ESLint's warm --cache time (goal: at most 100%).`,
  '',
  `Found: ssot ${found.ssot}; warm run cache ${found.warmCache}. ESLint: ${found.eslint}. Oracle: ${found.oracle}.`,
];
process.stdout.write(summary.join('\n') + '\n');
fs.writeFileSync(path.join(work, 'result.json'), JSON.stringify({ opt, result, found }, null, 2));

if (opt.writeDocs) {
  const doc = path.join(repo, 'docs/benchmarks-report.md');
  const text = fs.existsSync(doc) ? fs.readFileSync(doc, 'utf8') : '';
  const begin = '<!-- bench/report.mjs: begin -->';
  const end = '<!-- bench/report.mjs: end -->';
  const block = `${begin}\nMeasured ${new Date().toISOString().slice(0, 10)} with \`node bench/report.mjs${argv.length ? ' ' + argv.join(' ') : ''}\`.\n\n${summary.join('\n')}\n${end}`;
  const next = text.includes(begin) ? text.replace(new RegExp(`${begin}[\\s\\S]*${end}`), block) : `${text}\n${block}\n`;
  fs.writeFileSync(doc, next);
  process.stderr.write(`wrote ${path.relative(process.cwd(), doc)}\n`);
}
fs.rmSync(work, { recursive: true, force: true });
