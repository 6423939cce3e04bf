// The codemod fixtures that need the type checker (stage 2 and type-checked stage 1: case.json says
// `"jscodeshift": false`), each migrated twice in this one process through the built CLI's program:
// what a long-lived process (the test suite, the differential harness) pays per checker run.
//
//   npm run build && node bench/checker-fixtures.mjs
//
// Prints each case's two run times (ms) and the total wall and CPU time. No peer tool does stage 2,
// so this is a by-hand figure for docs/benchmarks.md, not a suite of bench/run.mjs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCliInProcess } from './lib/cli-in-process.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = path.join(REPO, 'fixtures/codemods');
const BIN = path.join(REPO, 'dist/src/cli/bin.js');

const cases = fs
  .readdirSync(FIXTURES)
  .filter((d) => fs.existsSync(path.join(FIXTURES, d, 'case.json')))
  .map((d) => ({ name: d, meta: JSON.parse(fs.readFileSync(path.join(FIXTURES, d, 'case.json'), 'utf8')) }))
  .filter((c) => c.meta.jscodeshift === false);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ssot-checker-fixtures-'));
const started = performance.now();
const cpu = process.cpuUsage();
try {
  for (const c of cases) {
    const dir = path.join(work, c.name);
    fs.cpSync(path.join(FIXTURES, c.name, 'input'), dir, { recursive: true });
    const times = [];
    for (let run = 0; run < 2; run++) {
      const t = performance.now();
      const r = await runCliInProcess(BIN, ['migrate', '--json', ...c.meta.args, '.'], dir, { NO_COLOR: '1' });
      if (r.code !== c.meta.exitCode) throw new Error(`${c.name}: exit ${r.code}, expected ${c.meta.exitCode}`);
      times.push(Math.round(performance.now() - t));
    }
    console.log(`${c.name.padEnd(45)} ${times.join(' ')}`);
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
const used = process.cpuUsage(cpu);
console.log(
  `${cases.length} cases, 2 runs each: ${((performance.now() - started) / 1000).toFixed(1)} s wall, ` +
    `${((used.user + used.system) / 1e6).toFixed(1)} s CPU`,
);
