/**
 * The report model: what `ssot report` knows, as data. Every formatter renders this and nothing
 * else; every count in it is derived (src/report/derive.ts) from the lists it carries, so a
 * reader can check each number against the findings, and shards can be merged by concatenating
 * the lists and deriving again. Serialised as-is by `--format json` (schema/ssot.report.schema.json).
 */
import type { DeclarationKind, DuplicateSignal, ImportForm } from '../core/types.js';

/** 2: transition sites listed, broken imports under the rule id `no-missing-legacy-module`. */
export const REPORT_SCHEMA_VERSION = 2;

/** Rule ids shared by SARIF, JUnit, GitHub annotations, the baseline and the ESLint plugin (one vocabulary, in the core). */
export { RULES, type RuleId } from '../core/findings.js';
import type { RuleId } from '../core/findings.js';

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'ssot-kit'; version: string };
  scope: ReportScope;
  files: FileSummary;
  concepts: ConceptReport[];
  totals: Totals;
  /**
   * compliant: every concept is; not-compliant: some concept is not; incomplete: no violation
   * found, but some file in scope could not be read (`files.skipped`), so nothing is claimed.
   */
  verdict: 'compliant' | 'not-compliant' | 'incomplete';
  /** Wall-clock facts of this run; the only part of a report that differs between identical runs. */
  timing?: Timing;
}

export interface ReportScope {
  /** Absolute project root (the config file's folder). */
  root: string;
  /** Config file, relative to the root (posix), or null for inline options. */
  config: string | null;
  /** Hash of the resolved config: shards must agree on it to be merged. */
  configHash: string;
  include: string[];
  exclude: string[];
  tsconfig: string | null;
  /** Paths named on the command line, relative to the root; empty for the whole project. */
  paths: string[];
  changedSince: string | null;
  /** Set on one shard's report; null on a whole or merged report. */
  shard: { index: number; count: number } | null;
  /** True when not every file in scope was analysed (paths, --changed-since or one shard). */
  partial: boolean;
}

export interface FileSummary {
  /** Files the scope lists (include/exclude/.gitignore/paths), before --changed-since and --shard. */
  inScope: number;
  /** Files read and analysed by this report. */
  scanned: number;
  /** Of `scanned`: parsed with TypeScript's parser. */
  parsed: number;
  /** Of `scanned`: proven by the text prefilter to hold no finding (read, not parsed). */
  prefilterEmpty: number;
  /** Files in scope that could not be read, with the reason. */
  skipped: { file: string; reason: string }[];
  /** Syntax errors, with position. The file is still analysed as far as the parser recovered. */
  parseErrors: { file: string; line: number; column: number; message: string }[];
  /** Paths named on the command line that do not exist. */
  missingPaths: string[];
}

export interface DuplicateItem {
  file: string;
  line: number;
  column: number;
  symbol: string;
  declarationKind: DeclarationKind;
  /** One line per signal (describeSignal). */
  evidence: string[];
  signals: DuplicateSignal[];
  fingerprint: string;
}

export interface LegacyName {
  imported: string;
  local: string;
  typeOnly: boolean;
  /** Where mapLegacyName sends it ("module#name"), or null: not part of the concept. */
  mapsTo: string | null;
  /**
   * Set when the name is an exported instance of one of the concept's legacy classes (the core's
   * siteNameUse): a concept use with no counterpart in the migration target. `reason` is the
   * core's wording (noCounterpartReason), the same in the ESLint message and migrate's refusal.
   */
  instanceOf: { className: string; declaredAt: string; reason: string } | null;
}

export interface LegacySiteItem {
  file: string;
  line: number;
  column: number;
  /** The legacy module as configured. */
  module: string;
  specifier: string;
  form: ImportForm;
  typeOnly: boolean;
  /** True for whole-module forms (namespace, export *, side-effect, require, dynamic import, mock). */
  wholeModule: boolean;
  names: LegacyName[];
  /** True when the legacy module no longer exists: the import is broken. */
  missing: boolean;
  /** True when the importing file is itself a legacy module: it goes with the module, nothing to migrate. */
  internal: boolean;
  /** True when the importing file is the canonical module or its compat layer re-exporting this legacy module (a transition). */
  transition: boolean;
  /** True when the site uses the concept (a concept name or the whole module): something to migrate. */
  concept: boolean;
  /** The rule this site breaks (legacySiteRule): no-missing-legacy-module, no-legacy-import, or null. */
  rule: RuleId | null;
  /** The import statement as written. */
  code: string;
  fingerprint: string;
}

export interface CanonicalSiteItem {
  file: string;
  line: number;
  column: number;
  specifier: string;
  form: ImportForm;
  /** True when it imports the compat layer (stage 1 done, stage 2 to go). */
  compat: boolean;
  /** For compat sites: each name and its canonical replacement (canonicalReplacement), if any. */
  names: { imported: string; replacement: string | null }[];
}

