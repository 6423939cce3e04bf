#!/usr/bin/env node
// The differential harness from the command line (needs a build: `npm run build`).
//
//   node bench/differential/cli.mjs --fixtures [--only a,b]          every codemod fixture
//   node bench/differential/cli.mjs --corpus <dir>                   a corpus from bench/corpus/generate.mjs
//   node bench/differential/cli.mjs --repo <dir> --config <file>     a real checkout (never written: copies are)
//   options: --adapters migrate,eslint,jscodeshift  --work-dir <dir>  --keep-work  --json <file>
//            --build <dir>: run the adapters of another built ssot-kit checkout (e.g. to compare with main)
//
// Also `npm run bench -- --suite differential [...]`. Exit 0: every judged file of every applicable
// adapter is exactly what the judge expects and nothing else changed; 1 otherwise; 2 usage.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADAPTERS, fixtureProjects, formatResults, runProjects } from './harness.mjs';

export async function runDifferentialCli(argv) {
  const opts = { adapters: ADAPTERS };
  const usage = (msg) => {
    process.stderr.write(
      `differential: ${msg}\n` +
        'usage: --fixtures [--only a,b] | --corpus <dir> | --repo <dir> --config <file>;\n' +
        '       [--adapters a,b] [--build d] [--work-dir d] [--keep-work] [--json f]\n',
    );
    return 2;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const val = () => inline ?? argv[++i];
    switch (flag) {
      case '--fixtures':
        opts.fixtures = true;
        break;
      case '--only':
        opts.only = String(val()).split(',');
        break;
      case '--corpus':
        opts.corpus = path.resolve(String(val()));
        break;
      case '--repo':
        opts.repo = path.resolve(String(val()));
        break;
      case '--config':
        opts.config = path.resolve(String(val()));
        break;
      case '--adapters':
        opts.adapters = String(val()).split(',');
        break;
      case '--work-dir':
        opts.workDir = path.resolve(String(val()));
        break;
      case '--keep-work':
        opts.keepWork = true;
        break;
      case '--json':
        opts.json = path.resolve(String(val()));
        break;
      case '--build':
        opts.build = path.resolve(String(val()));
        break;
      default:
        return usage(`unknown flag ${a}`);
    }
  }
  for (const a of opts.adapters)
    if (!ADAPTERS.includes(a)) return usage(`unknown adapter ${a} (known: ${ADAPTERS.join(', ')})`);
  if (opts.repo && !opts.config) return usage('--repo needs --config');
  const projects = [];
  if (opts.fixtures) projects.push(...fixtureProjects().filter((p) => !opts.only || opts.only.includes(p.name)));
  if (opts.corpus) projects.push({ name: path.basename(opts.corpus), src: opts.corpus });
  if (opts.repo) projects.push({ name: path.basename(opts.repo), src: opts.repo, config: opts.config });
  if (projects.length === 0) return usage('nothing to run');
  const workDir = opts.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ssot-differential-'));
  process.stderr.write(`differential: ${projects.length} project(s), adapters ${opts.adapters.join(', ')}\n`);
  const results = await runProjects(projects, {
    workDir,
    adapters: opts.adapters,
    keepWork: opts.keepWork,
    ...(opts.build ? { build: opts.build } : {}),
  });
  if (!opts.workDir && !opts.keepWork) fs.rmSync(workDir, { recursive: true, force: true });
  process.stdout.write(formatResults(results) + '\n');
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(results, null, 1));
  return results.every((r) => r.ok) ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await runDifferentialCli(process.argv.slice(2));
