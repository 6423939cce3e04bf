/**
 * The HTML report opened in headless Chromium (Debian's `chromium`), driven over the DevTools
 * protocol on a pipe (`--remote-debugging-pipe`: no port, no network). The page is measured as it
 * is laid out at 1,400 and 1,024 px: no table may be wider than the viewport.
 *
 * Without the browser the checks are skipped on a developer's machine, but under CI (`CI` set, as
 * `.ci/run` does) they fail: `.ci/run` installs Chromium, and a real-client test that CI skips
 * would never run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, cleanup, copyDemo, ssotSync as ssot, tempDir, write } from '../helpers/index.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const available = fs.existsSync(CHROMIUM);
const inCi = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';
const skip = !available && !inCi;
const INSTALL = 'apt-get install -y chromium';
const reason = skip ? ` (skipped: ${CHROMIUM} is not installed; ${INSTALL})` : '';
if (skip) console.warn(`html-chromium.e2e: skipping the Chromium checks: ${CHROMIUM} is not installed (${INSTALL})`);

interface Message {
  id?: number;
  result?: unknown;
  error?: unknown;
  method?: string;
  params?: unknown;
}

/** One browser over the DevTools pipe: commands out on fd 3, replies and events in on fd 4, NUL-framed. */
class Browser {
  private nextId = 0;
  private buffer = '';
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly waiting: { method: string; resolve: (params: unknown) => void }[] = [];
  private stderr = '';

  constructor(private readonly child: ChildProcess) {
    child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString('utf8')));
    (child.stdio[4] as Readable).on('data', (d: Buffer) => this.receive(d.toString('utf8')));
    child.on('exit', (code) => {
      const error = new Error(`chromium exited (${code}) ${this.stderr.slice(-2000)}`);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    });
  }

  static open(profile: string): Browser {
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'];
    const quiet = ['--disable-background-networking', '--disable-component-update', '--hide-scrollbars'];
    // Any network request would fail: the page must not need one.
    const offline = ['--host-resolver-rules=MAP * ~NOTFOUND'];
    const pipe = ['--remote-debugging-pipe', `--user-data-dir=${profile}`];
    const args = [...flags, ...quiet, ...offline, ...pipe, 'about:blank'];
    return new Browser(spawn(CHROMIUM, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] }));
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    for (let end = this.buffer.indexOf('\0'); end >= 0; end = this.buffer.indexOf('\0')) {
      const message = JSON.parse(this.buffer.slice(0, end)) as Message;
      this.buffer = this.buffer.slice(end + 1);
      if (message.id !== undefined) {
        const p = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) p?.reject(new Error(JSON.stringify(message.error)));
        else p?.resolve(message.result);
      } else {
        const i = this.waiting.findIndex((w) => w.method === message.method);
        if (i >= 0) this.waiting.splice(i, 1)[0]!.resolve(message.params);
      }
    }
  }

  send<T>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = ++this.nextId;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      const message = { id, method, params, ...(sessionId ? { sessionId } : {}) };
      (this.child.stdio[3] as Writable).write(JSON.stringify(message) + '\0');
    });
  }

  /** The next event of this name (register before the command that triggers it). */
  next(method: string): Promise<unknown> {
    return new Promise((resolve) => this.waiting.push({ method, resolve }));
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.send('Browser.close').catch(() => undefined);
    await exited;
  }
}

/** A page (tab) of the browser at a given viewport width. */
class Page {
  private constructor(
    private readonly browser: Browser,
    private readonly sessionId: string,
  ) {}

  static async open(browser: Browser): Promise<Page> {
    const { targetId } = await browser.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
    const attach = { targetId, flatten: true };
    const { sessionId } = await browser.send<{ sessionId: string }>('Target.attachToTarget', attach);
    const page = new Page(browser, sessionId);
    await page.send('Page.enable');
    return page;
  }

  send<T>(method: string, params: object = {}): Promise<T> {
    return this.browser.send<T>(method, params, this.sessionId);
  }

  async load(url: string, width: number, height: number): Promise<void> {
    await this.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
    const loaded = this.browser.next('Page.loadEventFired');
    await this.send('Page.navigate', { url });
    await loaded;
  }

  /** Evaluates an expression in the page (DevTools is not bound by the page's CSP) and returns its value. */
  async evaluate<T>(expression: string): Promise<T> {
    const params = { expression, returnByValue: true };
    const r = await this.send<{ result: { value: T }; exceptionDetails?: unknown }>('Runtime.evaluate', params);
    if (r.exceptionDetails) throw new Error(JSON.stringify(r.exceptionDetails));
    return r.result.value;
  }

  async screenshot(): Promise<Buffer> {
    const { data } = await this.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
    return Buffer.from(data, 'base64');
  }
}

interface Layout {
  viewport: number;
  pageWidth: number;
  tables: { heading: string; width: number; right: number; container: number }[];
  longRow: boolean;
}

