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
import { capList } from '../../src/shared/terminal.js';

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

/**
 * " (A as B; C has no replacement)" for the names of a site whose mapping is not 1:1, from the
 * core's mapping of the site (`target.mapsTo`); long lists are capped (one line per message).
 */
export function namesNote(site: ClassifiedSite): string {
  const mapsTo = site.target.kind === 'legacy' ? site.target.mapsTo : [];
  const renamed: string[] = [];
  const staying: string[] = [];
  site.names.forEach((n, i) => {
    if (n.imported === '*') return;
    const mapped = mapsTo[i] ?? null;
    if (mapped === null) staying.push(n.imported);
    else if (mapped !== n.imported) renamed.push(`${n.imported} as ${mapped}`);
  });
  const parts: string[] = [];
  if (renamed.length > 0) parts.push(capList(renamed));
  if (staying.length > 0) parts.push(`${capList(staying)} ${staying.length === 1 ? 'has' : 'have'} no replacement`);
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

export function customNote(legacy: ResolvedLegacyModule): string {
  return legacy.message ? ` ${legacy.message}` : '';
}
