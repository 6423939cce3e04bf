import type {
  AnalysisContext,
  ClassifiedSite,
  ImportForm,
  ResolvedConcept,
  ResolvedLegacyModule,
} from '../../src/core/index.js';
import { core } from './core.js';
import * as path from 'node:path';
import { NO_REPLACEMENT_PREFIX } from './options.js';

/** How each import form is named in messages. */
export const FORM_LABELS: Readonly<Record<ImportForm, string>> = {
  import: 'Import',
  'import-type': 'Type import',
  'side-effect': 'Side-effect import',
  'export-from': 'Re-export',
  'export-all': 'Re-export (export *)',
  'export-all-as': 'Re-export (export * as)',
  'import-equals': 'import = require()',
  require: 'require()',
  'dynamic-import': 'Dynamic import()',
  'import-type-query': "import('…') type",
  mock: 'Mock',
};

export interface LegacySiteInfo {
  concept: ResolvedConcept;
  legacy: ResolvedLegacyModule;
  /** The replacement module as a user writes it (package specifier or root-relative path). */
  replacement: string | undefined;
}

/** Concept and legacy module of a legacy site, and where it should point instead. */
export function legacySiteInfo(ctx: AnalysisContext, site: ClassifiedSite): LegacySiteInfo | undefined {
  if (site.target.kind !== 'legacy') return undefined;
  const { conceptId, legacyIndex } = site.target;
  const concept = ctx.config.concepts.find((c) => c.id === conceptId);
  const legacy = concept?.legacy[legacyIndex];
  if (!concept || !legacy) return undefined;
  if (concept.id.startsWith(NO_REPLACEMENT_PREFIX)) return { concept, legacy, replacement: undefined };
  const { siteMigrationTarget, toPosix } = core();
  const target = siteMigrationTarget(concept, legacy, site.specifier);
  const replacement = target.isPath ? toPosix(path.relative(ctx.config.rootDir, target.module)) : target.module;
  return { concept, legacy, replacement };
}

/** " (A as B; C stays on the legacy module)" for the names of a site whose mapping is not 1:1. */
export function namesNote(ctx: AnalysisContext, info: LegacySiteInfo, site: ClassifiedSite): string {
  const renamed: string[] = [];
  const staying: string[] = [];
  for (const n of site.names) {
    if (n.imported === '*') continue;
    // The planner's mapping (a default import of `export default X` maps like X): the message and the fix agree.
    const mapped = core().mapSiteName(ctx, site, info.concept, info.legacy, n.imported);
    if (!mapped) staying.push(n.imported);
    else if (mapped.name !== n.imported) renamed.push(`${n.imported} as ${mapped.name}`);
  }
  const parts: string[] = [];
  if (renamed.length > 0) parts.push(renamed.join(', '));
  if (staying.length > 0) parts.push(`${staying.join(', ')} ${staying.length === 1 ? 'has' : 'have'} no replacement`);
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

export function customNote(legacy: ResolvedLegacyModule): string {
  return legacy.message ? ` ${legacy.message}` : '';
}
