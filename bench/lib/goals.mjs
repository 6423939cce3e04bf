// The goals the issues set for a suite, judged from the rows of the same run (never typed in by
// hand): printed under the table and written into the suite's docs section.

const row = (suite, id) => suite.rows.find((r) => r.id === id && r.available && r.runs.length);

/** Goals of the codemod issue: time against the peers, no missed site, peak memory. */
function migrateGoals(suite) {
  const ours = row(suite, 'ssot-migrate');
  if (!ours) return [];
  const out = [];
  const versus = (id, name, limit) => {
    const peer = row(suite, id);
    if (!peer) return;
    const goal = `ssot migrate at most ${limit} of ${name}'s wall time`;
    // A peer that crashed or changed the wrong sites did not do the job: its time says nothing.
    if (!peer.ok) return out.push({ goal, value: `${name} failed in this run`, met: undefined });
    const ratio = ours.median.wallS / peer.median.wallS;
    out.push({ goal, value: ratio.toFixed(2), met: ratio <= limit });
  };
  versus('ast-grep', 'ast-grep', 0.5);
  versus('jscodeshift-plain', 'jscodeshift (plain recast transform)', 0.1);
  versus('ts-morph', 'the plain ts-morph script', 0.1);
  out.push({
    goal: 'zero missed sites (the oracle check)',
    value: ours.ok ? ours.summary.split(',')[0] : 'failed',
    met: ours.ok,
  });
  const peakKb = Math.max(ours.median.maxRssKb ?? 0, ours.median.treePeakKb ?? 0);
  out.push({
    goal: 'peak memory under 300 MiB',
    value: `${Math.round(peakKb / 1024)} MiB`,
    met: peakKb > 0 && peakKb < 300 * 1024,
  });
  return out;
}

const ratio = (a, b, what) => (a.median[what] > 0 && b.median[what] > 0 ? a.median[what] / b.median[what] : NaN);
const peak = (r) => Math.max(r.median.maxRssKb ?? 0, r.median.treePeakKb ?? 0);

/** Goals of the performance issue for `ssot report`: against ESLint's core rule, cold and warm. */
function reportGoals(suite) {
  const out = [];
  const ours = row(suite, 'ssot-report'),
    oursWarm = row(suite, 'ssot-report-warm');
  const core = row(suite, 'eslint-core'),
    coreWarm = row(suite, 'eslint-core-warm');
  if (ours && core) {
    const r = ours.median.wallS / core.median.wallS;
    out.push({
      goal: "ssot report cold at most 0.05 of ESLint's core rule's wall time",
      value: r.toFixed(3),
      met: ours.ok && core.ok && r <= 0.05,
    });
  }
  if (oursWarm && coreWarm) {
    const r = oursWarm.median.wallS / coreWarm.median.wallS;
    out.push({
      goal: "ssot report --cache warm at most ESLint's warm --cache wall time",
      value: r.toFixed(2),
      met: oursWarm.ok && coreWarm.ok && r <= 1,
    });
  }
  return out;
}

/** Goals for the ESLint plugin: at most 1.1x the core rule's time and 1.2x its peak memory. */
function eslintGoals(suite) {
  const ours = row(suite, 'eslint-ssot'),
    core = row(suite, 'eslint-core');
  if (!ours || !core) return [];
  const t = ratio(ours, core, 'wallS'),
    c = ratio(ours, core, 'cpuS'),
    m = peak(ours) / peak(core);
  return [
    {
      goal: "ESLint with the plugin at most 1.1x the core rule's wall time",
      value: `${t.toFixed(2)} (CPU ${c.toFixed(2)})`,
      met: ours.ok && core.ok && t <= 1.1,
    },
    {
      goal: "ESLint with the plugin at most 1.2x the core rule's peak memory",
      value: m.toFixed(2),
      met: ours.ok && core.ok && m <= 1.2,
    },
  ];
}

/** Goals for `ssot migrate --typecheck`: at most half the repository's own tsc --noEmit, under 1.5 GiB. */
function typecheckGoals(suite) {
  const ours = row(suite, 'ssot-migrate-typecheck'),
    tsc = row(suite, 'tsc-noemit');
  if (!ours) return [];
  const out = [];
  if (tsc) {
    const r = ours.median.wallS / tsc.median.wallS;
    out.push({
      goal: "ssot migrate --typecheck at most 0.5 of the repository's own tsc --noEmit wall time",
      value: `${r.toFixed(2)} (CPU ${ratio(ours, tsc, 'cpuS').toFixed(2)})`,
      met: ours.ok && r <= 0.5,
    });
  }
  out.push({
    goal: 'ssot migrate --typecheck peak memory under 1.5 GiB',
    value: `${Math.round(peak(ours) / 1024)} MiB`,
    met: peak(ours) > 0 && peak(ours) < 1.5 * 1024 * 1024,
  });
  return out;
}

export function suiteGoals(suite) {
  if (suite.suite === 'migrate') return migrateGoals(suite);
  if (suite.suite === 'report') return reportGoals(suite);
  if (suite.suite === 'eslint') return eslintGoals(suite);
  if (suite.suite === 'typecheck') return typecheckGoals(suite);
  return [];
}

export function goalLines(suite) {
  return suiteGoals(suite).map(
    (g) => `${g.met === undefined ? 'not judged' : g.met ? 'met' : 'NOT met'}: ${g.goal} (${g.value})`,
  );
}
