import * as path from 'node:path';
import { gitPrefix } from '../../engine/collect.js';
import {
  compareWithBaseline,
  entryOf,
  readBaseline,
  serializeBaseline,
  type BaselineEntry,
  type Comparison,
} from '../../report/baseline.js';
import { violations } from '../../report/derive.js';
import { ghData, ghProperty } from '../../report/formatters/ci.js';
import { runReport } from '../../report/run.js';
import type { Report } from '../../report/types.js';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.js';
import { writeFileAtomic } from '../../shared/atomic-write.js';
import { UsageError } from '../../shared/errors.js';
import { colors, createProgress, plural, useColor } from '../../shared/terminal.js';
import { parseChoice, parseInteger } from '../options.js';

export interface CheckFlags {
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
  allowSkipped?: boolean;
}

type StalePolicy = 'error' | 'warn' | 'off';

interface Outcome {
  report: Report;
  baselineFile: string;
  baselineFound: boolean;
  comparison: Comparison;
  maxNew: number;
  stale: StalePolicy;
  /** Files in scope that could not be read and so were not checked; they fail the gate unless allowed. */
  skipped: Report['files']['skipped'];
  allowSkipped: boolean;
  exitCode: number;
  wrote?: { entries: number; added: number; removed: number };
}

/** Every count on it is the length of a list the output prints (known, new, fixed, skipped). */
function summaryLine(o: Outcome): string {
  const c = o.comparison;
  const skipped =
    o.skipped.length > 0
      ? `; ${plural(o.skipped.length, 'file')} not read${o.allowSkipped ? ' (allowed by --allow-skipped)' : ''}`
      : '';
  return `${c.known.length} known, ${c.added.length} new, ${c.fixed.length} fixed since the baseline${skipped}`;
}

function formatText(o: Outcome, color: boolean): string {
  const c = colors(color);
  const out: string[] = [];
  const rel = path.relative(process.cwd(), o.baselineFile) || o.baselineFile;
  if (!o.baselineFound && !o.wrote)
    out.push(
      c.yellow(`no baseline at ${rel}: every violation counts as new (write one with: ssot check --update-baseline)`),
    );
  out.push(c.bold(`ssot check: ${summaryLine(o)}`) + c.dim(` (${rel})`));
  if (o.comparison.added.length > 0) {
    out.push(
      '',
      c.bold(
        `New violations (${o.comparison.added.length})${o.maxNew > 0 ? `, ${o.maxNew} allowed by --max-new` : ''}:`,
      ),
    );
    for (const v of o.comparison.added)
      out.push(`  ${c.cyan(`${v.file}:${v.line}:${v.column}`)}  ${c.red(`ssot/${v.rule}`)}  ${v.message}`);
  }
  if (o.comparison.known.length > 0) {
    out.push('', c.bold(`Known violations, in the baseline (${o.comparison.known.length}):`));
    for (const v of o.comparison.known)
      out.push(c.dim(`  ${v.file}:${v.line}:${v.column}  ssot/${v.rule}  ${v.symbol}`));
  }
  if (o.comparison.fixed.length > 0) {
    const paint = o.stale === 'error' ? c.red : o.stale === 'warn' ? c.yellow : c.dim;
    const policy =
      o.stale === 'error' ? ', an error with --stale error' : o.stale === 'off' ? ', ignored with --stale off' : '';
    out.push(
      '',
      paint(
        `Fixed since the baseline (${o.comparison.fixed.length} stale ${o.comparison.fixed.length === 1 ? 'entry' : 'entries'}${policy}; remove with --prune):`,
      ),
    );
    for (const e of o.comparison.fixed)
      out.push(`  ${e.file}  ${e.rule}  ${e.symbol}  ${c.dim(e.fingerprint.slice(0, 12))}`);
  }
  if (o.skipped.length > 0) {
    const paint = o.allowSkipped ? c.yellow : c.red;
    out.push(
      '',
      paint(
        `Not checked: ${plural(o.skipped.length, 'file')} in scope could not be read (${o.allowSkipped ? 'allowed by --allow-skipped' : 'the gate fails; exclude them in the config, or pass --allow-skipped'}):`,
      ),
    );
    for (const s of o.skipped) out.push(paint(`  ${s.file}: ${s.reason}`));
  }
  if (o.report.files.parseErrors.length > 0) out.push('');
  for (const p of o.report.files.parseErrors)
    out.push(c.yellow(`warning: parse error ${p.file}:${p.line}:${p.column}: ${p.message}`));
  if (o.wrote)
    out.push(
      '',
      c.green(
        `wrote ${rel}: ${plural(o.wrote.entries, 'entry', 'entries')} (${o.wrote.added} added, ${o.wrote.removed} removed)`,
      ),
    );
  out.push('', o.exitCode === EXIT_OK ? c.green('passed') : c.red('failed'));
  return out.join('\n') + '\n';
}

