import * as fs from 'node:fs';
import * as path from 'node:path';
import { toPosix } from '../../shared/paths.js';
import { resolveConfig } from '../../core/config/load.js';
import { PRESETS, presetNamed } from '../../core/config/presets.js';
import { describeSignal } from '../../core/detect.js';
import { classifyFindings, conceptFromCanonical, legacyModulesOf } from '../../core/init.js';
import type { DuplicateFinding } from '../../core/types.js';
import { writeFileAtomic } from '../../shared/atomic-write.js';
import { analyzeProjectParallel } from '../../engine/analyze-project.js';
import { EXIT_OK } from '../exit-codes.js';
import { UsageError } from '../../shared/errors.js';
import { colors, createProgress, plural, useColor } from '../../shared/terminal.js';

export interface InitFlags {
  force?: boolean;
  preset?: string;
  canonical?: string;
  name?: string;
  id?: string;
  dryRun?: boolean;
  printConfig?: boolean;
}

const NEXT_STEPS = [
  '',
  'Next:',
  '  ssot report                      # every duplicate, every legacy import site, progress and verdict',
  "  ssot check --update-baseline     # record today's violations; later `ssot check` fails only on new ones",
  '  ssot migrate                     # move legacy imports to the compat layer, then to the canonical module',
];

/** The config file's text: one concept; short legacy entries on one line. */
function configText(root: string, concept: Record<string, unknown>): string {
  const json: Record<string, unknown> = {};
  const schemaPath = path.join(root, 'node_modules', 'ssot-kit', 'schema', 'ssot.config.schema.json');
  if (fs.existsSync(schemaPath)) json.$schema = './node_modules/ssot-kit/schema/ssot.config.schema.json';
  json.concepts = [concept];
  return JSON.stringify(json, null, 2).replace(/\{\n\s*("module": "[^"\n]*")\n\s*\}/g, '{ $1 }') + '\n';
}

function projectRoot(target: string | undefined): string {
  const root = path.resolve(target ?? process.cwd());
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch {
    throw new UsageError(`no such folder: ${root}`);
  }
  if (!stat.isDirectory()) throw new UsageError(`not a folder: ${root}`);
  return root;
}

export async function initAction(target: string | undefined, flags: InitFlags): Promise<number> {
  const root = projectRoot(target);
  if (flags.canonical !== undefined && flags.preset !== undefined)
    throw new UsageError(
      '--canonical and --preset are exclusive: a concept comes from its canonical module or from a preset',
    );
  if (flags.canonical === undefined && (flags.name !== undefined || flags.id !== undefined))
    throw new UsageError('--name and --id go with --canonical');
  const configFile = path.join(root, 'ssot.config.json');
  const writes = !flags.dryRun && !flags.printConfig;
  if (fs.existsSync(configFile) && !flags.force && writes) {
    throw new UsageError(
      `${configFile} already exists; not overwriting it (use --force to replace it, or --dry-run to see what init would write)`,
    );
  }
  if (flags.canonical !== undefined) return initFromCanonical(root, configFile, flags.canonical, flags);
  return initFromPreset(root, configFile, flags.preset ?? 'message-router', flags);
}

/**
 * `--canonical`: the concept is whatever the canonical module's implementation is. Its shape and
 * registries come from its AST; the other implementations are found by the detector with that
 * concept; the standalone ones become legacy modules, each name mapped to the canonical name.
 */
async function initFromCanonical(
  root: string,
  configFile: string,
  canonical: string,
  flags: InitFlags,
): Promise<number> {
  const c = colors(useColor(process.stdout));
  const { concept, shape, module } = conceptFromCanonical(root, canonical, flags.name, flags.id);
  const config = resolveConfig({ concepts: [concept] }, root);
  const progress = createProgress('ssot init');
  const project = await analyzeProjectParallel(config, { onProgress: (d, t) => progress.update(d, t) });
  progress.finish();
  const findings = classifyFindings(
    root,
    project.analyses.flatMap((a) => a.duplicates),
  );
  const legacy = legacyModulesOf(findings, shape.name);
  const text = configText(root, { ...concept, legacy });
  if (flags.printConfig) {
    process.stdout.write(text);
    return EXIT_OK;
  }

  const out: string[] = [];
  out.push(
    c.bold(`ssot init: scanned ${project.files.length} files in ${root} for other implementations of ${shape.name}`),
  );
  const heritage = shape.heritage.length > 0 ? `; ${shape.heritage.join(', ')}` : '';
  out.push(
    `  canonical: ${module} exports ${shape.name} (${shape.kind}); ` +
      `public members ${shape.members.join(', ') || '(none)'}${heritage}`,
  );
  if (shape.registries.length > 0) {
    out.push('  what owning its state and behaviour looks like (read from its AST):');
    for (const r of shape.registries) out.push(`    ${r.owner}: ${r.description}`);
    if (shape.assumed) out.push(c.yellow(`  note: ${shape.assumed}`));
  } else {
    out.push(
      c.yellow(
        `  ${shape.name} owns no storage its callers fill with a dispatch over it: ` +
          'only copies of it and re-declarations of its name will be found',
      ),
    );
  }
  const modules = findings.filter((f) => f.role === 'module');
  const embedded = findings.filter((f) => f.role === 'embedded');
  if (findings.length === 0) {
    out.push(c.green(`  no other implementation of ${shape.name} found: nothing to name as legacy`));
  } else {
    const named = `${plural(legacy.length, 'module')} named as legacy`;
    out.push(`  found ${plural(findings.length, 'other implementation')}; ${named}:`);
  }
  for (const f of [...modules, ...embedded]) {
    const d = f.finding;
    const tag = f.role === 'module' ? c.cyan('legacy module') : c.dim(`not a legacy module: ${f.reason}`);
    out.push(`    ${c.cyan(`${f.file}:${d.line}`)}  ${c.bold(d.symbol)}  ${tag}`);
    out.push(`      ${c.dim(describeSignal(d.signals[0]!))}`);
  }
  for (const p of project.analyses.flatMap((a) => a.parseErrors))
    out.push(
      c.yellow(`  warning: parse error ${toPosix(path.relative(root, p.file))}:${p.line}:${p.column}: ${p.message}`),
    );
  for (const s of project.skipped)
    out.push(c.yellow(`  warning: skipped ${toPosix(path.relative(root, s.file))}: ${s.reason}`));
  if (flags.dryRun) out.push('', c.bold(`--dry-run: would write ${configFile}:`), text.trimEnd());
  else {
    writeFileAtomic(configFile, text, { createDirs: true, removeLeftovers: true });
    out.push('', c.green(`wrote ${configFile}`));
  }
  out.push(...NEXT_STEPS);
  process.stdout.write(out.join('\n') + '\n');
  return EXIT_OK;
}

async function initFromPreset(root: string, configFile: string, presetName: string, flags: InitFlags): Promise<number> {
  const c = colors(useColor(process.stdout));
  const preset = presetNamed(presetName);
  if (!preset)
    throw new UsageError(`--preset: unknown preset "${presetName}" (known: ${Object.keys(PRESETS).join(', ')})`);
  flags = { ...flags, preset: presetName };

  // The core's detection with the preset's rules, on every file, with no legacy module yet.
  const conceptId = presetName;
  const config = resolveConfig({ concepts: [{ id: conceptId, preset: presetName }] }, root);
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
  for (const [file, ds] of byFile)
    for (const d of ds) if (!knownNames.has(d.symbol)) unmapped.push({ file, symbol: d.symbol });
  const parseErrors = project.analyses.flatMap((a) => a.parseErrors);

  const text = configText(root, { id: conceptId, preset: presetName, legacy: modules.map((module) => ({ module })) });
  if (flags.printConfig) {
    process.stdout.write(text);
    return EXIT_OK;
  }

  const out: string[] = [];
  out.push(c.bold(`ssot init: scanned ${project.files.length} files in ${root} with the ${presetName} preset`));
  out.push(
    `  canonical module: ${config.concepts[0]!.canonical.module}${config.concepts[0]!.compat ? ` (compat layer ${config.concepts[0]!.compat.module})` : ''}`,
  );
  if (modules.length === 0)
    out.push(
      c.green('  no implementation of the concept found outside the canonical module: nothing to name as legacy'),
    );
  else out.push(`  found ${modules.length} module${modules.length === 1 ? '' : 's'} implementing ${conceptId}:`);
  for (const file of modules) {
    for (const d of byFile.get(file)!)
      out.push(
        `    ${c.cyan(`${file}:${d.line}`)}  ${c.bold(d.symbol)}  ${c.dim(d.signals.map(describeSignal).join('; '))}`,
      );
  }
  if (unmapped.length > 0) {
    out.push(
      c.yellow(
        `  ${unmapped.length} implementation name${unmapped.length === 1 ? ' is' : 's are'} not a compat name; importers of ${unmapped.length === 1 ? 'it' : 'them'} cannot be migrated until you map ${unmapped.length === 1 ? 'it' : 'them'} in "names" (legacy name -> compat name):`,
      ),
    );
    for (const u of unmapped) out.push(c.yellow(`    ${u.file}: ${u.symbol}`));
  }
  for (const p of parseErrors)
    out.push(
      c.yellow(`  warning: parse error ${toPosix(path.relative(root, p.file))}:${p.line}:${p.column}: ${p.message}`),
    );
  for (const s of project.skipped)
    out.push(c.yellow(`  warning: skipped ${toPosix(path.relative(root, s.file))}: ${s.reason}`));
  if (flags.dryRun) {
    out.push('', c.bold(`--dry-run: would write ${configFile}:`), text.trimEnd());
  } else {
    writeFileAtomic(configFile, text, { createDirs: true, removeLeftovers: true });
    out.push('', c.green(`wrote ${configFile}`));
  }
  out.push(...NEXT_STEPS);
  process.stdout.write(out.join('\n') + '\n');
  return EXIT_OK;
}
