/**
 * Every claim the CLI prints is true: one fixture project per observation of issue #12
 * (fixtures/claims/<case>/), each run through the built CLI (and the real ESLint CLI) as a user
 * runs it. Each test failed before the fix it guards. The runs of the built CLI whose output
 * holds the claims (reports, check, migrate, config and path errors) are in-process
 * (ssotInProcess: same code, output, files written and exit code). Two stay child processes: an
 * include that matches no file, exit 2 from the process for report, check and migrate alike, and
 * the report under a backtracking-prone regex, whose timeout stops a run that would never end.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import {
  cleanup,
  copyDemo,
  copyFixture,
  ensureBuilt,
  REPO,
  ssotInProcess,
  ssotSync as ssot,
  typecheck,
  write,
} from '../helpers/index.js';

beforeAll(ensureBuilt);
afterAll(cleanup);

function claims(name: string): string {
  return copyFixture('claims', name);
}

async function report(project: string, args: string[] = []): Promise<Report> {
  const r = await ssotInProcess(['report', '--format', 'json', ...args], project);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

const sites = (list: readonly { file: string; line: number }[]): string[] => list.map((s) => `${s.file}:${s.line}`);

/** A git work tree with everything committed (migrate refuses a dirty tree). */
function committed(project: string): string {
  const git = (...args: string[]) =>
    spawnSync('git', args, {
      cwd: project,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@t',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@t',
      },
    });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'fixture');
  return project;
}

interface LintMessage {
  file: string;
  line: number;
  ruleId: string | null;
  message: string;
}