/** Read from the laid-out page: the viewport, the document's scroll width, every table's box. */
const MEASURE = `(() => {
  const doc = document.documentElement;
  const tables = [...document.querySelectorAll('table')].map((t) => {
    const box = t.getBoundingClientRect();
    const parent = t.parentElement;
    const style = getComputedStyle(parent);
    const container = parent.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    let h = t.previousElementSibling;
    while (h && h.tagName !== 'H3' && h.tagName !== 'H2') h = h.previousElementSibling;
    const heading = h ? h.textContent : t.querySelector('th').textContent;
    return { heading, width: box.width, right: box.right, container };
  });
  const cells = [...document.querySelectorAll('td')];
  const longRow = cells.some((td) => td.textContent.includes(${JSON.stringify('enterprise-workspaces/')}));
  return { viewport: doc.clientWidth, pageWidth: doc.scrollWidth, tables, longRow };
})()`;

// A legacy site deep in the tree, imported with long specifiers and a long alias: the rows that
// widened the tables past the viewport before paths wrapped at their folders.
const LONG_FILE = [
  'src/features/customer-notifications/realtime-delivery/channel-adapters/enterprise-workspaces',
  'notification-dispatch-coordinator-for-workspace-administrators.ts',
].join('/');
const LONG_ALIAS = 'broadcastNotificationToEveryConnectedWorkspaceAdministrator';
const LONG_SOURCE = `import { MessageRouter } from '../../../../../websocket/message-router';
import { broadcastToUser as ${LONG_ALIAS} } from '../../../../../services/broadcast';
export const coordinator = { router: new MessageRouter(), send: ${LONG_ALIAS} };
`;

let url: string;
let browser: Browser;
let page: Page;

/** Under CI a missing browser fails every check (a failed hook would only mark them skipped). */
function requireBrowser(): void {
  if (!available) throw new Error(`${CHROMIUM} is not installed, and CI is set: .ci/run installs it (${INSTALL})`);
}

beforeAll(async () => {
  if (!available) return;
  ensureBuilt();
  const project = copyDemo();
  write(project, LONG_FILE, LONG_SOURCE);
  const html = path.join(tempDir(), 'report.html');
  const r = ssot(['report', '--format', 'html', '--output', html], project);
  expect(r.code, r.stderr).toBe(0);
  url = `file://${html}`;
  browser = Browser.open(tempDir('chromium'));
  const version = await browser.send<{ product: string }>('Browser.getVersion');
  console.log(`html-chromium.e2e: running the HTML report checks in ${version.product}`);
  page = await Page.open(browser);
});

afterAll(async () => {
  await browser?.close();
  cleanup();
});

describe(`the HTML report in headless Chromium${reason}`, () => {
  it.skipIf(skip)('renders the verdict, the progress bar and the tables', async () => {
    requireBrowser();
    await page.load(url, 1400, 900);
    const text = await page.evaluate<string>('document.body.textContent');
    expect(text).toContain('not compliant');
    expect(text).toContain('Duplicate implementations (4)');
    expect(text).toContain('src/realtime-shim/connection-hub.ts:6');
    expect(text).toContain(`${LONG_FILE}:1`);
    expect(await page.evaluate<number>('document.querySelectorAll(\'[role="progressbar"]\').length')).toBe(1);
  });

  for (const width of [1400, 1024]) {
    it.skipIf(skip)(`at ${width} px no table is wider than the viewport; screenshot`, async () => {
      requireBrowser();
      await page.load(url, width, 1600);
      const layout = await page.evaluate<Layout>(MEASURE);
      expect(layout.viewport).toBe(width);
      expect(layout.longRow, 'the long-path site is in a table').toBe(true);
      // Legacy modules, duplicates, legacy sites, inside legacy modules (the demo has no non-concept import).
      expect(layout.tables.length).toBeGreaterThanOrEqual(4);
      expect(layout.pageWidth, 'the page scrolls sideways').toBeLessThanOrEqual(layout.viewport);
      for (const t of layout.tables) {
        expect(t.width, `table "${t.heading}" is wider than its container`).toBeLessThanOrEqual(t.container + 0.5);
        expect(t.right, `table "${t.heading}" reaches past the viewport`).toBeLessThanOrEqual(layout.viewport);
      }
      const png = await page.screenshot();
      fs.writeFileSync(path.join(tempDir('shot'), `report-${width}.png`), png);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(width); // IHDR width
      expect(png.length).toBeGreaterThan(20_000); // not a blank page
    });
  }

  it.skipIf(skip)('table headers stay in view while their table scrolls past', async () => {
    requireBrowser();
    await page.load(url, 1024, 700);
    const heading = 'Legacy import sites';
    const top = await page.evaluate<number>(`(() => {
      const h = [...document.querySelectorAll('h3')].find((e) => e.textContent.startsWith(${JSON.stringify(heading)}));
      const table = h.nextElementSibling;
      window.scrollTo(0, table.getBoundingClientRect().top + window.scrollY + table.offsetHeight / 2);
      return table.querySelector('th').getBoundingClientRect().top;
    })()`);
    expect(top).toBe(0);
  });
});
