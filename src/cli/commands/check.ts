import * as path from 'node:path';
import type { Command } from 'commander';
import { gitPrefix } from '../../engine/collect.js';
import { compareWithBaseline, entryOf, readBaseline, serializeBaseline, type BaselineEntry, type Comparison } from '../../report/baseline.js';
import { violations } from '../../report/derive.js';
import { ghData, ghProperty } from '../../report/formatters/ci.js';
import { runReport } from '../../report/run.js';
import type { Report } from '../../report/types.js';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.js';
import { writeFileAtomic } from '../../shared/atomic-write.js';
import { UsageError } from '../../shared/errors.js';
import { colors, createProgress, plural, useColor } from '../../shared/terminal.js';
import { parseChoice, parseInteger } from '../options.js';
import { runCommand } from '../run-command.js';

interface CheckFlags {
  config?: string;
  baseline?: string;
  updateBaseline?: boolean;
  prune?: boolean;
  maxNew?: string;
  stale: string;
  format: string;
  jobs?: string;
  cache?: boolean;
  cacheLocation?: string;
}

type StalePolicy = 'error' | 'warn' | 'off';

interface Outcome {
  report: Report;
  baselineFile: string;
  baselineFound: boolean;
  comparison: Comparison;
  maxNew: number;
  stale: StalePolicy;
  exitCode: number;
  wrote?: { entries: number; added: number; removed: number };
}

function summaryLine(o: Outcome): string {
  const c = o.comparison;
  return `${c.known.length} known, ${c.added.length} new, ${c.fixed.length} fixed since the baseline`;
}

function formatText(o: Outcome, color: boolean): string {
  const c = colors(color);
  const out: string[] = [];
  const rel = path.relative(process.cwd(), o.baselineFile) || o.baselineFile;
  if (!o.baselineFound && !o.wrote) out.push(c.yellow(`no baseline at ${rel}: every violation counts as new (write one with: ssot check --update-baseline)`));
  out.push(c.bold(`ssot check: ${summaryLine(o)}`) + c.dim(` (${rel})`));
  if (o.comparison.added.length > 0) {
    out.push('', c.bold(`New violations (${o.comparison.added.length})${o.maxNew > 0 ? `, ${o.maxNew} allowed by --max-new` : ''}:`));
    for (const v of o.comparison.added) out.push(`  ${c.cyan(`${v.file}:${v.line}:${v.column}`)}  ${c.red(`ssot/${v.rule}`)}  ${v.message}`);
  }
  if (o.comparison.fixed.length > 0 && o.stale !== 'off') {
    const paint = o.stale === 'error' ? c.red : c.yellow;
    out.push('', paint(`Fixed since the baseline (${o.comparison.fixed.length} stale ${o.comparison.fixed.length === 1 ? 'entry' : 'entries'}${o.stale === 'error' ? ', an error with --stale error' : ''}; remove with --prune):`));
    for (const e of o.comparison.fixed) out.push(`  ${e.file}  ${e.rule}  ${e.symbol}  ${c.dim(e.fingerprint.slice(0, 12))}`);
  }
  for (const p of o.report.files.parseErrors) out.push(c.yellow(`warning: parse error ${p.file}:${p.line}:${p.column}: ${p.message}`));
  for (const s of o.report.files.skipped) out.push(c.yellow(`warning: skipped ${s.file}: ${s.reason}`));
  if (o.wrote) out.push('', c.green(`wrote ${rel}: ${plural(o.wrote.entries, 'entry', 'entries')} (${o.wrote.added} added, ${o.wrote.removed} removed)`));
  out.push('', o.exitCode === EXIT_OK ? c.green('passed') : c.red('failed'));
  return out.join('\n') + '\n';
}

function formatJson(o: Outcome): string {
  return (
    JSON.stringify(
      {
        schemaVersion: 1,
        baseline: o.baselineFile,
        baselineFound: o.baselineFound,
        known: o.comparison.known.length,
        new: o.comparison.added,
        fixed: o.comparison.fixed,
        maxNew: o.maxNew,
        stale: o.stale,
        parseErrors: o.report.files.parseErrors,
        skipped: o.report.files.skipped,
        ...(o.wrote ? { wrote: o.wrote } : {}),
        exitCode: o.exitCode,
      },
      null,
      2,
    ) + '\n'
  );
}

