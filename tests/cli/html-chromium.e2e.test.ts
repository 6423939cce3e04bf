/**
 * The HTML report opened in headless Chromium (Debian's `chromium`). Skipped, with the reason in
 * the test name, when /usr/bin/chromium is absent: the suite must not depend on it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt as assertBuilt, cleanup, copyDemo, ssotSync as ssot, tempDir } from '../helpers/index.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const available = fs.existsSync(CHROMIUM);
const reason = available ? '' : ` (skipped: ${CHROMIUM} is not installed; apt-get install -y chromium)`;
if (!available) console.warn(`html-chromium.e2e: skipping the headless Chromium checks: ${CHROMIUM} is not installed (apt-get install -y chromium)`);

function chromium(args: string[], profile: string) {
  return spawnSync(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // Any network request would fail: the page must not need one.
      '--host-resolver-rules=MAP * ~NOTFOUND',
      `--user-data-dir=${profile}`,
      ...args,
    ],
    { encoding: 'utf8', timeout: 90_000 },
  );
}

let html: string;
beforeAll(() => {
  assertBuilt();
  if (!available) return;
  const project = copyDemo();
  html = path.join(tempDir(), 'report.html');
  const r = ssot(['report', '--format', 'html', '--output', html], project);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(cleanup);

describe(`the HTML report in headless Chromium${reason}`, () => {
  it.skipIf(!available)('renders the verdict, the progress bar and the tables', () => {
    const r = chromium(['--dump-dom', `file://${html}`], tempDir());
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('not compliant');
    expect(r.stdout).toContain('role="progressbar"');
    expect(r.stdout).toContain('Duplicate implementations (5)');
    expect(r.stdout).toContain('src/realtime-shim/connection-hub.ts:6');
  });

  it.skipIf(!available)('takes a screenshot', () => {
    const png = path.join(tempDir(), 'shot.png');
    const r = chromium([`--screenshot=${png}`, '--window-size=1280,1600', `file://${html}`], tempDir());
    expect(r.status, r.stderr).toBe(0);
    const bytes = fs.readFileSync(png);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.readUInt32BE(16)).toBe(1280); // IHDR width
    expect(bytes.length).toBeGreaterThan(20_000); // not a blank page
  });
});
