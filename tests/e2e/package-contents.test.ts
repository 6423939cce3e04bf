/**
 * What the packed tarball holds, file by file: the licence, no path of the machine that built it,
 * docs whose relative links resolve inside the package, and metadata links that follow
 * package.json's `repository`. The tarball is packed for real (`npm pack`) and unpacked with tar.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, cleanup, copyDemo, ensureBuilt, readTree, tempDir } from '../helpers/index.js';

interface SourceMap {
  sources: string[];
  sourcesContent?: (string | null)[];
}

interface Packed {
  filename: string;
  files: { path: string }[];
}

let pkgDir: string;
let listed: string[];
let files: Map<string, Buffer>;

beforeAll(() => {
  ensureBuilt();
  const out = tempDir('pack');
  const json = execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: REPO, encoding: 'utf8' });
  const packed = JSON.parse(json) as Packed[];
  listed = packed[0]!.files.map((f) => f.path).sort();
  execFileSync('tar', ['-xzf', path.join(out, packed[0]!.filename), '-C', out]);
  pkgDir = path.join(out, 'package');
  files = readTree(pkgDir);
  // So that the shipped code can run: its dependencies from this checkout.
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(pkgDir, 'node_modules'), 'dir');
}, 120_000);

afterAll(cleanup);

// ---- absolute paths -----------------------------------------------------------------------------

/** Absolute paths that only exist on a build machine: its home folders, this checkout, temp folders. */
function machinePathPatterns(): RegExp[] {
  const literal = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const roots = new Set(['/work/', '/root/', '/home/', `${REPO}/`, `${os.homedir()}/`]);
  const patterns = [...roots].filter((r) => r !== '//').map((r) => new RegExp(literal(r)));
  // `/tmp` as a path of its own (not `x/tmp`, not `/tmpfile`), and the temp folder of this machine.
  patterns.push(/(?<![\w.~-])\/tmp(?![\w-])/, new RegExp(`${literal(os.tmpdir())}(?![\\w-])`));
  return patterns;
}

// ---- markdown links -----------------------------------------------------------------------------

/** Markdown text without fenced code blocks and code spans (a link there is only text). */
function withoutCode(markdown: string): string {
  const lines: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === null && marker) fence = marker;
    else if (fence !== null && marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
    else if (fence === null) lines.push(line.replace(/(`+)[^`]*?\1/g, ''));
  }
  return lines.join('\n');
}

/** Targets of inline links and images, reference definitions, and HTML href/src attributes. */
function linkTargets(markdown: string): string[] {
  const text = withoutCode(markdown);
  const targets: string[] = [];
  for (const m of text.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(m[1]!);
  for (const m of text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) targets.push(m[1]!);
  for (const m of text.matchAll(/\b(?:href|src)\s*=\s*"([^"]+)"/g)) targets.push(m[1]!);
  return targets;
}

/** GitHub's anchor for each heading of a markdown file (lower case, punctuation dropped, -n for repeats). */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of withoutCodeBlocks(markdown).split('\n')) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const plain = heading.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = plain
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Fenced code blocks removed, code spans kept (a heading's anchor includes their text). */
function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^\s{0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\s{0,3}\1[^\n]*$/gm, '');
}

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