function formatGithub(o: Outcome, prefix = ''): string {
  const lines: string[] = [];
  for (const v of o.comparison.added) {
    lines.push(`::error file=${ghProperty(prefix + v.file)},line=${v.line},col=${v.column},title=${ghProperty(`ssot/${v.rule} (new)`)}::${ghData(v.message)}`);
  }
  if (o.stale !== 'off') {
    for (const e of o.comparison.fixed) {
      lines.push(`::${o.stale === 'error' ? 'error' : 'warning'} file=${ghProperty(prefix + e.file)},title=ssot stale baseline entry::${ghData(`${e.rule} ${e.symbol} is in the baseline but no longer found; run ssot check --prune`)}`);
    }
  }
  for (const p of o.report.files.parseErrors) lines.push(`::warning file=${ghProperty(prefix + p.file)},line=${p.line},col=${p.column},title=ssot parse error::${ghData(p.message)}`);
  lines.push(`::notice title=ssot check::${ghData(summaryLine(o))}`);
  return lines.join('\n') + '\n';
}

async function checkAction(flags: CheckFlags): Promise<number> {
  const format = parseChoice('--format', flags.format, ['text', 'json', 'github'] as const);
  const stale: StalePolicy = parseChoice('--stale', flags.stale, ['error', 'warn', 'off'] as const);
  if (flags.updateBaseline && flags.prune) throw new UsageError('--update-baseline already removes fixed entries; use one of --update-baseline and --prune');
  const maxNew = parseInteger('--max-new', flags.maxNew, 0) ?? 0;
  const jobs = parseInteger('--jobs', flags.jobs, 1);

  const progress = createProgress('ssot check');
  let report: Report;
  try {
    ({ report } = await runReport({
      ...(flags.config !== undefined ? { configPath: flags.config } : {}),
      ...(jobs !== undefined ? { jobs } : {}),
      ...(flags.cache || flags.cacheLocation ? { cache: true } : {}),
      ...(flags.cacheLocation !== undefined ? { cacheLocation: flags.cacheLocation } : {}),
      onProgress: (d, t) => progress.update(d, t),
    }));
  } finally {
    progress.finish();
  }
  const configDir = report.scope.root;
  const baselineFile = flags.baseline ? path.resolve(flags.baseline) : path.join(configDir, 'ssot-baseline.json');
  const baseline = readBaseline(baselineFile);
  const current = violations(report);
  const comparison = compareWithBaseline(current, baseline ?? []);
  const outcome: Outcome = { report, baselineFile, baselineFound: baseline !== undefined, comparison, maxNew, stale, exitCode: EXIT_OK };

  if (flags.updateBaseline) {
    const entries = current.map(entryOf);
    writeFileAtomic(baselineFile, serializeBaseline(entries), { createDirs: true, removeLeftovers: true });
    outcome.wrote = { entries: entries.length, added: comparison.added.length, removed: comparison.fixed.length };
    outcome.exitCode = EXIT_OK;
  } else {
    if (flags.prune && baseline) {
      // Keep what is still found; drop the fixed entries; never add new ones.
      const kept = comparison.known.map(entryOf);
      writeFileAtomic(baselineFile, serializeBaseline(kept), { createDirs: true, removeLeftovers: true });
      outcome.wrote = { entries: kept.length, added: 0, removed: comparison.fixed.length };
    }
    const tooMany = comparison.added.length > maxNew;
    const staleFails = stale === 'error' && comparison.fixed.length > 0 && !flags.prune;
    outcome.exitCode = tooMany || staleFails ? EXIT_FINDINGS : EXIT_OK;
  }

  const color = format === 'text' && useColor(process.stdout);
  process.stdout.write(format === 'json' ? formatJson(outcome) : format === 'github' ? formatGithub(outcome, gitPrefix(report.scope.root) ?? '') : formatText(outcome, color));
  return outcome.exitCode;
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .summary('fail on violations that are not in the baseline')
    .description(
      'the CI gate: compare the violations with a baseline; exit 1 on new ones (0 pass, 1 findings, 2 error)',
    )
    .option('--config <path>', 'config file (default: found by walking up from the cwd)')
    .option('--baseline <file>', 'baseline file (default: ssot-baseline.json next to the config)')
    .option('--update-baseline', 'write the current violations as the baseline and pass')
    .option('--prune', 'remove fixed (stale) entries from the baseline; never adds new ones')
    .option('--max-new <n>', 'fail only when there are more than n new violations', '0')
    .option('--stale <policy>', 'baseline entries no longer found: error, warn or off', 'warn')
    .option('--format <format>', 'text, json or github', 'text')
    .option('--jobs <n>', 'worker threads (default: available cores)')
    .option('--cache', 'reuse per-file analyses from the content-hash cache')
    .option('--cache-location <dir>', 'cache folder (implies --cache)')
    .action((flags: CheckFlags) => runCommand(() => checkAction(flags)));
}
