// Writes the measured sections of docs/benchmarks.md. Only the sections of the suites that ran are
// replaced (between <!-- bench:<suite>:start --> and <!-- bench:<suite>:end -->); each section
// carries the exact command, machine, tool versions and corpus that produced its numbers.
import fs from 'node:fs';
import { goalLines } from './goals.mjs';
import { tableRows, HEADERS } from './harness.mjs';

/**
 * The command as the docs show it: no path of this machine (the packed docs must not name one). A
 * checkout is shown under `$SSOT_REAL_DIR` (where bench/run.mjs finds real checkouts), one outside
 * it as `<copy>/<name>` (a copy prepared by hand, such as one with its dependencies installed), and the
 * `--json` scratch file, which changes no figure, is left out.
 */
export function shownArgv(argv) {
  const out = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    if (flag === '--json') {
      if (inline === undefined) i++;
      continue;
    }
    if (flag === '--repo') {
      const dir = inline ?? argv[++i] ?? '';
      const name = dir.replace(/\/+$/, '').split('/').pop();
      // A checkout elsewhere (a copy with its dependencies installed) is not the snapshot there.
      const real = process.env.SSOT_REAL_DIR?.replace(/\/+$/, '');
      const underReal = real !== undefined && dir.startsWith(real + '/');
      out.push(
        '--repo',
        !dir.startsWith('/') ? dir : underReal || real === undefined ? `$SSOT_REAL_DIR/${name}` : `<copy>/${name}`,
      );
      continue;
    }
    out.push(argv[i]);
  }
  return out;
}

const sectionId = (result, s) => (result.section ? `${s.suite}-${result.section}` : s.suite);

function section(result, s) {
  const m = result.machine,
    c = result.corpus,
    v = result.versions;
  const id = sectionId(result, s);
  const cmd = (
    result.viaNpm
      ? `npm run bench -- ${shownArgv(result.argv).join(' ')}`
      : `npm run build && node bench/run.mjs ${shownArgv(result.argv).join(' ')}`
  ).trim();
  const lines = [
    `<!-- bench:${id}:start -->`,
    `### ${id}`,
    '',
    `Measured ${result.date.replace('T', ' ').slice(0, 16)} UTC with:`,
    '',
    '```sh',
    cmd,
    '```',
    '',
    `- Machine: ${m.nproc} cores (${m.cpuModel}), ${m.memGiB} GiB RAM, ${m.os}, Node ${m.node}; 1-min load average ${m.loadavgAtStart} at the start and ${m.loadavg1} at the end of the run (the machine is shared: other work inflates wall times).`,
    `- Tools: ${Object.entries(v)
      .map(([k, x]) => `${k} ${x}`)
      .join(', ')}.`,
    ...(c
      ? [
          `- ${c.description}`,
          `- ${result.runs} runs per tool (fresh corpus copy per run for tools that write); medians. ${m.measurement}.`,
        ]
      : [`- One run per repository; wall times as measured. ${m.measurement}.`]),
    '',
  ];
  if (s.markdown) {
    lines.push(...s.markdown, '', `<!-- bench:${id}:end -->`);
    return lines.join('\n');
  }
  if (s.rows.length) {
    lines.push('★ = ssot-kit; † = ratio against our tool although it did not pass the oracle check (see below).', '');
    lines.push(
      `| ${HEADERS.join(' | ')} |`,
      `|${HEADERS.map((_, i) => (i === 0 || i === 5 ? '---' : '---:')).join('|')}|`,
    );
    for (const r of tableRows(s)) lines.push(`| ${r.map((x) => String(x).replace(/\|/g, '\\|')).join(' | ')} |`);
  }
  const goals = goalLines(s);
  if (goals.length)
    lines.push('', 'Goals of the issue, judged from the table above:', '', ...goals.map((g) => `- ${g}`));
  if (s.text) lines.push('', '```', s.text, '```');
  const failing = s.rows.filter((r) => r.available && !r.ok);
  if (failing.length) {
    lines.push('', '**Disagreements with the oracle (the run exited 1):**', '');
    for (const r of failing) {
      lines.push(`- ${r.label}: ${r.summary}`);
      for (const p of r.problems.slice(0, 6)) lines.push(`  - ${p.replace(/\n/g, ' ').slice(0, 300)}`);
      if (r.problems.length > 6) lines.push(`  - ... ${r.problems.length - 6} more`);
    }
  }
  lines.push('', `<!-- bench:${id}:end -->`);
  return lines.join('\n');
}

export function writeDocsSections(file, result) {
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n\n## Results\n';
  for (const s of result.suites) {
    const sec = section(result, s);
    const id = sectionId(result, s);
    const re = new RegExp(`<!-- bench:${id}:start -->[\\s\\S]*?<!-- bench:${id}:end -->`);
    text = re.test(text) ? text.replace(re, () => sec) : `${text.trimEnd()}\n\n${sec}\n`;
  }
  fs.writeFileSync(file, text);
}