export interface LegacyModuleItem {
  module: string;
  kind: 'path' | 'package';
  /** Repo-relative path for kind 'path'. */
  path: string | null;
  exists: boolean;
}

export interface ConceptReport {
  id: string;
  description: string | null;
  canonical: { module: string; path: string | null; files: string[]; names: string[] };
  compat: { module: string; replacements: Record<string, string> } | null;
  legacyModules: LegacyModuleItem[];
  /** Findings: the lists every number below is derived from. */
  duplicates: DuplicateItem[];
  /** Sites on legacy modules with something to migrate (at least one concept name, or a whole-module form). */
  legacySites: LegacySiteItem[];
  /** Sites on legacy modules whose names are all outside the concept: nothing to migrate, but they block deletion. */
  nonConceptLegacySites: LegacySiteItem[];
  /**
   * Sites inside legacy modules that import other legacy modules (the implementation being
   * retired, not a consumer): not counted as legacy sites, but they tie modules together for deletion.
   */
  internalLegacySites: LegacySiteItem[];
  /**
   * Sites in the canonical module (or a canonical file, or the compat layer) that import a legacy
   * module: the transition state of a consolidation (the new module re-exports the old one).
   * Not violations, nothing to migrate; the legacy module cannot go while one remains.
   */
  transitionSites: LegacySiteItem[];
  canonicalSites: CanonicalSiteItem[];
  summary: ConceptSummary;
  compliant: boolean;
}

export interface ModuleStatus {
  module: string;
  exists: boolean;
  /** Concept sites on it. */
  legacySites: number;
  /** Non-concept sites on it. */
  nonConceptSites: number;
  /** Sites on it from inside other legacy modules (they go when those go). */
  internalSites: number;
  /** Sites on it from the canonical module or the compat layer (a transition re-export). */
  transitionSites: number;
  /**
   * in-use: still imported; safe-to-delete: exists, the scope holds files, and no file in scope
   * imports it (any name, any form) but legacy modules that are safe to delete themselves;
   * deleted: gone and nothing imports it; broken: gone but still imported (every such import
   * is a break). null in a partial report: importers outside the analysed files are unknown.
   */
  status: 'in-use' | 'safe-to-delete' | 'deleted' | 'broken' | null;
}

export interface CompatModuleStatus {
  module: string;
  /** Import sites of the compat layer. */
  sites: number;
  status: 'in-use' | 'pending' | 'safe-to-delete' | null;
}

export interface ConceptSummary {
  /** 1 (the canonical module) + duplicates. */
  implementations: number;
  duplicates: number;
  legacySites: number;
  /**
   * Of the legacy sites, those that take an exported instance of a legacy class: no counterpart
   * in the migration target, so `ssot migrate` refuses them and a person migrates them.
   */
  instanceSites: number;
  nonConceptLegacySites: number;
  internalLegacySites: number;
  transitionSites: number;
  /** Legacy sites (concept or not) whose module no longer exists. */
  missingModuleImports: number;
  canonicalSites: number;
  compatSites: number;
  /** Compat names in use: count and canonical replacement. */
  compatNames: { name: string; count: number; replacement: string | null }[];
  legacyByModule: { module: string; count: number }[];
  legacyByForm: { form: ImportForm; count: number }[];
  modules: ModuleStatus[];
  /** Legacy modules nobody imports any more; null in a partial report. */
  safeToDelete: string[] | null;
  /**
   * The compat layer, between the two stages (legacy -> compat -> canonical); null when the concept
   * has none. `in-use`: compat sites remain (stage 2 to go); `pending`: none, but legacy sites remain
   * that stage 1 moves onto it; `safe-to-delete`: nothing imports it and nothing is left to move onto
   * it. `null` status in a partial report.
   */
  compatModule: CompatModuleStatus | null;
  /** canonicalSites / (canonicalSites + legacySites), 0..1; null when both are 0. */
  progress: number | null;
  /** duplicates + legacy sites on existing modules + missing-module imports. */
  violations: number;
}

export interface Totals {
  concepts: number;
  compliantConcepts: number;
  duplicates: number;
  legacySites: number;
  nonConceptLegacySites: number;
  internalLegacySites: number;
  transitionSites: number;
  missingModuleImports: number;
  canonicalSites: number;
  compatSites: number;
  violations: number;
  parseErrors: number;
  skippedFiles: number;
}

export interface Timing {
  totalMs: number;
  analyseMs: number;
  /** Threads that analysed files (this one and its helpers; helpers join when the work repays them). */
  jobs: number;
  /** Files answered from the cache / analysed in this run (both 0 without --cache). */
  cacheHits: number;
  cacheMisses: number;
  /** Files analysed in this run (cache misses, or every scanned file without a cache). */
  analysedFiles: number;
}

/** One violation, as the gate, SARIF, JUnit and the GitHub annotations see it. */
export interface Violation {
  rule: RuleId;
  conceptId: string;
  file: string;
  line: number;
  column: number;
  symbol: string;
  message: string;
  fingerprint: string;
}