/** The real ESLint CLI with the built plugin's recommended config, on a project. */
function eslint(project: string): LintMessage[] {
  fs.mkdirSync(path.join(project, 'node_modules'), { recursive: true });
  if (!fs.existsSync(path.join(project, 'node_modules/ssot-kit')))
    fs.symlinkSync(REPO, path.join(project, 'node_modules/ssot-kit'), 'dir');
  write(
    project,
    'eslint.config.js',
    "import ssot from 'ssot-kit/eslint-plugin';\n\nexport default [{ ignores: ['eslint.config.js'] }, ...ssot.configs.recommended];\n",
  );
  const r = spawnSync(
    process.execPath,
    [path.join(REPO, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', '.'],
    { cwd: project, encoding: 'utf8' },
  );
  const results = JSON.parse(r.stdout || '[]') as {
    filePath: string;
    messages: { line: number; ruleId: string | null; message: string }[];
  }[];
  return results.flatMap((f) =>
    f.messages.map((m) => ({
      file: path.relative(project, f.filePath).split(path.sep).join('/'),
      line: m.line,
      ruleId: m.ruleId,
      message: m.message,
    })),
  );
}

/** "file:line ruleId" per ESLint finding, sorted. */
function eslintFindings(project: string): string[] {
  return eslint(project)
    .map((m) => `${m.file}:${m.line} ${m.ruleId}`)
    .sort();
}

describe('1. legacy[].names lists the concept names on the module and nothing else', () => {
  it('a barrel entry with names { Emitter } makes only the Emitter imports concept sites; the rest stay, listed as non-concept', async () => {
    const r = await report(claims('names-only'));
    const c = r.concepts[0]!;
    expect(sites(c.legacySites)).toEqual(['src/app.ts:1', 'src/history.ts:1']);
    expect(sites(c.nonConceptLegacySites)).toEqual(['src/resize.ts:1', 'src/title.ts:1']);
    const app = c.legacySites[0]!;
    expect(app.names.map((n) => `${n.imported}->${n.mapsTo}`)).toEqual([
      'APP_NAME->null',
      'Emitter->src/emitter.ts#Emitter',
    ]);
    expect(r.totals.violations).toBe(2);
  });

  it('migrate moves the Emitter names only; every other import stays on the barrel and the project still type-checks', async () => {
    const project = committed(claims('names-only'));
    const m = await ssotInProcess(['migrate', '--json'], project);
    expect(m.code, m.stderr).toBe(0);
    const out = JSON.parse(m.stdout) as { summary: { filesChanged: number; sitesRewritten: number } };
    expect(out.summary).toMatchObject({ filesChanged: 2, sitesRewritten: 2 });
    expect(fs.readFileSync(path.join(project, 'src/app.ts'), 'utf8')).toMatch(
      /^import \{ APP_NAME \} from '\.\/common';\nimport \{ Emitter \} from '\.\/emitter';/,
    );
    expect(fs.readFileSync(path.join(project, 'src/title.ts'), 'utf8')).toContain("from './common'");
    expect(fs.readFileSync(path.join(project, 'src/resize.ts'), 'utf8')).toContain("from './common'");
    expect(typecheck(project)).toBe('');
  });
});

describe('2. safe to delete means no import of the module remains, of any name, in any form', () => {
  it('imports of names outside the concept (importNames), a type query and a mock keep the barrel in use', async () => {
    const r = await report(claims('safe-to-delete'));
    const c = r.concepts[0]!;
    expect(c.legacySites).toEqual([]);
    expect(sites(c.nonConceptLegacySites)).toEqual([
      'src/app.ts:1',
      'src/resize.ts:1',
      'src/title.ts:1',
      'src/types.ts:1',
    ]);
    expect(c.summary.modules[0]).toMatchObject({ module: 'src/common/index.ts', status: 'in-use', nonConceptSites: 4 });
    expect(c.summary.safeToDelete).toEqual([]);
  });

  // Child processes: the exit code of the process itself, for each command.
  it('an include that matches no file is an error naming the globs, for report, check and migrate (exit 2)', () => {
    const project = committed(claims('include-typo'));
    for (const args of [['report'], ['check'], ['migrate']]) {
      const r = ssot(args, project);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('include ["scr/**/*.ts"]');
      expect(r.stderr).toMatch(/matches no file/);
    }
  });
});

describe('3. a path argument that does not exist is an error, never a verdict', () => {
  it('report, check-style runs and migrate exit 2 and name the path', async () => {
    for (const args of [
      ['report', 'fixtures/demo-app/typo'],
      ['report', '--format', 'json', 'fixtures/demo-app/typo'],
    ]) {
      const r = await ssotInProcess(args, REPO);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/no such file or folder: .*typo/);
    }
  });
});

describe('4. the gate never passes over what it could not read', () => {
  it('a long string concatenation (which tsc compiles) is analysed, not skipped: its legacy import is found', async () => {
    const r = await report(claims('deep-expression'));
    expect(r.files.skipped).toEqual([]);
    expect(sites(r.concepts[0]!.legacySites)).toEqual(['src/banner.ts:2']);
  });

  it('a file that cannot be read fails check, also with a baseline; --allow-skipped passes and says so', async () => {
    const project = claims('unreadable-file');
    expect((await ssotInProcess(['check', '--update-baseline'], project)).code).toBe(0);
    const gate = await ssotInProcess(['check'], project);
    expect(gate.code, gate.stdout).toBe(1);
    expect(gate.stdout).toContain('src/vendor/blob.js: binary file (contains a NUL byte)');
    expect(gate.stdout).toMatch(/failed\n$/);
    const allowed = await ssotInProcess(['check', '--allow-skipped'], project);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('1 file not read (allowed by --allow-skipped)');
  });

  it('the report does not call a project with an unread file compliant, nor its legacy module safe to delete', async () => {
    const r = await report(claims('unreadable-file'));
    expect(r.totals.violations).toBe(0);
    expect(r.verdict).toBe('incomplete');
    expect(r.concepts[0]!.summary.modules[0]).toMatchObject({ module: 'src/old-emitter.ts', status: null });
    expect(r.concepts[0]!.summary.safeToDelete).toBeNull();
  });

  it('a detect.names regex with nested quantifiers runs in linear time: the report finishes and matches', () => {
    const project = claims('catastrophic-regex');
    // A backtracking engine needs days for the 40-letter name; spawnSync's timeout only stops a hang.
    const r = spawnSync(process.execPath, [path.join(REPO, 'dist/src/cli/bin.js'), 'report', '--format', 'json'], {
      cwd: project,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.signal).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    // Both own a listener list (the evidence); the pattern, run on both names, matches one.
    const duplicates = (JSON.parse(r.stdout) as Report).concepts[0]!.duplicates;
    expect(duplicates.map((d) => [d.symbol, d.evidence.includes('name matches /(a+)+$/')])).toEqual([
      ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab', false],
      ['aaaa', true],
    ]);
  });
});

describe('5. canonical and legacy modules', () => {
  it('a module listed both as canonical and as legacy is a config error naming both keys (exit 2)', async () => {
    const r = await ssotInProcess(['report'], claims('overlap'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'concepts[0].legacy[0].module: "src/router/index.ts" overlaps the canonical module (concepts[0].canonical.module',
    );
    expect(r.stderr).toContain('a canonical file (concepts[0].canonical.files[0]: "src/router/**")');
  });

  it('the canonical module re-exporting the legacy one is a transition: listed, not a violation, and it keeps the module alive', async () => {
    const r = await report(claims('transition'));
    const c = r.concepts[0]!;
    expect(sites(c.transitionSites)).toEqual(['src/router/index.ts:3']);
    expect(sites(c.legacySites)).toEqual(['src/app.ts:1']);
    expect(c.summary.modules[0]).toMatchObject({ status: 'in-use', transitionSites: 1 });
    // The legacy class is a second MessageRouter (a duplicate); the transition re-export is no violation.
    expect(r.totals.violations).toBe(2);
    expect(c.summary.progress).toBe(0.5);
  });

  it('migrate moves the importer and leaves the transition alone: exit 0', async () => {
    const project = committed(claims('transition'));
    const m = await ssotInProcess(['migrate', '--json'], project);
    expect(m.code, m.stdout).toBe(0);
    expect(fs.readFileSync(path.join(project, 'src/app.ts'), 'utf8')).toContain(
      "import { MessageRouter } from './router';",
    );
    expect(fs.readFileSync(path.join(project, 'src/router/index.ts'), 'utf8')).toContain(
      "from '../legacy/message-router'",
    );
  });
});

describe('6. the ESLint plugin and the report are the same findings', () => {
  // ESLint (configs.recommended) on the demo against this report, site by site and rule by rule, is
  // tests/rules/report-agreement.e2e.test.ts; here the report's count against its list and `check`.
  it('on the demo: report and check count the same violations, the length of its list', async () => {
    const project = copyDemo();
    const r = await report(project);
    const fromReport = [
      ...r.concepts.flatMap((c) => c.duplicates.map((d) => `${d.file}:${d.line} ssot/no-duplicate-implementation`)),
      ...r.concepts.flatMap((c) =>
        [...c.legacySites, ...c.nonConceptLegacySites]
          .filter((s) => s.rule)
          .map((s) => `${s.file}:${s.line} ssot/${s.rule}`),
      ),
    ].sort();
    expect(fromReport).toHaveLength(r.totals.violations);
    const check = await ssotInProcess(['check'], project);
    expect(check.stdout).toContain(`0 known, ${r.totals.violations} new, 0 fixed`);
  });

  it('a message about an import of 41 names stays on one line and says how many it leaves out', async () => {
    const project = claims('many-names');
    const r = await ssotInProcess(['report', '--format', 'github'], project);
    const annotation = r.stdout.split('\n').find((l) => l.includes('ssot/no-legacy-import'))!;
    expect(annotation).toContain(
      'imports MessageRouter, helper01, helper02, helper03, helper04 and 36 more from legacy module',
    );
    expect(annotation.length).toBeLessThan(400);
    const lint = eslint(project).filter((m) => m.ruleId === 'ssot/no-legacy-import');
    expect(lint).toHaveLength(1);
    expect(lint[0]!.message).toContain(
      '(helper01, helper02, helper03, helper04, helper05 and 35 more have no replacement)',
    );
    expect(lint[0]!.message).not.toContain('\n');
    expect(lint[0]!.message.length).toBeLessThan(300);
  });
});

describe('7. every count migrate prints is the length of a list it prints', () => {
  it('a file that is not UTF-8 is analysed like ESLint reads it, but migrate lists it as not rewritable, rewrites nothing there and fails', async () => {
    const project = committed(claims('latin1-file'));
    // The report reads it (an import spells ASCII) and finds its legacy import.
    expect(sites((await report(project)).concepts[0]!.legacySites)).toEqual(['src/legacy-notes.ts:2']);
    const m = await ssotInProcess(['migrate', '--json'], project);
    expect(m.code).toBe(1);
    const out = JSON.parse(m.stdout) as {
      files: { file: string; status: string; rewritten: unknown[]; refused: unknown[]; kept: unknown[] }[];
      summary: {
        sitesRewritten: number;
        sitesRefused: number;
        sitesKept: number;
        filesSkipped: number;
        filesUnreadable: number;
        filesScanned: number;
        filesRuledOut: number;
      };
    };
    const notes = out.files.find((f) => f.file === 'src/legacy-notes.ts')!;
    expect(notes).toMatchObject({ status: 'skipped', reason: 'not valid UTF-8', unreadable: true, rewritten: [] });
    const sum = (k: 'rewritten' | 'refused' | 'kept') => out.files.reduce((n, f) => n + f[k].length, 0);
    expect(out.summary).toMatchObject({
      sitesRewritten: sum('rewritten'),
      sitesRefused: sum('refused'),
      sitesKept: sum('kept'),
      filesSkipped: 1,
      filesUnreadable: 1,
    });
    expect(out.summary.sitesRewritten).toBe(0);
    expect(out.summary.filesScanned).toBe(out.files.length + out.summary.filesRuledOut);
    // Its bytes are untouched.
    expect(fs.readFileSync(path.join(project, 'src/legacy-notes.ts')).includes(Buffer.from([0xe9]))).toBe(true);
  });
});

describe('8. a default import of a legacy module whose default export is a concept class is a concept site', () => {
  it('report and eslint see `import Router from` the module (and from a module re-exporting its default); a plain default stays non-concept', async () => {
    const project = claims('default-export');
    const c = (await report(project)).concepts[0]!;
    expect(sites(c.legacySites)).toEqual(['src/app.ts:1', 'src/server.ts:1']);
    expect(c.legacySites.map((s) => s.names[0]!.mapsTo)).toEqual([
      'ssot-kit/router/compat#MessageRouter',
      'ssot-kit/router/compat#MessageRouter',
    ]);
    expect(sites(c.nonConceptLegacySites)).toEqual(['src/settings.ts:1']);
    expect(eslintFindings(project).filter((f) => f.endsWith('ssot/no-legacy-import'))).toEqual([
      'src/app.ts:1 ssot/no-legacy-import',
      'src/server.ts:1 ssot/no-legacy-import',
    ]);
  });
});
