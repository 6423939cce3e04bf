// The detect suite: duplicate detection on real public repositories, judged against labels.
//
// For each fixtures/real-world/<name>/ (labels.json: commit, canonical module, one label per
// candidate) whose checkout is at <real dir>/<name>: `ssot init --canonical` writes the config
// (it must equal the committed fixtures/real-world/<name>/ssot.config.detect.json: no hand edits), then
// the detector runs with it, and its findings are compared with the labels:
//   precision = findings labelled duplicate / all findings (a finding without a label counts as false)
//   recall    = labelled duplicates found / all labelled duplicates
// The checkouts stay out of git (fixtures/real-world/LABELS.md says how to get them).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measure } from '../lib/measure.mjs';

export const GOAL = 0.95;

const pct = (x) => (x === undefined ? 'n/a' : `${(x * 100).toFixed(1)}%`);

export function labelSets(repo) {
  const dir = path.join(repo, 'fixtures', 'real-world');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'labels.json')))
    .map((e) => ({
      name: e.name,
      dir: path.join(dir, e.name),
      labels: JSON.parse(fs.readFileSync(path.join(dir, e.name, 'labels.json'), 'utf8')),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Precision and recall of `findings` against `labels` (matched by file and symbol). */
export function score(labels, findings) {
  const key = (x) => `${x.file}\u0000${x.symbol}`;
  const byKey = new Map(labels.candidates.map((c) => [key(c), c]));
  const found = new Set(findings.map(key));
  const tp = findings.filter((f) => byKey.get(key(f))?.label === 'duplicate');
  const fp = findings.filter((f) => byKey.get(key(f))?.label !== 'duplicate');
  const positives = labels.candidates.filter((c) => c.label === 'duplicate');
  const fn = positives.filter((c) => !found.has(key(c)));
  return {
    tp: tp.length,
    fp: fp.length,
    fn: fn.length,
    precision: findings.length === 0 ? undefined : tp.length / findings.length,
    recall: positives.length === 0 ? undefined : tp.length / positives.length,
    falsePositives: fp.map((f) => ({ ...f, label: byKey.get(key(f))?.label ?? 'unlabelled' })),
    missed: fn,
  };
}

export async function runDetectSuite({ repo, realDir }) {
  const sets = labelSets(repo);
  const rows = [];
  const failures = [];
  const bin = path.join(repo, 'dist', 'src', 'cli', 'bin.js');
  const child = path.join(repo, 'bench', 'detect', 'detect-child.mjs');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ssot-bench-detect-'));
  try {
    for (const set of sets) {
      const { labels } = set;
      const checkout = realDir ? path.join(realDir, set.name) : undefined;
      const row = {
        name: set.name,
        repo: labels.repo,
        commit: labels.commit,
        candidates: labels.candidates.length,
        positives: labels.candidates.filter((c) => c.label === 'duplicate').length,
      };
      if (!checkout || !fs.existsSync(checkout)) {
        rows.push({
          ...row,
          available: false,
          summary: realDir
            ? `not available: no checkout at ${checkout}`
            : 'not available: pass --real-dir DIR (or set SSOT_REAL_DIR)',
        });
        continue;
      }
      const problems = [];
      const args = [
        bin,
        'init',
        checkout,
        '--canonical',
        labels.canonical.module,
        '--name',
        labels.canonical.name,
        '--print-config',
      ];
      const init = await measure(process.execPath, args, { cwd: repo });
      if (init.code !== 0) {
        rows.push({
          ...row,
          available: true,
          ok: false,
          summary: `init failed (exit ${init.code})`,
          problems: [init.stderr.trim().slice(-600)],
        });
        failures.push(`${set.name}: ssot init --canonical failed: ${init.stderr.trim().slice(-300)}`);
        continue;
      }
      const committed = path.join(set.dir, 'ssot.config.detect.json');
      if (!fs.existsSync(committed) || fs.readFileSync(committed, 'utf8') !== init.stdout) {
        problems.push(
          `ssot init --canonical wrote a config that differs from fixtures/real-world/${set.name}/ssot.config.detect.json`,
        );
      }
      const configFile = path.join(tmp, `${set.name}.json`);
      fs.writeFileSync(configFile, init.stdout);
      const detect = await measure(process.execPath, [child, checkout, configFile], { cwd: repo });
      if (detect.code !== 0) {
        rows.push({
          ...row,
          available: true,
          ok: false,
          summary: `detection failed (exit ${detect.code})`,
          problems: [detect.stderr.trim().slice(-600)],
        });
        failures.push(`${set.name}: detection failed: ${detect.stderr.trim().slice(-300)}`);
        continue;
      }
      const out = JSON.parse(detect.stdout);
      const s = score(labels, out.duplicates);
      for (const f of s.falsePositives)
        problems.push(`false positive (${f.label}): ${f.file}:${f.line} ${f.symbol} — ${f.evidence}`);
      for (const m of s.missed) problems.push(`missed: ${m.file}:${m.line} ${m.symbol} — ${m.reason}`);
      const met = (x) => x === undefined || x >= GOAL;
      const ok = met(s.precision) && met(s.recall) && !problems.some((p) => p.startsWith('ssot init'));
      if (!ok)
        failures.push(
          `${set.name}: precision ${pct(s.precision)}, recall ${pct(s.recall)}${problems.length ? `\n    ${problems.join('\n    ')}` : ''}`,
        );
      rows.push({
        ...row,
        available: true,
        ok,
        files: out.files,
        findings: out.duplicates.length,
        ...s,
        initS: init.wallS,
        detectS: detect.wallS,
        detectRssKb: detect.maxRssKb,
        problems,
        findingsList: out.duplicates,
      });
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return {
    suite: 'detect',
    rows: [],
    detectRows: rows,
    ok: failures.length === 0,
    failures,
    text: detectTable(rows),
    markdown: detectMarkdown(rows),
  };
}

const HEAD = [
  'repository',
  'commit',
  'files',
  'labelled (dup.)',
  'findings',
  'TP',
  'FP',
  'FN',
  'precision',
  'recall',
  'init',
  'detect',
];

function cells(r) {
  if (!r.available)
    return [
      r.name,
      r.commit.slice(0, 12),
      '–',
      `${r.candidates} (${r.positives})`,
      r.summary,
      '',
      '',
      '',
      '',
      '',
      '',
      '',
    ];
  if (r.findings === undefined)
    return [
      r.name,
      r.commit.slice(0, 12),
      '–',
      `${r.candidates} (${r.positives})`,
      r.summary,
      '',
      '',
      '',
      '',
      '',
      '',
      '',
    ];
  return [
    r.name,
    r.commit.slice(0, 12),
    String(r.files),
    `${r.candidates} (${r.positives})`,
    String(r.findings),
    String(r.tp),
    String(r.fp),
    String(r.fn),
    pct(r.precision),
    pct(r.recall),
    `${r.initS.toFixed(1)} s`,
    `${r.detectS.toFixed(1)} s`,
  ];
}

export function detectTable(rows) {
  const all = [HEAD, ...rows.map(cells)];
  const w = HEAD.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  const lines = all.map((r) =>
    r
      .map((c, i) => String(c).padEnd(w[i]))
      .join('  ')
      .trimEnd(),
  );
  for (const r of rows) for (const p of r.problems ?? []) lines.push(`  ${r.name}: ${p}`);
  lines.push(
    '',
    `Goal: precision and recall at least ${GOAL * 100}% on each repository (n/a: no finding, or no labelled duplicate).`,
  );
  return lines.join('\n');
}

function detectMarkdown(rows) {
  const lines = [
    'Checkouts: plain trees of each repository at the commit shown, in `--real-dir` or `$SSOT_REAL_DIR`.',
    '',
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`,
  ];
  for (const r of rows) lines.push(`| ${cells(r).join(' | ')} |`);
  lines.push('', 'Findings per repository (each with its decisive evidence):', '');
  for (const r of rows) {
    if (!r.findingsList) continue;
    lines.push(`- ${r.name} (${r.repo} at \`${r.commit}\`):${r.findingsList.length === 0 ? ' none' : ''}`);
    for (const f of r.findingsList) lines.push(`  - \`${f.file}:${f.line}\` ${f.symbol}: ${f.evidence}`);
    for (const p of r.problems) lines.push(`  - **${p}**`);
  }
  return lines;
}
