// The benchmark harness: corpus → oracle sanity check → every available tool on fresh copies,
// measured, judged by the oracle → table (+ docs/benchmarks.md sections).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  generateCorpus,
  corpusName,
  SIZES,
  GENERATOR_VERSION,
  MANIFEST_NAME,
  DEFAULT_SEED,
} from '../corpus/generate.mjs';
import { analyze, checkAgainstManifest, expectedAfterMigration, expectedChangedFiles } from '../oracle.mjs';
import { copyWorkload, corpusWorkload, describeWorkload, repoWorkload } from './workload.mjs';
import migrationSpec from './migration-spec.cjs';
import { goalLines } from './goals.mjs';
import { measure, median, HAS_GNU_TIME } from './measure.mjs';
import { makeAdapters, toolVersions } from '../tools/index.mjs';
import { writeDocsSections } from './docs.mjs';
import { runDetectSuite } from '../detect/real-world.mjs';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SUITES = ['migrate', 'report', 'eslint', 'typecheck', 'router', 'floor', 'detect'];
/** Suites that run on something else than the generated corpus (no corpus is made for them alone). */
const NO_CORPUS = new Set(['router', 'detect']);
export const ROUTER_BENCH = 'bench/router/router-bench.mjs';

const tty = process.stderr.isTTY;
const color = tty && !process.env.NO_COLOR;
const paint = (code, s) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
export const red = (s) => paint('31', s);
const dim = (s) => paint('2', s);
const progress = (msg) => {
  if (tty) process.stderr.write(`${dim('[bench]')} ${msg}\n`);
};

export function machineFacts() {
  const cpus = os.cpus();
  return {
    nproc: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadavg1: +os.loadavg()[0].toFixed(2),
    measurement: HAS_GNU_TIME
      ? 'GNU time (/usr/bin/time) for CPU and largest-process max RSS; /proc sampling every 50 ms for the process-tree RSS peak'
      : '/proc sampling every 50 ms (no /usr/bin/time)',
  };
}

/** Reuse bench/.corpus/<name> if its manifest matches, otherwise (re)generate it. */
export function ensureCorpus({ size, files, seed, corpusDir }) {
  const name = corpusName({ size: files ? undefined : size, files, seed });
  const dir = corpusDir ?? path.join(REPO, 'bench', '.corpus', name);
  const requested = files ?? SIZES[size];
  const mf = path.join(dir, MANIFEST_NAME);
  if (fs.existsSync(mf)) {
    const m = JSON.parse(fs.readFileSync(mf, 'utf8'));
    if (m.version === GENERATOR_VERSION && m.generator.seed === seed && m.generator.requestedFiles === requested)
      return { dir, name, manifest: m, generated: false };
  }
  progress(`generating corpus ${name} (${requested} files, seed ${seed}) → ${path.relative(REPO, dir) || dir}`);
  const manifest = generateCorpus({ outDir: dir, files: files ?? undefined, size: files ? undefined : size, seed });
  return { dir, name, manifest, generated: true };
}

/**
 * @param {{ suites: string[], size?: string, files?: number, seed?: number, runs?: number, only?: string[],
 *           corpusDir?: string, workDir?: string, keepWork?: boolean, writeDocs?: boolean, argv?: string[] }} opts
 */
