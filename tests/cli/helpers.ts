import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const repo = path.resolve(import.meta.dirname, '../..');
export const bin = path.join(repo, 'dist/src/cli/bin.js');
export const demoSource = path.join(repo, 'fixtures/demo-app');

export function assertBuilt(): void {
  if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` (npm test does) before these tests`);
}

const temps: string[] = [];

/** A fresh temporary copy of fixtures/demo-app (its $schema points into this repo; dropped). */
export function copyDemo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssot-cli-'));
  temps.push(dir);
  const project = path.join(dir, 'demo-app');
  fs.cpSync(demoSource, project, { recursive: true });
  const configFile = path.join(project, 'ssot.config.json');
  const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  delete config.$schema;
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  return project;
}

export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssot-cli-'));
  temps.push(dir);
  return dir;
}

export function cleanup(): void {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would: a child process, its exit code, stdout and stderr. */
export function ssot(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CI: '1', FORCE_COLOR: '', ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function write(root: string, rel: string, text: string): void {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

export function read(root: string, rel: string): string {
  return fs.readFileSync(path.join(root, rel), 'utf8');
}

/** The report without its run-dependent part. */
export function withoutTiming<T extends { timing?: unknown }>(report: T): Omit<T, 'timing'> {
  const { timing: _timing, ...rest } = report;
  return rest;
}
