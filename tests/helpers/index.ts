// The one helpers module of the test suite: the repo's paths, temporary folders, the built CLI
// and tools run as child processes, file trees compared byte for byte, and tsc in-process.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as TS from 'typescript';

export const REPO = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
export const BIN = path.join(REPO, 'dist/src/cli/bin.js');
export const TRANSFORM = path.join(REPO, 'dist/codemods/jscodeshift-transform.cjs');
export const PLUGIN = path.join(REPO, 'dist/rules/index.js');
export const JSCODESHIFT = path.join(REPO, 'node_modules/jscodeshift/bin/jscodeshift.js');
export const FIXTURES = path.join(REPO, 'fixtures/codemods');
export const DEMO = path.join(REPO, 'fixtures/demo-app');

/** A strict tsconfig for a throw-away project of bundler-style ES modules under `src/`, no @types. */
export const BUNDLER_TSCONFIG = JSON.stringify({
  compilerOptions: {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'Bundler',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  },
  include: ['src'],
});

// ---- building ---------------------------------------------------------------------------------

function newestSource(dir: string): number {
  let latest = 0;
  if (!fs.existsSync(dir)) return latest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.(c|m)?ts$/.test(entry.name)) {
      latest = Math.max(latest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return latest;
}

/**
 * Builds dist/ when it is missing or older than src/, rules/ or codemods/ (`npm test` builds
 * first; this keeps a single `npx vitest run <file>` honest after an edit).
 */
export function ensureBuilt(): void {
  const outputs = [
    BIN,
    TRANSFORM,
    PLUGIN,
    path.join(REPO, 'dist/src/migrate/worker.js'),
    path.join(REPO, 'dist/src/router/compat.js'),
  ];
  const built = Math.min(...outputs.map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0)));
  const sources = Math.max(...['src', 'rules', 'codemods'].map((d) => newestSource(path.join(REPO, d))));
  if (built > 0 && built >= sources) return;
  try {
    const tsc = path.join(REPO, 'node_modules/typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', path.join(REPO, 'tsconfig.build.json')], { cwd: REPO, stdio: 'pipe' });
  } catch {
    // Type errors elsewhere in the tree still emit; the checks below fail if the output is missing.
  }
  for (const f of outputs) if (!fs.existsSync(f)) throw new Error(`build did not produce ${f}`);
  // The rest of `npm run build`: migrate's run as one module (scripts/bundle-migrate.mjs).
  execFileSync(process.execPath, [path.join(REPO, 'scripts/bundle-migrate.mjs')], { cwd: REPO, stdio: 'pipe' });
}

// ---- temporary folders and files --------------------------------------------------------------

const temps: string[] = [];

/** A fresh temporary folder (its real path), removed by `cleanup()`. */
export function tempDir(prefix = 'test'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `ssot-${prefix}-`)));
  temps.push(dir);
  return dir;
}

