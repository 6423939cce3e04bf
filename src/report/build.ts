import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { toPosix } from '../shared/paths.js';
import type { ResolvedConcept, ResolvedConfig } from '../core/config/types.js';
import { describeSignal } from '../core/detect.js';
import { fingerprint } from '../core/fingerprint.js';
import { canonicalReplacement, noCounterpartReason, siteMigrationTarget } from '../core/mapping.js';
import { fingerprintRuleName, legacySiteRule, type RuleId } from '../core/findings.js';
import type { ClassifiedSite } from '../core/types.js';
import type { FileRecord } from '../engine/report-worker.js';
import { derive, sortFindings } from './derive.js';
import {
  REPORT_SCHEMA_VERSION,
  RULES,
  type CanonicalSiteItem,
  type ConceptReport,
  type DuplicateItem,
  type FileSummary,
  type LegacySiteItem,
  type Report,
  type ReportScope,
  type Timing,
} from './types.js';

/** Forms that bring in the whole module rather than named bindings. */
const WHOLE_MODULE_FORMS = new Set(['side-effect', 'export-all', 'dynamic-import', 'mock']);

export interface BuildInput {
  config: ResolvedConfig;
  toolVersion: string;
  records: readonly FileRecord[];
  inScope: number;
  missingPaths: readonly string[];
  paths: readonly string[];
  changedSince?: string | undefined;
  shard?: { index: number; count: number } | undefined;
  timing?: Timing;
}

function hashConfig(config: ResolvedConfig): string {
  const { rootDir, configPath, ...rest } = config;
  const relative = JSON.stringify(rest, (_key, value: unknown) =>
    typeof value === 'string' && path.isAbsolute(value) ? toPosix(path.relative(rootDir, value)) : value,
  );
  void configPath;
  return createHash('sha256').update(relative).digest('hex').slice(0, 16);
}

function rel(config: ResolvedConfig, file: string): string {
  return toPosix(path.relative(config.rootDir, file));
}

/** The fingerprint of a legacy import site (the duplicate detector makes its own). */
function legacySiteFingerprint(rule: RuleId, conceptId: string, file: string, symbol: string, code: string): string {
  return fingerprint({ rule: fingerprintRuleName(rule), conceptId, file, symbol, code });
}

/** The report's item for a legacy site: every decision (module, concept use, mapping, rule) is the core's. */
function legacyItem(
  config: ResolvedConfig,
  concept: ResolvedConcept,
  site: ClassifiedSite,
  code: string,
): LegacySiteItem {
  const target = site.target;
  if (target.kind !== 'legacy') throw new Error('not a legacy site');
  const legacy = concept.legacy[target.legacyIndex]!;
  // A subpath entry's site moves to the same subpath of the target.
  const moveTo = siteMigrationTarget(concept, legacy, site.specifier);
  const targetModule = moveTo.isPath ? rel(config, moveTo.module) : moveTo.module;
  const names = site.names.map((n, i) => {
    const mapped = target.mapsTo[i] ?? null;
    const instance = target.instances[i] ?? null;
    return {
      imported: n.imported,
      local: n.local,
      typeOnly: n.isTypeOnly,
      mapsTo: mapped === null ? null : `${targetModule}#${mapped}`,
      instanceOf:
        instance === null
          ? null
          : {
              className: instance.className,
              declaredAt: `${rel(config, instance.file)}:${instance.line}`,
              reason: noCounterpartReason(concept, config.rootDir, n.imported, instance),
            },
    };
  });
  const wholeModule =
    WHOLE_MODULE_FORMS.has(site.form) || site.names.length === 0 || site.names.some((n) => n.imported === '*');
  const rule = legacySiteRule(target);
  const file = rel(config, site.file);
  const symbol = site.names.length > 0 ? site.names.map((n) => n.imported).join(',') : site.specifier;
  return {
    file,
    line: site.line,
    column: site.column,
    module: legacy.module,
    specifier: site.specifier,
    form: site.form,
    typeOnly: site.typeOnly,
    wholeModule,
    names,
    missing: target.missing,
    internal: target.internal && !target.missing,
    transition: target.transition && !target.missing,
    concept: target.concept,
    rule,
    code,
    fingerprint: legacySiteFingerprint(rule ?? RULES.legacy, concept.id, file, symbol, code),
  };
}