function formatJson(o: Outcome): string {
  return (
    JSON.stringify(
      {
        schemaVersion: 2,
        baseline: o.baselineFile,
        baselineFound: o.baselineFound,
        known: o.comparison.known,
        new: o.comparison.added,
        fixed: o.comparison.fixed,
        maxNew: o.maxNew,
        stale: o.stale,
        parseErrors: o.report.files.parseErrors,
        skipped: o.skipped,
        allowSkipped: o.allowSkipped,
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
    lines.push(
      `::error file=${ghProperty(prefix + v.file)},line=${v.line},col=${v.column},title=${ghProperty(`ssot/${v.rule} (new)`)}::${ghData(v.message)}`,
    );
  }
  for (const e of o.comparison.fixed) {
    const message = ghData(`${e.rule} ${e.symbol} is in the baseline but no longer found; run ssot check --prune`);
    if (o.stale === 'off') lines.push(`::debug::${ghData(`stale ${prefix + e.file} `)}${message}`);
    else
      lines.push(
        `::${o.stale === 'error' ? 'error' : 'warning'} file=${ghProperty(prefix + e.file)},title=ssot stale baseline entry::${message}`,
      );
  }
  for (const p of o.report.files.parseErrors)
    lines.push(
      `::warning file=${ghProperty(prefix + p.file)},line=${p.line},col=${p.column},title=ssot parse error::${ghData(p.message)}`,
    );
  for (const s of o.skipped)
    lines.push(
      `::${o.allowSkipped ? 'warning' : 'error'} file=${ghProperty(prefix + s.file)},title=ssot file not read::${ghData(s.reason)}`,
    );
  // Known violations are listed too (as debug lines, shown with step debug logging), so the
  // summary's every count is a count of lines above it.
  for (const v of o.comparison.known)
    lines.push(`::debug::${ghData(`known ${prefix + v.file}:${v.line}:${v.column} ssot/${v.rule} ${v.symbol}`)}`);
  lines.push(`::notice title=ssot check::${ghData(summaryLine(o))}`);
  return lines.join('\n') + '\n';
}

export async function checkAction(flags: CheckFlags): Promise<number> {
  const format = parseChoice('--format', flags.format, ['text', 'json', 'github'] as const);
  const stale: StalePolicy = parseChoice('--stale', flags.stale, ['error', 'warn', 'off'] as const);
  if (flags.updateBaseline && flags.prune)
    throw new UsageError('--update-baseline already removes fixed entries; use one of --update-baseline and --prune');
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
  const skipped = report.files.skipped;
  const allowSkipped = Boolean(flags.allowSkipped);
  const outcome: Outcome = {
    report,
    baselineFile,
    baselineFound: baseline !== undefined,
    comparison,
    maxNew,
    stale,
    skipped,
    allowSkipped,
    exitCode: EXIT_OK,
  };

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
    // The gate never passes over what it could not read: an unread file may hold any violation.
    const unread = skipped.length > 0 && !allowSkipped;
    outcome.exitCode = tooMany || staleFails || unread ? EXIT_FINDINGS : EXIT_OK;
  }

  const color = format === 'text' && useColor(process.stdout);
  process.stdout.write(
    format === 'json'
      ? formatJson(outcome)
      : format === 'github'
        ? formatGithub(outcome, gitPrefix(report.scope.root) ?? '')
        : formatText(outcome, color),
  );
  return outcome.exitCode;
}

// The output formats, for tests that hold every printed count to the lines printed.
export {
  formatText as formatCheckText,
  formatJson as formatCheckJson,
  formatGithub as formatCheckGithub,
  type Outcome as CheckOutcome,
};
