#!/usr/bin/env node
// ssot-kit benchmark entry point (`npm run bench -- [flags]`, which builds first).
//
//   --suite migrate|report|eslint|typecheck|router|floor|detect|all   (repeatable or comma-separated; default all)
//   --suite differential [--repo DIR --config FILE] [--adapters migrate,eslint,jscodeshift]
//                   the differential harness (bench/differential): every adapter's output, byte for
//                   byte, against the independent judge; on every codemod fixture and the corpus
//                   (--size, default small), or on a real checkout with a config. Run on its own.
//   --suite router-abuse   memory under attack (bench/router/abuse-bench.mjs; not part of `all`)
//   --abuse-scale X        router-abuse: multiply every attack's frame count by X (default 1)
//   --real-dir D    where the real-repository checkouts of fixtures/real-world/ are (detect suite;
//                   default: $SSOT_REAL_DIR); a repository without a checkout is listed as not available
//   --size tiny|small|default|large  or  --files N   corpus size (default: default ≈ 5,000 files)
//   --repo DIR --config FILE   a real checkout instead of the generated corpus (never modified: tools
//                   run on copies, with FILE written into each copy as ssot.config.json)
//   --runs N        measured runs per tool (default 3)
//   --seed N        corpus seed (default 1)
//   --only a,b      only these tool ids (see the table, e.g. ast-grep,ts-morph,eslint-core)
//   --write-docs    regenerate the measured sections of docs/benchmarks.md (failing rows marked FAIL)
//   --section NAME  write to the section "<suite>-NAME" instead of "<suite>" (e.g. a slow tool measured apart)
//   --json FILE     also write the full results as JSON
//   --corpus-dir D / --work-dir D / --keep-work      where the corpus / working copies go (default bench/.corpus, bench/.work;
//                                                    a --repo's copies: <tmpdir>/ssot-bench-work)
//
// Exit 0: every available tool agreed with the oracle. Exit 1: a disagreement or a failed tool.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBench, printTable, SUITES, red, ensureCorpus } from './lib/harness.mjs';
import { SIZES, DEFAULT_SEED } from './corpus/generate.mjs';
import { runDifferentialCli } from './differential/cli.mjs';
import { formatAbuseTable, runRouterAbuseBench, writeAbuseDocs } from './router/abuse-bench.mjs';

/** Suites that need no corpus and run apart from the harness. */
const STANDALONE = ['router-abuse'];

function usage(msg) {
  if (msg) process.stderr.write(`bench: ${msg}\n`);
  process.stderr.write(
    'usage: node bench/run.mjs [--suite migrate|report|eslint|typecheck|router|floor|detect|router-abuse|all]' +
      ' [--abuse-scale X] [--size tiny|small|default|large | --files N | --repo DIR --config FILE] [--runs N] [--seed N]' +
      ' [--only tool1,tool2] [--real-dir DIR] [--write-docs] [--section NAME] [--json FILE]\n',
  );
  process.stderr.write(
    '       node bench/run.mjs --suite differential [--size S | --repo DIR --config FILE] [--adapters a,b] [--json FILE]\n',
  );
  process.exit(2);
}