export async function runBench(opts) {
  const loadAtStart = +os.loadavg()[0].toFixed(2);
  const seed = opts.seed ?? DEFAULT_SEED;
  const size = opts.files || opts.repo ? undefined : (opts.size ?? 'default');
  const runs = opts.runs ?? 3;
  const suites = opts.suites.includes('all') ? SUITES : opts.suites;
  if (suites.every((s) => NO_CORPUS.has(s))) return runWithoutCorpus(opts, suites, { runs, loadAtStart });
  const workload = opts.repo
    ? repoWorkload({ repo: opts.repo, config: opts.config })
    : corpusWorkload(ensureCorpus({ size, files: opts.files, seed, corpusDir: opts.corpusDir }));
  // A real repository's copies go outside ssot-kit's folder: below it, TypeScript's lookups of
  // the checkout's packages (which it lacks: no node_modules) would reach ssot-kit's own
  // node_modules, an environment the repository's users do not have (theia ran 40-70 ms slower
  // there, side by side; docs/benchmarks.md).
  const workDir =
    opts.workDir ??
    (opts.repo
      ? path.join(os.tmpdir(), 'ssot-bench-work', workload.name)
      : path.join(REPO, 'bench', '.work', workload.name));
  fs.mkdirSync(workDir, { recursive: true });

  progress(`oracle on the pristine tree (${workload.totals.sourceFiles} files)`);
  const baseline = analyze(workload.dir, { configPath: workload.configPath });
  const failures = [];
  if (workload.manifest) {
    const sanity = checkAgainstManifest(baseline, workload.manifest);
    if (!sanity.ok) {
      failures.push(
        `ORACLE != MANIFEST before any tool ran (${sanity.problems.length} files), e.g. ${JSON.stringify(sanity.problems.slice(0, 3))}`,
      );
      return { ok: false, failures, suites: [], corpus: { name: workload.name }, machine: machineFacts() };
    }
  }
  const spec = migrationSpec.readMigrationSpec(workload.dir, workload.configPath);
  const expected = expectedAfterMigration(baseline, spec);
  const expectedLegacyLeft = Object.values(expected)
    .flat()
    .filter((k) => k.includes('|legacy:')).length;
  const versions = toolVersions(REPO);
  const ctx = {
    repo: REPO,
    workload,
    corpusDir: workload.dir,
    manifest: workload.manifest,
    baseline,
    spec,
    expected,
    expectedChanged: expectedChangedFiles(baseline, spec),
    expectedLegacyLeft,
    workDir,
    versions,
    copy: (dst) => copyWorkload(workload, dst),
  };
  const adapters = makeAdapters(ctx);
  const only = opts.only?.length ? new Set(opts.only) : undefined;
  if (only)
    for (const id of only)
      if (!adapters.some((a) => a.id === id) && id !== 'router')
        throw new Error(`--only: unknown tool "${id}" (known: ${adapters.map((a) => a.id).join(', ')}, router)`);

  const done = new Map(); // tool id → row (a tool listed in two suites runs once)
  const suiteResults = [];
  for (const suite of suites) {
    if (suite === 'router') {
      // the router suite measures the product runtime, not a checkout
      if (workload.kind === 'corpus') suiteResults.push(await runRouterSuite({ runs, only }));
      continue;
    }
    if (suite === 'detect') {
      const detect = await runDetectSuite({ repo: REPO, realDir: opts.realDir });
      failures.push(...detect.failures);
      suiteResults.push(detect);
      continue;
    }
    const rows = [];
    for (const a of adapters.filter((x) => x.suite === suite || x.alsoIn?.includes(suite))) {
      if (only && !only.has(a.id)) continue;
      if (done.has(a.id)) {
        rows.push(done.get(a.id));
        continue;
      }
      const row = await runTool(a, ctx, { runs, workDir, keepWork: opts.keepWork });
      if (row.available && !row.ok)
        failures.push(`${a.id}: ${row.summary}${row.problems.length ? `\n    ${row.problems.join('\n    ')}` : ''}`);
      done.set(a.id, row);
      rows.push(row);
    }
    suiteResults.push({ suite, rows });
  }
  const totals = {
    ...workload.totals,
    legacySites: baseline.totals.legacySites,
    filesWithLegacySites: baseline.totals.filesWithLegacySites,
  };
  const result = {
    ok: failures.length === 0,
    failures,
    suites: suiteResults,
    corpus: {
      name: workload.name,
      kind: workload.kind,
      dir: workload.dir,
      totals,
      seed: workload.kind === 'corpus' ? seed : null,
      size: size ?? null,
      files: opts.files ?? null,
      description: describeWorkload(workload, baseline, REPO),
    },
    machine: { ...machineFacts(), loadavgAtStart: loadAtStart },
    versions,
    runs,
    section: opts.section,
    viaNpm: process.env.npm_lifecycle_event === 'bench',
    date: new Date().toISOString(),
    argv: opts.argv ?? [],
  };
  if (!opts.keepWork && !opts.workDir) fs.rmSync(workDir, { recursive: true, force: true });
  if (opts.writeDocs) {
    // failing rows are written too, marked FAIL with the disagreement listed under the table
    writeDocsSections(path.join(REPO, 'docs', 'benchmarks.md'), result);
    progress('docs/benchmarks.md updated');
  }
  return result;
}

