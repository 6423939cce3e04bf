import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { toPosix } from '../../shared/paths.js';
import { resolveConfig } from '../../core/config/load.js';
import { PRESETS, presetNamed } from '../../core/config/presets.js';
import { describeSignal } from '../../core/detect.js';
import type { DuplicateFinding } from '../../core/types.js';
import { writeFileAtomic } from '../../shared/atomic-write.js';
import { analyzeProjectParallel } from '../../engine/analyze-project.js';
import { EXIT_OK } from '../exit-codes.js';
import { UsageError } from '../../shared/errors.js';
import { runCommand } from '../run-command.js';
import { colors, createProgress, useColor } from '../../shared/terminal.js';

interface InitFlags {
  force?: boolean;
  preset: string;
  dryRun?: boolean;
}

async function initAction(target: string | undefined, flags: InitFlags): Promise<number> {
  const c = colors(useColor(process.stdout));
  const root = path.resolve(target ?? process.cwd());
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch {
    throw new UsageError(`no such folder: ${root}`);
  }
  if (!stat.isDirectory()) throw new UsageError(`not a folder: ${root}`);
  const preset = presetNamed(flags.preset);
  if (!preset) throw new UsageError(`--preset: unknown preset "${flags.preset}" (known: ${Object.keys(PRESETS).join(', ')})`);
  const configFile = path.join(root, 'ssot.config.json');
  if (fs.existsSync(configFile) && !flags.force && !flags.dryRun) {
    throw new UsageError(`${configFile} already exists; not overwriting it (use --force to replace it, or --dry-run to see what init would write)`);
  }

  // The core's detection with the preset's rules, on every file, with no legacy module yet.
  const conceptId = flags.preset;
  const config = resolveConfig({ concepts: [{ id: conceptId, preset: flags.preset }] }, root);
  const progress = createProgress('ssot init');
  const project = await analyzeProjectParallel(config, { onProgress: (d, t) => progress.update(d, t) });
  progress.finish();

  const byFile = new Map<string, DuplicateFinding[]>();
  for (const a of project.analyses) {
    for (const d of a.duplicates) {
      const rel = toPosix(path.relative(root, a.file));
      byFile.set(rel, [...(byFile.get(rel) ?? []), d]);
    }
  }
  const modules = [...byFile.keys()].sort();
  const knownNames = new Set(Object.keys(preset.defaultLegacyNames));
  const unmapped: { file: string; symbol: string }[] = [];
  for (const [file, ds] of byFile) for (const d of ds) if (!knownNames.has(d.symbol)) unmapped.push({ file, symbol: d.symbol });
  const parseErrors = project.analyses.flatMap((a) => a.parseErrors);

  const json: Record<string, unknown> = {};
  const schemaPath = path.join(root, 'node_modules', 'ssot-kit', 'schema', 'ssot.config.schema.json');
  if (fs.existsSync(schemaPath)) json.$schema = './node_modules/ssot-kit/schema/ssot.config.schema.json';
  json.concepts = [{ id: conceptId, preset: flags.preset, legacy: modules.map((module) => ({ module })) }];
  const text = JSON.stringify(json, null, 2).replace(/\{\n\s*("module": "[^"\n]*")\n\s*\}/g, '{ $1 }') + '\n';

  const out: string[] = [];
  out.push(c.bold(`ssot init: scanned ${project.files.length} files in ${root} with the ${flags.preset} preset`));
  out.push(`  canonical module: ${config.concepts[0]!.canonical.module}${config.concepts[0]!.compat ? ` (compat layer ${config.concepts[0]!.compat.module})` : ''}`);
  if (modules.length === 0) out.push(c.green('  no implementation of the concept found outside the canonical module: nothing to name as legacy'));
  else out.push(`  found ${modules.length} module${modules.length === 1 ? '' : 's'} implementing ${conceptId}:`);
  for (const file of modules) {
    for (const d of byFile.get(file)!) out.push(`    ${c.cyan(`${file}:${d.line}`)}  ${c.bold(d.symbol)}  ${c.dim(d.signals.map(describeSignal).join('; '))}`);
  }
  if (unmapped.length > 0) {
    out.push(c.yellow(`  ${unmapped.length} implementation name${unmapped.length === 1 ? ' is' : 's are'} not a compat name; importers of ${unmapped.length === 1 ? 'it' : 'them'} cannot be migrated until you map ${unmapped.length === 1 ? 'it' : 'them'} in "names" (legacy name -> compat name):`));
    for (const u of unmapped) out.push(c.yellow(`    ${u.file}: ${u.symbol}`));
  }
  for (const p of parseErrors) out.push(c.yellow(`  warning: parse error ${toPosix(path.relative(root, p.file))}:${p.line}:${p.column}: ${p.message}`));
  for (const s of project.skipped) out.push(c.yellow(`  warning: skipped ${toPosix(path.relative(root, s.file))}: ${s.reason}`));
  if (flags.dryRun) {
    out.push('', c.bold(`--dry-run: would write ${configFile}:`), text.trimEnd());
  } else {
    writeFileAtomic(configFile, text, { createDirs: true, removeLeftovers: true });
    out.push('', c.green(`wrote ${configFile}`));
  }
  out.push(
    '',
    'Next:',
    '  ssot report                      # every duplicate, every legacy import site, progress and verdict',
    '  ssot check --update-baseline     # record today\'s violations; later `ssot check` fails only on new ones',
    '  ssot migrate                     # move legacy imports to the compat layer, then to the canonical module',
  );
  process.stdout.write(out.join('\n') + '\n');
  return EXIT_OK;
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .summary('write a starting ssot.config.json')
    .description(
      'find the implementations of a concept and write a starting ssot.config.json naming their modules as legacy',
    )
    .argument('[path]', 'project folder (default: the cwd)')
    .option('--force', 'overwrite an existing ssot.config.json')
    .option('--preset <name>', `concept preset (${Object.keys(PRESETS).join(', ')})`, 'message-router')
    .option('--dry-run', 'print the config instead of writing it')
    .action((target: string | undefined, flags: InitFlags) => runCommand(() => initAction(target, flags)));
}