const argv = process.argv.slice(2);
const realDir = process.env.SSOT_REAL_DIR ? path.resolve(process.env.SSOT_REAL_DIR) : undefined;
const opts = { suites: [], argv, realDir };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
  const val = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
  const int = () => {
    const v = Number(val());
    if (!Number.isInteger(v) || v < 1) usage(`${flag} needs a positive integer`);
    return v;
  };
  switch (flag) {
    case '--suite':
      opts.suites.push(...val().split(','));
      break;
    case '--size':
      opts.size = val();
      if (!(opts.size in SIZES)) usage(`unknown size ${opts.size}`);
      break;
    case '--files':
      opts.files = int();
      break;
    case '--runs':
      opts.runs = int();
      break;
    case '--seed':
      opts.seed = int();
      break;
    case '--only':
      opts.only = val().split(',').filter(Boolean);
      break;
    case '--write-docs':
      opts.writeDocs = true;
      break;
    case '--section':
      opts.section = val();
      if (!/^[a-z0-9-]+$/.test(opts.section)) usage('--section: lowercase letters, digits, dashes');
      break;
    case '--json':
      opts.json = val();
      break;
    case '--corpus-dir':
      opts.corpusDir = path.resolve(val());
      break;
    case '--work-dir':
      opts.workDir = path.resolve(val());
      break;
    case '--keep-work':
      opts.keepWork = true;
      break;
    case '--repo':
      opts.repo = path.resolve(val());
      break;
    case '--config':
      opts.config = path.resolve(val());
      break;
    case '--adapters':
      opts.adapters = val();
      break;
    case '--abuse-scale':
      opts.abuseScale = Number(val());
      if (!(opts.abuseScale > 0)) usage('--abuse-scale needs a positive number');
      break;
    case '--real-dir':
      opts.realDir = path.resolve(val());
      break;
    case '-h':
    case '--help':
      usage();
    default:
      usage(`unknown flag ${a}`);
  }
}
if (opts.suites.includes('differential')) {
  if (opts.suites.length > 1) usage('--suite differential runs on its own');
  const size = opts.size ?? (opts.files ? undefined : 'small');
  const seed = opts.seed ?? DEFAULT_SEED;
  const corpus = opts.repo ? undefined : ensureCorpus({ size, files: opts.files, seed, corpusDir: opts.corpusDir });
  const projects = opts.repo
    ? ['--repo', opts.repo, ...(opts.config ? ['--config', opts.config] : [])]
    : ['--fixtures', '--corpus', corpus.dir];
  const argv2 = [
    ...projects,
    ...(opts.adapters ? ['--adapters', opts.adapters] : []),
    ...(opts.workDir ? ['--work-dir', opts.workDir] : []),
    ...(opts.keepWork ? ['--keep-work'] : []),
    ...(opts.json ? ['--json', opts.json] : []),
  ];
  process.exit(await runDifferentialCli(argv2));
}
if (!opts.suites.length) opts.suites = ['all'];
for (const s of opts.suites) {
  if (s !== 'all' && !SUITES.includes(s) && !STANDALONE.includes(s)) usage(`unknown suite ${s}`);
}
if (opts.files && opts.size) usage('--size and --files are exclusive');
if (Boolean(opts.repo) !== Boolean(opts.config)) usage('--repo and --config go together');
if (opts.repo && (opts.files || opts.size)) usage('--repo measures a checkout: no --size or --files');

const abuse = opts.suites.includes('router-abuse');
opts.suites = opts.suites.filter((s) => !STANDALONE.includes(s));
let abuseOk = true;
if (abuse) {
  const log = (l) => process.stderr.write(`[router-abuse] ${l}\n`);
  const r = await runRouterAbuseBench({ scale: opts.abuseScale ?? 1, log });
  const runner = process.env.npm_lifecycle_event === 'bench' ? 'npm run bench --' : 'node bench/run.mjs';
  process.stdout.write(`== router-abuse ==\n${formatAbuseTable(r)}\n`);
  const verdict = r.goalMet ? 'met' : 'NOT met';
  const goal = `peak server RSS less than ${r.config.goalPeakMiB} MiB above its baseline under every attack`;
  process.stdout.write(`goal: ${goal}: ${verdict}\n\n`);
  if (opts.writeDocs) {
    const docs = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'benchmarks-router.md');
    writeAbuseDocs(docs, r, `${runner} ${argv.join(' ')}`);
  }
  if (opts.json && !opts.suites.length) fs.writeFileSync(opts.json, JSON.stringify(r, null, 1));
  abuseOk = r.goalMet;
  if (!opts.suites.length) process.exit(abuseOk ? 0 : 1);
}

const result = await runBench(opts);
if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(result, null, 1));
if (result.suites.length) printTable(result);
if (!abuseOk) process.stderr.write(red('\nrouter-abuse: the memory goal was NOT met (see its table above)\n'));
if (!result.ok) {
  const n = result.failures.length;
  process.stderr.write(red(`\nBENCH FAILED: ${n} disagreement(s)/failure(s) with the oracle or the labels:\n`));
  for (const f of result.failures) process.stderr.write(`  - ${f}\n`);
  process.exit(1);
}
if (!abuseOk) process.exit(1);