/** Only suites that need no generated corpus (router, detect): no corpus, no oracle. */
async function runWithoutCorpus(opts, suites, { runs, loadAtStart }) {
  const failures = [];
  const suiteResults = [];
  const only = opts.only?.length ? new Set(opts.only) : undefined;
  for (const suite of suites) {
    if (suite === 'router') suiteResults.push(await runRouterSuite({ runs, only }));
    if (suite === 'detect') {
      const detect = await runDetectSuite({ repo: REPO, realDir: opts.realDir });
      failures.push(...detect.failures);
      suiteResults.push(detect);
    }
  }
  const result = {
    ok: failures.length === 0,
    failures,
    suites: suiteResults,
    corpus: null,
    machine: { ...machineFacts(), loadavgAtStart: loadAtStart },
    versions: toolVersions(REPO),
    runs,
    section: opts.section,
    viaNpm: process.env.npm_lifecycle_event === 'bench',
    date: new Date().toISOString(),
    argv: opts.argv ?? [],
  };
  if (opts.writeDocs) {
    writeDocsSections(path.join(REPO, 'docs', 'benchmarks.md'), result);
    progress('docs/benchmarks.md updated');
  }
  return result;
}

async function runTool(a, ctx, { runs, workDir, keepWork }) {
  const row = {
    id: a.id,
    label: a.label,
    ours: !!a.ours,
    warm: !!a.warm,
    available: true,
    runs: [],
    ok: true,
    summary: '',
    problems: [],
  };
  const avail = a.available(ctx);
  if (avail !== true) return { ...row, available: false, ok: true, summary: `not available: ${avail}` };
  let shared;
  const freshCopy = (i) => {
    const dst = path.join(workDir, a.writes ? `${a.id}-r${i}` : a.id);
    ctx.copy(dst);
    return dst;
  };
  try {
    if (!a.writes) {
      shared = freshCopy(0);
      await a.prepare?.(ctx, shared);
    }
    if (a.warm) {
      progress(`${a.id}: priming run (not measured)`);
      const c = a.command(ctx, shared);
      const r = await measure(c.cmd, c.args, { cwd: c.cwd, env: c.env });
      if (!(c.okCodes ?? [0]).includes(r.code))
        throw new Error(`priming run exited ${r.code}: ${r.stderr.slice(-800)}`);
    }
    for (let i = 1; i <= runs; i++) {
      const copy = a.writes ? freshCopy(i) : shared;
      if (a.writes) await a.prepare?.(ctx, copy);
      await a.beforeRun?.(ctx, copy);
      progress(`${a.id}: run ${i}/${runs}`);
      const c = a.command(ctx, copy);
      const r = await measure(c.cmd, c.args, { cwd: c.cwd, env: c.env });
      const run = { wallS: r.wallS, cpuS: r.cpuS, maxRssKb: r.maxRssKb, treePeakKb: r.treePeakKb, code: r.code };
      if (!(c.okCodes ?? [0]).includes(r.code)) {
        row.ok = false;
        row.problems.push(
          `run ${i}: exit code ${r.code}${r.signal ? ` (${r.signal})` : ''}; stderr: ${r.stderr.trim().slice(-600)}`,
        );
      }
      progress(`${a.id}: run ${i}: ${r.wallS.toFixed(2)} s wall; verifying with the oracle`);
      const v = await a.verify(ctx, copy, r);
      run.verify = { ok: v.ok, summary: v.summary };
      if (!v.ok) {
        row.ok = false;
        row.problems.push(...(v.problems ?? []).map((p) => `run ${i}: ${p}`));
      }
      row.summary = v.summary;
      row.runs.push(run);
      if (a.writes && !keepWork) fs.rmSync(copy, { recursive: true, force: true });
    }
  } catch (e) {
    row.ok = false;
    row.problems.push(String(e?.stack ?? e));
    row.summary ||= `crashed: ${String(e?.message ?? e).split('\n')[0]}`;
  } finally {
    if (shared && !keepWork) fs.rmSync(shared, { recursive: true, force: true });
  }
  row.problems = [...new Set(row.problems.map((p) => p.replace(/^run \d+: /, '')))];
  row.median = {
    wallS: median(row.runs.map((r) => r.wallS)),
    cpuS: median(row.runs.map((r) => r.cpuS)),
    maxRssKb: Math.max(...row.runs.map((r) => r.maxRssKb ?? 0)),
    treePeakKb: Math.max(...row.runs.map((r) => r.treePeakKb ?? 0)),
  };
  return row;
}