/** Turns the core's per-file analyses into the report: findings listed, then everything derived from them. */
export function buildReport(input: BuildInput): Report {
  const { config } = input;
  const concepts = new Map<string, ConceptReport>();
  for (const concept of config.concepts) {
    concepts.set(concept.id, {
      id: concept.id,
      description: concept.description ?? null,
      canonical: {
        module: concept.canonical.module,
        path: concept.canonical.path ? rel(config, concept.canonical.path) : null,
        files: [...concept.canonical.files],
        names: [...concept.canonical.names],
      },
      compat: concept.compat
        ? { module: concept.compat.module, replacements: { ...concept.compat.replacements } }
        : null,
      legacyModules: concept.legacy.map((l) => ({
        module: l.module,
        kind: l.kind,
        path: l.path ? rel(config, l.path) : null,
        exists: l.exists,
      })),
      duplicates: [],
      legacySites: [],
      nonConceptLegacySites: [],
      internalLegacySites: [],
      transitionSites: [],
      canonicalSites: [],
      // Filled by derive().
      summary: undefined as unknown as ConceptReport['summary'],
      compliant: false,
    });
  }
  const conceptById = new Map(config.concepts.map((c) => [c.id, c]));
  const files: FileSummary = {
    inScope: input.inScope,
    scanned: 0,
    parsed: 0,
    prefilterEmpty: 0,
    skipped: [],
    parseErrors: [],
    missingPaths: input.missingPaths.map((p) => toPosix(path.relative(config.rootDir, p))),
  };

  for (const record of input.records) {
    const file = rel(config, record.file);
    if (!record.analysis) {
      files.skipped.push({ file, reason: record.skipped ?? 'unknown' });
      continue;
    }
    const a = record.analysis;
    files.scanned++;
    if (a.parsed) files.parsed++;
    else files.prefilterEmpty++;
    for (const p of a.parseErrors) files.parseErrors.push({ file, line: p.line, column: p.column, message: p.message });
    for (const d of a.duplicates) {
      const item: DuplicateItem = {
        file,
        line: d.line,
        column: d.column,
        symbol: d.symbol,
        declarationKind: d.declarationKind,
        evidence: d.signals.map(describeSignal),
        signals: d.signals,
        fingerprint: d.fingerprint,
      };
      concepts.get(d.conceptId)?.duplicates.push(item);
    }
    a.sites.forEach((site, i) => {
      const target = site.target;
      if (target.kind === 'other') return;
      const report = concepts.get(target.conceptId);
      const concept = conceptById.get(target.conceptId);
      if (!report || !concept) return;
      if (target.kind === 'legacy') {
        const item = legacyItem(config, concept, site, record.code?.[i] ?? '');
        const list = item.transition
          ? report.transitionSites
          : item.internal
            ? report.internalLegacySites
            : item.concept
              ? report.legacySites
              : report.nonConceptLegacySites;
        list.push(item);
        return;
      }
      const canonical: CanonicalSiteItem = {
        file,
        line: site.line,
        column: site.column,
        specifier: site.specifier,
        form: site.form,
        compat: target.compat,
        names: target.compat
          ? site.names.map((n) => ({
              imported: n.imported,
              replacement: canonicalReplacement(concept, n.imported) ?? null,
            }))
          : site.names.map((n) => ({ imported: n.imported, replacement: null })),
      };
      report.canonicalSites.push(canonical);
    });
  }

  const scope: ReportScope = {
    root: config.rootDir,
    config: config.configPath ? toPosix(path.relative(config.rootDir, config.configPath)) : null,
    configHash: hashConfig(config),
    include: [...config.include],
    exclude: [...config.exclude],
    tsconfig: config.tsconfig ? rel(config, config.tsconfig) : null,
    paths: input.paths.map((p) => rel(config, path.resolve(p))).sort(),
    changedSince: input.changedSince ?? null,
    shard: input.shard ?? null,
    partial: input.paths.length > 0 || input.changedSince !== undefined || input.shard !== undefined,
  };
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'ssot-kit', version: input.toolVersion },
    scope,
    files,
    concepts: [...concepts.values()],
    totals: undefined as unknown as Report['totals'],
    verdict: 'not-compliant',
    ...(input.timing ? { timing: input.timing } : {}),
  };
  sortFindings(report);
  return derive(report);
}
