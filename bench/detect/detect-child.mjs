#!/usr/bin/env node
// One detection run for the detect suite, in its own process so that it can be measured:
// `node bench/detect/detect-child.mjs <project root> <config json file>` prints the duplicates the
// core finds with that config (the config file lives outside the project; its root is given).
import fs from 'node:fs';
import { resolveConfig } from '../../dist/src/core/config/load.js';
import { describeSignal } from '../../dist/src/core/detect.js';
import { toPosix } from '../../dist/src/shared/paths.js';
import { analyzeProjectParallel } from '../../dist/src/engine/analyze-project.js';
import path from 'node:path';

const [root, configFile] = process.argv.slice(2);
const config = resolveConfig(JSON.parse(fs.readFileSync(configFile, 'utf8')), root, configFile);
const project = await analyzeProjectParallel(config);
const duplicates = project.analyses.flatMap((a) =>
  a.duplicates.map((d) => ({
    file: toPosix(path.relative(root, a.file)),
    line: d.line,
    symbol: d.symbol,
    evidence: describeSignal(d.signals[0]),
  })),
);
process.stdout.write(
  JSON.stringify({ files: project.files.length, skipped: project.skipped.length, duplicates }) + '\n',
);