async function runRouterSuite({ runs, only }) {
  const file = path.join(REPO, ROUTER_BENCH);
  const row = {
    id: 'router',
    label: `node ${ROUTER_BENCH} --repeats ${runs}`,
    ours: true,
    available: true,
    runs: [],
    ok: true,
    summary: '',
    problems: [],
  };
  if (only && !only.has('router')) return { suite: 'router', rows: [], text: '' };
  if (!fs.existsSync(file))
    return {
      suite: 'router',
      rows: [{ ...row, available: false, summary: `not available: ${ROUTER_BENCH} missing` }],
      text: '',
    };
  if (!fs.existsSync(path.join(REPO, 'dist/src/router/index.js')))
    return {
      suite: 'router',
      rows: [{ ...row, available: false, summary: 'not available: dist/src/router/index.js not built' }],
      text: '',
    };
  progress(`router: ${row.label}`);
  const r = await measure(process.execPath, [file, '--repeats', String(runs)], { cwd: REPO });
  row.runs.push({ wallS: r.wallS, cpuS: r.cpuS, maxRssKb: r.maxRssKb, treePeakKb: r.treePeakKb, code: r.code });
  row.median = { wallS: r.wallS, cpuS: r.cpuS, maxRssKb: r.maxRssKb, treePeakKb: r.treePeakKb };
  if (r.code !== 0) {
    row.ok = false;
    row.problems.push(`exit ${r.code}: ${r.stderr.slice(-600)}`);
  }
  row.summary = r.code === 0 ? 'see output' : 'failed';
  return { suite: 'router', rows: [row], text: r.stdout.trim() };
}

// ---------------------------------------------------------------------------------------------
// presentation

export const fmtS = (s) => (Number.isFinite(s) ? (s < 10 ? s.toFixed(2) : s.toFixed(1)) + ' s' : '–');
export const fmtMiB = (kb) => (kb > 0 ? `${Math.round(kb / 1024)} MiB` : '–');

/** the suite's reference "ours" row for a given row (warm rows compare with our warm row) */
export function oursFor(rows, row) {
  const ours = rows.filter((r) => r.ours && r.available && r.runs.length);
  if (!ours.length) return undefined;
  return (row.warm ? ours.find((r) => r.warm) : ours.find((r) => !r.warm)) ?? ours[0];
}

export function ratioText(rows, row) {
  const o = oursFor(rows, row);
  if (!o || !row.available || !row.runs.length) return '–';
  const mark = o.ok ? '' : ' †';
  if (o === row) return `1.00${mark}`;
  return `${(o.median.wallS / row.median.wallS).toFixed(2)}${mark}`;
}

export function tableRows(suite) {
  return suite.rows.map((r) =>
    r.available
      ? [
          r.label + (r.ours ? ' ★' : ''),
          fmtS(r.median?.wallS),
          fmtS(r.median?.cpuS),
          fmtMiB(r.median?.maxRssKb),
          fmtMiB(r.median?.treePeakKb),
          (r.ok ? '' : 'FAIL: ') + r.summary,
          ratioText(suite.rows, r),
        ]
      : [r.label + (r.ours ? ' ★' : ''), '–', '–', '–', '–', r.summary, '–'],
  );
}

export const HEADERS = [
  'tool',
  'wall (median)',
  'CPU user+sys',
  'max RSS (largest process)',
  'peak RSS (process tree, sampled)',
  'result (judged by the oracle)',
  'ours ÷ this (wall)',
];

export function printTable(result, out = process.stdout) {
  const c = result.corpus;
  if (c)
    out.write(`${c.description} runs=${result.runs}; ${result.machine.nproc} cores, node ${result.machine.node}\n`);
  else out.write(`${result.machine.nproc} cores, node ${result.machine.node}\n`);
  for (const s of result.suites) {
    out.write(`\n== ${s.suite} ==\n`);
    if (!s.rows.length && s.text) {
      out.write(`${s.text}\n`);
      continue;
    }
    if (!s.rows.length) {
      out.write('(nothing selected)\n');
      continue;
    }
    const rows = [HEADERS, ...tableRows(s)];
    const w = HEADERS.map((_, i) => Math.min(70, Math.max(...rows.map((r) => String(r[i]).length))));
    for (const r of rows)
      out.write(
        r
          .map((cell, i) => String(cell).slice(0, 200).padEnd(w[i]))
          .join('  ')
          .trimEnd() + '\n',
      );
    const goals = goalLines(s);
    if (goals.length) out.write(`\nGoals (from this run):\n${goals.map((g) => `  ${g}`).join('\n')}\n`);
    if (s.text) out.write(`\n${s.text}\n`);
  }
  if (result.suites.some((s) => s.rows.length))
    out.write(
      '\n★ = ssot-kit. "ours ÷ this" = our median wall time divided by this tool\'s (below 1: ours is faster); † = our tool did not pass the oracle check in this run.\n',
    );
}
