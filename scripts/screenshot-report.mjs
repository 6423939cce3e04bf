#!/usr/bin/env node
// Renders the HTML report of the demo app in headless Chromium and saves a screenshot for the
// README (docs/report-screenshot.png).
//
//   npm run build && node scripts/screenshot-report.mjs [out.png]
//
// So that the page shows a migration under way (progress bar and the chart over time), the script
// replays a short migration on a temporary git copy of fixtures/demo-app: one real commit per
// step (imports moved to the compat layer, a broken import fixed, one compat name moved to the
// canonical module), running `ssot report --history` after each commit. Every number on the
// page comes from those runs. Needs Debian's chromium at /usr/bin/chromium (or $CHROMIUM).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(process.argv[2] ?? path.join(repo, 'docs', 'report-screenshot.png'));
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
const bin = path.join(repo, 'dist', 'src', 'cli', 'bin.js');
if (!fs.existsSync(chromium)) {
  console.error(`screenshot-report: ${chromium} not found (apt-get install -y chromium)`);
  process.exit(2);
}
if (!fs.existsSync(bin)) {
  console.error('screenshot-report: dist/ is missing; run `npm run build` first');
  process.exit(2);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ssot-shot-'));
const demo = path.join(tmp, 'demo-app');
fs.cpSync(path.join(repo, 'fixtures', 'demo-app'), demo, { recursive: true });
// The copy's $schema points into this repo; keep the config self-contained.
const configFile = path.join(demo, 'ssot.config.json');
const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
delete config.$schema;
fs.writeFileSync(configFile, JSON.stringify(config, null, 2) + '\n');

const git = (...args) =>
  execFileSync(
    'git',
    ['-c', 'user.name=demo', '-c', 'user.email=demo@example.invalid', '-c', 'commit.gpgsign=false', ...args],
    { cwd: demo, stdio: 'pipe' },
  );
const history = path.join(tmp, 'ssot-history.jsonl');
const report = (...extra) =>
  execFileSync(process.execPath, [bin, 'report', demo, '--history', history, ...extra], {
    cwd: demo,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NO_COLOR: '1' },
  });

/** Replaces text in a file of the copy; fails loudly when the demo no longer has it. */
function edit(file, from, to) {
  const abs = path.join(demo, file);
  if (!fs.existsSync(abs)) return false;
  const text = fs.readFileSync(abs, 'utf8');
  if (!text.includes(from)) return false;
  fs.writeFileSync(abs, text.replace(from, to));
  return true;
}

const steps = [
  [
    'chat handler on the compat layer',
    [['src/handlers/chat-handler.ts', "from '../websocket/message-router'", "from 'ssot-kit/router/compat'"]],
  ],
  [
    'server broadcast on the compat layer',
    [
      [
        'src/server.ts',
        "import { broadcastToUser } from './services/broadcast'",
        "import { broadcastToUser } from 'ssot-kit/router/compat'",
      ],
    ],
  ],
  [
    'metrics on the compat layer',
    [['src/legacy/metrics.js', "require('../services/broadcast')", "require('ssot-kit/router/compat')"]],
  ],
  [
    'digest job: fix the broken import',
    [['src/jobs/digest.ts', "from '../realtime/ws-broadcaster'", "from 'ssot-kit/router/compat'"]],
  ],
  [
    'admin console on the compat layer',
    [
      [
        'src/admin/console.ts',
        "import { ChatMessageRouter } from '../events/event-router.js'",
        "import { WebSocketEventRouter as ChatMessageRouter } from 'ssot-kit/router/compat'",
      ],
    ],
  ],
  [
    'package entry re-exports from the compat layer',
    [
      [
        'src/index.ts',
        "export { MessageRouter } from './websocket/message-router'",
        "export { MessageRouter } from 'ssot-kit/router/compat'",
      ],
    ],
  ],
];

git('init', '-q');
git('add', '-A');
git('commit', '-q', '-m', 'demo: before the migration');
report('--format', 'json', '--output', path.join(tmp, 'r.json'));
for (const [message, edits] of steps) {
  const applied = edits.map(([file, from, to]) => edit(file, from, to)).some(Boolean);
  if (!applied) {
    console.error(`screenshot-report: step "${message}" does not apply to the current demo; skipped`);
    continue;
  }
  git('add', '-A');
  git('commit', '-q', '-m', message);
  report('--format', 'json', '--output', path.join(tmp, 'r.json'));
}
const html = path.join(tmp, 'report.html');
report('--format', 'html', '--output', html);
// The page names the project root; the copy's temporary folder means nothing to a reader of the
// docs (and docs must not show a path of this machine), so the image shows where a user keeps it.
const page = fs.readFileSync(html, 'utf8');
const shownRoot = `<div class="root">${demo}`;
if (!page.includes(shownRoot)) {
  console.error('screenshot-report: the report no longer shows the project root as expected; update this script');
  process.exit(2);
}
fs.writeFileSync(html, page.replace(shownRoot, '<div class="root">~/demo-app'));

const profile = path.join(tmp, 'chromium-profile');
execFileSync(
  chromium,
  [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--hide-scrollbars',
    `--user-data-dir=${profile}`,
    `--screenshot=${out}`,
    '--window-size=1280,1700',
    `file://${html}`,
  ],
  { stdio: 'ignore', timeout: 120_000 },
);
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`screenshot-report: wrote ${path.relative(process.cwd(), out)}`);
