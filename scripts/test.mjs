#!/usr/bin/env node
// `npm test`: `vitest run` with its arguments, in plain text when the output is not a terminal.
//
//   npm test [-- vitest args...]
//
// Vitest's colour library colours whenever TERM is set or CI is, even when stdout is a file or a
// pipe, so `npm test > log` would hold escape codes. NO_COLOR must be set before vitest loads (its
// colours are decided at import); it also reaches the workers and the tools the tests spawn.
// FORCE_COLOR (or an explicit NO_COLOR) still wins.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const chosen = 'FORCE_COLOR' in process.env || 'NO_COLOR' in process.env;
if (!process.stdout.isTTY && !chosen) process.env.NO_COLOR = '1';
// V8's background thread pool as Node sizes it for the cores present (`--v8-pool-size=0`), not its
// fixed default of four threads, for the test workers and every process a test starts: on a 2-core
// machine, two test workers and their tools with four V8 threads each spent more CPU and time (see
// docs/architecture.md, "Tests"). No behaviour depends on it. An explicit size in NODE_OPTIONS wins.
if (!/--v8-pool-size\b/.test(process.env.NODE_OPTIONS ?? ''))
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --v8-pool-size=0`.trim();
const vitestPackage = createRequire(import.meta.url).resolve('vitest/package.json');
const vitest = path.join(path.dirname(vitestPackage), 'vitest.mjs');
process.argv = [process.argv[0], vitest, 'run', ...process.argv.slice(2)];
await import(pathToFileURL(vitest).href);
