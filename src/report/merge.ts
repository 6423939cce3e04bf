import { readFileSync } from 'node:fs';
import type { JsonSchema } from '../core/config/schema.js';
import { validateAgainstSchema } from '../core/config/validate.js';
import { derive, sortFindings } from './derive.js';
import { REPORT_SCHEMA_VERSION, type Report } from './types.js';
import { UsageError } from '../shared/errors.js';
import { packageFileUrl } from '../shared/version.js';

/** Shards that cannot be combined into one report. The CLI exits 2 with the message. */
class MergeError extends UsageError {}

export const REPORT_SCHEMA_FILE = 'schema/ssot.report.schema.json';
let reportSchema: JsonSchema | undefined;

/** Where `value` departs from the shipped report schema (empty when it is a valid JSON report). */
export function reportShapeViolations(value: unknown): string[] {
  reportSchema ??= JSON.parse(readFileSync(packageFileUrl(REPORT_SCHEMA_FILE), 'utf8')) as JsonSchema;
  return validateAgainstSchema(value, reportSchema).map((v) => `${v.path}: ${v.message}`);
}

/**
 * Combines the JSON reports of `ssot report --shard i/n` (every i from 1 to n, once) into the
 * report a single run would have written: the findings are concatenated, put in canonical order,
 * and every number is derived again from them. Only `timing` differs from a single run.
 */
export function mergeReports(parts: readonly { name: string; report: Report }[]): Report {
  if (parts.length === 0) throw new MergeError('--merge needs at least one report');
  const first = parts[0]!.report;
  for (const { name, report } of parts) {
    if (!report || typeof report !== 'object' || report.schemaVersion !== REPORT_SCHEMA_VERSION) {
      throw new MergeError(`${name}: not an ssot JSON report of schemaVersion ${REPORT_SCHEMA_VERSION}`);
    }
    // Everything below reads the report's fields: check its whole shape first.
    const violations = reportShapeViolations(report);
    if (violations.length > 0) {
      const shown = violations
        .slice(0, 5)
        .map((v) => `  ${v}`)
        .join('\n');
      const more = violations.length > 5 ? `\n  ... and ${violations.length - 5} more` : '';
      throw new MergeError(`${name}: not a valid ssot JSON report (${REPORT_SCHEMA_FILE}):\n${shown}${more}`);
    }
    if (!report.scope.shard) throw new MergeError(`${name}: not a shard (written without --shard i/n)`);
    const same: [string, unknown, unknown][] = [
      ['tool version', report.tool.version, first.tool.version],
      ['config', report.scope.configHash, first.scope.configHash],
      ['shard count', report.scope.shard.count, first.scope.shard?.count],
      ['paths', report.scope.paths.join('\n'), first.scope.paths.join('\n')],
      ['--changed-since', report.scope.changedSince, first.scope.changedSince],
      ['files in scope', report.files.inScope, first.files.inScope],
    ];
    for (const [what, a, b] of same)
      if (a !== b)
        throw new MergeError(`${name}: ${what} differs from ${parts[0]!.name} (${String(a)} vs ${String(b)})`);
  }
  const count = first.scope.shard!.count;
  const seen = new Map<number, string>();
  for (const { name, report } of parts) {
    const i = report.scope.shard!.index;
    if (seen.has(i)) throw new MergeError(`shard ${i}/${count} given twice: ${seen.get(i)} and ${name}`);
    seen.set(i, name);
  }
  const absent = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (absent.length > 0)
    throw new MergeError(
      `missing shard${absent.length > 1 ? 's' : ''} ${absent.map((i) => `${i}/${count}`).join(', ')}`,
    );

  const merged: Report = structuredClone(first);
  merged.scope.shard = null;
  merged.scope.partial = merged.scope.paths.length > 0 || merged.scope.changedSince !== null;
  merged.files = { ...first.files, scanned: 0, parsed: 0, prefilterEmpty: 0, skipped: [], parseErrors: [] };
  for (const c of merged.concepts) {
    c.duplicates = [];
    c.legacySites = [];
    c.nonConceptLegacySites = [];
    c.internalLegacySites = [];
    c.transitionSites = [];
    c.canonicalSites = [];
  }
  for (const { name, report } of parts) {
    merged.files.scanned += report.files.scanned;
    merged.files.parsed += report.files.parsed;
    merged.files.prefilterEmpty += report.files.prefilterEmpty;
    merged.files.skipped.push(...report.files.skipped);
    merged.files.parseErrors.push(...report.files.parseErrors);
    for (const c of report.concepts) {
      const target = merged.concepts.find((m) => m.id === c.id);
      if (!target) throw new MergeError(`${name}: concept ${c.id} is not in ${parts[0]!.name}`);
      target.duplicates.push(...c.duplicates);
      target.legacySites.push(...c.legacySites);
      target.nonConceptLegacySites.push(...c.nonConceptLegacySites);
      target.internalLegacySites.push(...c.internalLegacySites);
      target.transitionSites.push(...c.transitionSites);
      target.canonicalSites.push(...c.canonicalSites);
    }
  }
  const timings = parts.map((p) => p.report.timing).filter((t) => t !== undefined);
  if (timings.length > 0) {
    merged.timing = {
      totalMs: Math.max(...timings.map((t) => t.totalMs)),
      analyseMs: Math.max(...timings.map((t) => t.analyseMs)),
      jobs: timings[0]!.jobs,
      cacheHits: timings.reduce((n, t) => n + t.cacheHits, 0),
      cacheMisses: timings.reduce((n, t) => n + t.cacheMisses, 0),
      analysedFiles: timings.reduce((n, t) => n + t.analysedFiles, 0),
    };
  } else delete merged.timing;
  sortFindings(merged);
  return derive(merged);
}
