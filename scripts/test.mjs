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
const vitestPackage = createRequire(import.meta.url).resolve('vitest/package.json');
const vitest = path.join(path.dirname(vitestPackage), 'vitest.mjs');
process.argv = [process.argv[0], vitest, 'run', ...process.argv.slice(2)];
await import(pathToFileURL(vitest).href);
