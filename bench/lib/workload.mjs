// What the benchmark runs on: a generated corpus (bench/corpus/generate.mjs, with its manifest) or
// a real checkout (`--repo <dir> --config <ssot.config.json>`). Either way the oracle's sites of the
// pristine tree are the expectation; the manifest of a generated corpus is only a sanity check of
// the oracle. A checkout is never modified: every tool works on a copy, with the config written
// into the copy's root as ssot.config.json.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { listSourceFiles } from '../oracle.mjs';
import { MANIFEST_NAME } from '../corpus/generate.mjs';

/** Copies the pristine tree to `dst` for one tool: the ground truth stays out, the config goes in. */
export function copyWorkload(workload, dst) {
  fs.rmSync(dst, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dst), { recursive: true });
  const r = spawnSync('cp', ['-r', workload.dir, dst]);
  if (r.status !== 0) throw new Error(`cp -r ${workload.dir} ${dst} failed: ${r.stderr}`);
  fs.rmSync(path.join(dst, MANIFEST_NAME), { force: true }); // the ground truth is never shown to a tool
  if (workload.kind === 'repo') fs.copyFileSync(workload.configPath, path.join(dst, 'ssot.config.json'));
}

/** Files, lines and bytes of the source files the oracle reads. */
export function sourceTotals(dir) {
  let lines = 0,
    bytes = 0;
  const files = listSourceFiles(dir);
  for (const rel of files) {
    const buf = fs.readFileSync(path.join(dir, rel));
    bytes += buf.length;
    for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) lines++;
  }
  return { sourceFiles: files.length, lines, bytes };
}

/**
 * A real checkout. `fixtures/real-world/<repo>/bench.checkout.json` beside the config (when present)
 * names the repository and commit the checkout was made from, for the docs.
 */
export function repoWorkload({ repo, config }) {
  const dir = path.resolve(repo);
  const configPath = path.resolve(config);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`--repo ${repo}: no such folder`);
  if (!fs.existsSync(configPath)) throw new Error(`--config ${config}: no such file`);
  if (fs.existsSync(path.join(dir, 'ssot.config.json')))
    throw new Error(
      `--repo ${repo} has an ssot.config.json of its own; the benchmark writes --config there in its copies`,
    );
  const metaFile = path.join(path.dirname(configPath), 'bench.checkout.json');
  const checkout = fs.existsSync(metaFile) ? JSON.parse(fs.readFileSync(metaFile, 'utf8')) : {};
  return { kind: 'repo', name: `repo-${path.basename(dir)}`, dir, configPath, checkout, totals: sourceTotals(dir) };
}

export function corpusWorkload({ dir, name, manifest }) {
  return {
    kind: 'corpus',
    name,
    dir,
    configPath: path.join(dir, 'ssot.config.json'),
    manifest,
    totals: manifest.totals,
  };
}

/** One line for the table and the docs: what was measured. */
export function describeWorkload(w, baseline, repoRoot) {
  const n = (x) => x.toLocaleString('en-US');
  const t = w.totals;
  const size = `${n(t.sourceFiles)} source files, ${n(t.lines)} lines, ${(t.bytes / 1e6).toFixed(1)} MB`;
  const sites = `${n(baseline.totals.legacySites)} legacy import sites in ${n(baseline.totals.filesWithLegacySites)} files`;
  if (w.kind === 'corpus')
    return `Corpus \`${w.name}\` (seed ${w.manifest.generator.seed}): ${size}; ${sites} (${n(t.decoySites)} decoy sites of same-named modules elsewhere).`;
  const c = w.checkout;
  const from = c.repository ? `${c.repository} at commit ${c.commit}` : 'a checkout';
  return `Repository \`${path.basename(w.dir)}\` (${from}; config \`${path.relative(repoRoot, w.configPath)}\`): ${size}; ${sites}${c.task ? ` (${c.task})` : ''}.`;
}
