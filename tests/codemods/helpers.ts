import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = path.join(REPO, 'dist/src/cli/bin.js');
export const TRANSFORM = path.join(REPO, 'dist/codemods/jscodeshift-transform.cjs');
export const JSCODESHIFT = path.join(REPO, 'node_modules/jscodeshift/bin/jscodeshift.js');
export const FIXTURES = path.join(REPO, 'fixtures/codemods');

function newest(dir: string): number {
  let latest = 0;
  if (!fs.existsSync(dir)) return latest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.(c|m)?ts$/.test(entry.name)) latest = Math.max(latest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

/** Builds dist when it is missing or older than the sources these tests exercise. */
export function ensureBuilt(): void {
  const outputs = [BIN, TRANSFORM, path.join(REPO, 'dist/codemods/worker.js'), path.join(REPO, 'dist/src/core/rewrite/plan.js'), path.join(REPO, 'dist/src/router/compat.js')];
  const built = Math.min(...outputs.map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0)));
  // src/router too: the expected outputs type-check against the built compat layer.
  const sources = Math.max(newest(path.join(REPO, 'codemods')), newest(path.join(REPO, 'src')));
  if (built > 0 && built >= sources) return;
  try {
    execFileSync(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', path.join(REPO, 'tsconfig.build.json')], { cwd: REPO, stdio: 'pipe' });
  } catch {
    // Type errors elsewhere in the tree still emit; the checks below fail if the output is missing.
  }
  for (const f of outputs) if (!fs.existsSync(f)) throw new Error(`build did not produce ${f}`);
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `ssot-${prefix}-`));
}

export function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

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
    else if (!got.equals(bytes)) problems.push(`differs ${rel}:\n--- expected\n${bytes.toString('utf8')}\n--- actual\n${got.toString('utf8')}`);
  }
  for (const rel of actual.keys()) if (!expected.has(rel)) problems.push(`unexpected ${rel}`);
  return problems.join('\n');
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

export function ssot(args: readonly string[], cwd: string): Promise<Run> {
  return run(process.execPath, [BIN, ...args], { cwd, env: { CI: '1', NO_COLOR: '1' } });
}

/** The jscodeshift runner with our transform. Boolean flags need a value there: `--rename=true`. */
export function jscodeshift(args: readonly string[], cwd: string): Promise<Run> {
  const options = args.map((a) => (a === '--rename' ? '--rename=true' : a));
  return run(process.execPath, [JSCODESHIFT, '-t', TRANSFORM, '--parser=tsx', '--extensions=ts,tsx,mts,cts,js,jsx,mjs,cjs', ...options], { cwd, env: { CI: '1' } });
}

/** Links node_modules/ssot-kit to the repo so `ssot-kit/router/compat` resolves (to dist). */
export function linkSsotKit(dir: string): void {
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  fs.symlinkSync(REPO, path.join(dir, 'node_modules/ssot-kit'), 'dir');
}

const sharedSources = new Map<string, ts.SourceFile>();

/** `tsc --noEmit` on a project, in-process: the formatted diagnostics ('' when clean). */
export function typecheck(dir: string): string {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(dir, 'tsconfig.json'), { noEmit: true }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!parsed) return 'cannot read tsconfig.json';
  const host = ts.createCompilerHost(parsed.options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (file, version, onError, create) => {
    // lib.*.d.ts and the linked ssot-kit declarations are the same for every case: parse once.
    const shared = file.includes('/node_modules/typescript/lib/') || file.includes('/node_modules/ssot-kit/');
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
  return ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => '\n' });
}

export interface CaseMeta {
  args: string[];
  exitCode: number;
  refused?: number;
  failed?: number;
  typecheck?: boolean;
  typecheckReason?: string;
}

export function listCases(): { name: string; dir: string; meta: CaseMeta }[] {
  return fs
    .readdirSync(FIXTURES, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => ({ name: e.name, dir: path.join(FIXTURES, e.name), meta: JSON.parse(fs.readFileSync(path.join(FIXTURES, e.name, 'case.json'), 'utf8')) as CaseMeta }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