describe('the packed tarball', () => {
  it('ships LICENSE (MIT, as package.json says) and lists it in `files`', () => {
    expect(listed).toContain('LICENSE');
    const license = files.get('LICENSE')!.toString('utf8');
    expect(license).toMatch(/^MIT License\n/);
    expect(license).toContain('ssot-kit contributors');
    const manifest = JSON.parse(files.get('package.json')!.toString('utf8')) as { license: string; files: string[] };
    expect(manifest.license).toBe('MIT');
    expect(manifest.files).toContain('LICENSE');
  });

  it('holds what `npm pack` listed, and no tests, fixtures or benchmarks', () => {
    expect([...files.keys()].sort()).toEqual(listed);
    for (const dir of ['tests/', 'fixtures/', 'bench/', 'scripts/', '.ci/']) {
      expect(
        listed.filter((f) => f.startsWith(dir)),
        dir,
      ).toEqual([]);
    }
  });

  it('no shipped file names an absolute path of the build machine or a temp folder', () => {
    const patterns = machinePathPatterns();
    const hits: string[] = [];
    for (const [file, bytes] of files) {
      const text = bytes.toString('latin1');
      for (const pattern of patterns) {
        const m = pattern.exec(text);
        if (!m) continue;
        const line = text.slice(0, m.index).split('\n').length;
        hits.push(`${file}:${line}: ${text.slice(Math.max(0, m.index - 30), m.index + 50).replace(/\s+/g, ' ')}`);
      }
    }
    expect(hits).toEqual([]);
  });

  it('every source map carries its sources (src/ is not shipped)', () => {
    const maps = [...files.keys()].filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const map of maps) {
      const { sources, sourcesContent } = JSON.parse(files.get(map)!.toString('utf8')) as SourceMap;
      sources.forEach((source, i) => {
        const inPackage = files.has(path.posix.normalize(path.posix.join(path.posix.dirname(map), source)));
        if (!inPackage && typeof sourcesContent?.[i] !== 'string') missing.push(`${map}: ${source}`);
      });
    }
    expect(missing).toEqual([]);
  });

  it('every relative link in README.md and docs/**/*.md resolves to a file (and heading) in the package', () => {
    const docs = [...files.keys()].filter((f) => f === 'README.md' || (f.startsWith('docs/') && f.endsWith('.md')));
    expect(docs).toContain('docs/codemods.md');
    const broken: string[] = [];
    const checked: string[] = [];
    for (const doc of docs) {
      for (const target of linkTargets(files.get(doc)!.toString('utf8'))) {
        if (EXTERNAL.test(target)) continue;
        const [file = '', anchor] = decodeURI(target).split('#');
        const relative = path.posix.join(path.posix.dirname(doc), file.split('?')[0]!);
        const resolved = file === '' ? doc : path.posix.normalize(relative);
        checked.push(resolved);
        const outside = resolved.startsWith('../') || path.posix.isAbsolute(file);
        if (outside) broken.push(`${doc}: ${target} (outside the package)`);
        else if (!files.has(resolved)) broken.push(`${doc}: ${target} (no ${resolved} in the package)`);
        else if (anchor && resolved.endsWith('.md') && !anchors(files.get(resolved)!.toString('utf8')).has(anchor)) {
          broken.push(`${doc}: ${target} (no heading #${anchor} in ${resolved})`);
        }
      }
    }
    // The scan saw the links it must: the README's screenshot, licence and rule pages.
    const musts = ['docs/report-screenshot.png', 'LICENSE', 'docs/rules/no-legacy-import.md'];
    expect(checked).toEqual(expect.arrayContaining(musts));
    expect(broken).toEqual([]);
  });

  it('package.json names the repository, homepage and issue tracker, on one GitHub repository', () => {
    const manifest = JSON.parse(files.get('package.json')!.toString('utf8')) as {
      repository: { type: string; url: string };
      homepage: string;
      bugs: { url: string };
    };
    const web = manifest.homepage.replace(/#.*$/, '');
    expect(web).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
    expect(manifest.repository).toEqual({ type: 'git', url: `git+${web}.git` });
    expect(manifest.bugs.url).toBe(`${web}/issues`);
  });

  it('rule docs URLs (ESLint meta, SARIF helpUri) follow package.json and name shipped docs', async () => {
    const manifest = JSON.parse(files.get('package.json')!.toString('utf8')) as { homepage: string };
    const base = `${manifest.homepage.replace(/#.*$/, '')}/blob/main/`;
    const plugin = (await import(pathToFileURL(path.join(pkgDir, 'dist/rules/index.js')).href)) as {
      default: { rules: Record<string, { meta: { docs: { url: string } } }> };
    };
    const urls = Object.values(plugin.default.rules).map((r) => r.meta.docs.url);
    const bin = path.join(pkgDir, 'dist/src/cli/bin.js');
    const options = { cwd: copyDemo(), encoding: 'utf8' as const };
    const stdout = execFileSync(process.execPath, [bin, 'report', '--format', 'sarif'], options);
    type Driver = { informationUri: string; rules: { helpUri: string }[] };
    const sarif = JSON.parse(stdout) as { runs: { tool: { driver: Driver } }[] };
    const driver = sarif.runs[0]!.tool.driver;
    urls.push(...driver.rules.map((r) => r.helpUri), driver.informationUri);
    expect(urls.length).toBeGreaterThanOrEqual(7);
    for (const url of urls) {
      expect(url.startsWith(base), url).toBe(true);
      expect(files.has(url.slice(base.length)), `${url}: not a file of the package`).toBe(true);
    }
  });
});