export function cleanup(): void {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes a throw-away project: `{ 'src/a.ts': '...' }`. Returns its absolute root. */
export function makeProject(files: Record<string, string>, prefix = 'project'): string {
  const root = tempDir(prefix);
  for (const [rel, text] of Object.entries(files)) write(root, rel, text);
  return root;
}

export function removeProject(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}

export function write(root: string, rel: string, text: string): void {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

export function read(root: string, rel: string): string {
  return fs.readFileSync(path.join(root, rel), 'utf8');
}

export function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

/** A fresh temporary copy of fixtures/demo-app (its $schema points into this repo; dropped). */
export function copyDemo(): string {
  const project = path.join(tempDir('demo'), 'demo-app');
  fs.cpSync(DEMO, project, { recursive: true });
  const configFile = path.join(project, 'ssot.config.json');
  const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  delete config.$schema;
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  return project;
}

/** A fresh copy of fixtures/<group>/<name> (synchronous: RuleTester registers cases at load). */
export function copyFixture(group: string, name: string): string {
  const dir = tempDir(`${group}-${name}`);
  fs.cpSync(path.join(REPO, 'fixtures', group, name), dir, { recursive: true });
  return dir;
}

/** Links node_modules/ssot-kit to the repo so `ssot-kit/router/compat` resolves (to dist). */
export function linkSsotKit(dir: string): void {
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  fs.symlinkSync(REPO, path.join(dir, 'node_modules/ssot-kit'), 'dir');
}

/** The packages the demo app declares (package.json), taken from this repo's node_modules. */
export const DEMO_DEPENDENCIES = ['ws', '@types/ws', '@types/node', 'vitest'] as const;

/** A copy of the demo app made runnable: its dependencies and ssot-kit linked into node_modules. */
export function linkDemoDependencies(dir: string): void {
  linkSsotKit(dir);
  for (const name of DEMO_DEPENDENCIES) {
    const target = path.join(dir, 'node_modules', name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.symlinkSync(path.join(REPO, 'node_modules', name), target, 'dir');
  }
}

/**
 * The demo app's own test suite (`vitest run` in the copy); with `framesFile`, the frames every
 * client got are written there.
 */
export function demoTests(dir: string, framesFile?: string): Promise<Run> {
  const vitest = path.join(dir, 'node_modules/vitest/vitest.mjs');
  return run(process.execPath, [vitest, 'run'], { cwd: dir, env: framesFile ? { DEMO_FRAMES_FILE: framesFile } : {} });
}

// ---- file trees ---------------------------------------------------------------------------------

/** Every file under `dir` (posix relative path -> bytes), node_modules excluded. */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const abs = path.join(entry.parentPath, entry.name);
    const rel = path.relative(dir, abs).split(path.sep).join('/');
    if (rel.split('/').includes('node_modules')) continue;
    out.set(rel, fs.readFileSync(abs));
  }
  return out;
}

/** Differences between two trees, as readable lines ('' when byte-identical). */
export function treeDiff(actualDir: string, expectedDir: string): string {
  const actual = readTree(actualDir);
  const expected = readTree(expectedDir);
  const problems: string[] = [];
  for (const [rel, bytes] of expected) {
    const got = actual.get(rel);
    if (!got) problems.push(`missing ${rel}`);
    else if (!got.equals(bytes))
      problems.push(`differs ${rel}:\n--- expected\n${bytes.toString('utf8')}\n--- actual\n${got.toString('utf8')}`);
  }
  for (const rel of actual.keys()) if (!expected.has(rel)) problems.push(`unexpected ${rel}`);
  return problems.join('\n');
}

// ---- processes --------------------------------------------------------------------------------

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of every tool run: no colour, not interactive. */
const QUIET = { CI: '1', NO_COLOR: '1', FORCE_COLOR: '' };

export function run(
  cmd: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<Run> {
  const env = { ...process.env, ...QUIET, ...options.env };
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: options.cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error
        ? typeof (error as { code?: unknown }).code === 'number'
          ? (error as { code: number }).code
          : 1
        : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** The built CLI as a user runs it: a child process, its exit code, stdout and stderr. */
export function ssot(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return run(process.execPath, [BIN, ...args], { cwd, env });
}

/** `ssot` run synchronously (for tests that chain many short runs). */
export function ssotSync(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Run {
  const options = { cwd, encoding: 'utf8' as const, env: { ...process.env, ...QUIET, ...env }, timeout: 120_000 };
  const r = spawnSync(process.execPath, [BIN, ...args], options);
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The built CLI's program (dist, the code bin.js runs) inside the test process: the same
 * arguments, stdout, stderr and exit code as `ssot()`, without starting Node and TypeScript again
 * for each run (bench/lib/cli-in-process.mjs, shared with the differential harness). For tests
 * that run the CLI many times where the process boundary is not what they test; every command
 * keeps its child-process tests. Runs one at a time.
 */
export async function ssotInProcess(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  ensureBuilt();
  const { runCliInProcess } = (await import(pathToFileURL(path.join(REPO, 'bench/lib/cli-in-process.mjs')).href)) as {
    runCliInProcess(bin: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run>;
  };
  return runCliInProcess(BIN, args, cwd, { ...QUIET, ...env });
}

/**
 * The jscodeshift runner with our transform. Boolean flags need a value there: `--rename=true`.
 * `--run-in-band`: the runner transforms the files itself instead of starting a worker process per
 * core (each loading Babel and the transform again) for a few dozen small files; the differential
 * harness (tests/bench/differential.test.ts) runs it with its workers.
 */
export function jscodeshift(args: readonly string[], cwd: string): Promise<Run> {
  const flags: Record<string, string> = { '--rename': '--rename=true', '--merge-imports': '--mergeImports=true' };
  const options = args.map((a) => flags[a] ?? a);
  const extensions = '--extensions=ts,tsx,mts,cts,js,jsx,mjs,cjs';
  const argv = [JSCODESHIFT, '-t', TRANSFORM, '--parser=tsx', '--run-in-band', extensions, ...options];
  return run(process.execPath, argv, { cwd });
}

/** The report without its run-dependent part. */
export function withoutTiming<T extends { timing?: unknown }>(report: T): Omit<T, 'timing'> {
  const { timing: _timing, ...rest } = report;
  return rest;
}

// ---- tsc --------------------------------------------------------------------------------------

const sharedSources = new Map<string, TS.SourceFile>();

/**
 * TypeScript through require(), on first use: most test files never type-check, and an ESM import
 * of typescript.js makes Node scan all of it for export names first (see src/core/typescript-loader.cts).
 */
let loadedTs: typeof TS | undefined;
function typescript(): typeof TS {
  loadedTs ??= createRequire(import.meta.url)('typescript') as typeof TS;
  return loadedTs;
}

/** `tsc --noEmit` on a project, in-process: the formatted diagnostics ('' when clean). */
export function typecheck(dir: string): string {
  const ts = typescript();
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(dir, 'tsconfig.json'),
    { noEmit: true },
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!parsed) return 'cannot read tsconfig.json';
  const host = ts.createCompilerHost(parsed.options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (file, version, onError, create) => {
    // lib.*.d.ts, installed @types and the linked ssot-kit declarations are the same for every
    // case: parse (and bind) once.
    const shared =
      file.includes('/node_modules/typescript/lib/') ||
      file.includes('/node_modules/@types/') ||
      file.includes('/node_modules/ssot-kit/');
    if (!shared) return read(file, version, onError, create);
    const key = `${file}\0${typeof version === 'object' ? version.languageVersion : version}`;
    let sf = sharedSources.get(key);
    if (!sf) {
      sf = read(file, version, onError, create);
      if (sf) sharedSources.set(key, sf);
    }
    return sf;
  };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host });
  const diagnostics = [...parsed.errors, ...ts.getPreEmitDiagnostics(program)];
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => dir,
    getNewLine: () => '\n',
  });
}
