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

export function suiteGoals(suite) {
  if (suite.suite === 'migrate') return migrateGoals(suite);
  return [];
}

export function goalLines(suite) {
  return suiteGoals(suite).map(
    (g) => `${g.met === undefined ? 'not judged' : g.met ? 'met' : 'NOT met'}: ${g.goal} (${g.value})`,
  );
}
