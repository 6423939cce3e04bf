import type ts from '../typescript.cjs';
import type { AnalysisContext } from '../analyze.js';
import type { ResolvedConcept, ResolvedLegacyModule } from '../config/types.js';
import { mapSiteName as mapSiteNameOf, noCounterpartReason, type MappedName } from '../mapping.js';
import type { ClassifiedSite, FileAnalysis, ImportedName, TextEdit } from '../types.js';

export interface PlanOptions {
  /**
   * Rename local references (scope-aware) when a legacy name maps to a different canonical name
   * and was imported under its own name. Default: alias (`import { Canonical as Legacy }`).
   */
  rename?: boolean;
  /**
   * Merge the moved names into an existing import of the target in the same scope (and several
   * legacy imports of one scope into one). Default false: each import keeps its own statement
   * (the rule of least change, docs/codemods.md).
   */
  mergeImports?: boolean;
  /** Only rewrite sites of these concept ids (default: every concept). */
  concepts?: readonly string[];
  /** A parse of `text` to reuse. */
  sourceFile?: ts.SourceFile;
}

/** The planner's state for one file. */
export interface Ctx {
  ctx: AnalysisContext;
  analysis: FileAnalysis;
  text: string;
  sf: ts.SourceFile;
  eol: string;
  options: PlanOptions;
  edits: TextEdit[];
  rewritten: ClassifiedSite[];
  refused: { site: ClassifiedSite; reason: string }[];
  /** Refused sites that hold an exported instance of a legacy class: nothing in the target to move them to. */
  noCounterpart: Set<ClassifiedSite>;
  kept: ClassifiedSite[];
  notes: string[];
  /** Edits per site, for planSiteRewrite. */
  bySite: Map<ClassifiedSite, TextEdit[]>;
  specifiers: Set<string>;
}

/** A legacy site's concept, legacy module, where it moves, and how this file spells that. */
export interface Legacy {
  concept: ResolvedConcept;
  legacy: ResolvedLegacyModule;
  target: { module: string; isPath: boolean };
  specifier: string;
}

/** A name that moves to the target. */
export interface Moved {
  name: ImportedName;
  mapped: MappedName;
  /** The local name after the rewrite (differs from name.local only with --rename). */
  local: string;
}

export function refuse(c: Ctx, site: ClassifiedSite, reason: string): void {
  c.refused.push({ site, reason });
}

/**
 * Why `name`, taken from the site's legacy module (an import's name, a namespace member, a
 * destructured property), cannot move: it is an exported instance of a legacy class, which the
 * target has no counterpart for (the core's siteNameUse). Undefined when it is not one.
 */
export function instanceRefusal(
  c: Ctx,
  site: ClassifiedSite,
  info: Pick<Legacy, 'concept' | 'legacy'>,
  name: string,
): string | undefined {
  const use = c.ctx.classifier.nameUse(info.concept, info.legacy, site.resolution, name);
  return use?.kind === 'instance'
    ? noCounterpartReason(info.concept, c.ctx.config.rootDir, name, use.instance)
    : undefined;
}

/** Refuses a site for an exported instance of a legacy class (counted with the refusals, never rewritten). */
export function refuseNoCounterpart(c: Ctx, site: ClassifiedSite, reason: string): void {
  c.noCounterpart.add(site);
  refuse(c, site, reason);
}

export function push(c: Ctx, site: ClassifiedSite, ...edits: TextEdit[]): void {
  c.edits.push(...edits);
  const list = c.bySite.get(site) ?? [];
  list.push(...edits);
  c.bySite.set(site, list);
}

/** The site's specifier literal, quotes kept: the one edit of an import that moves whole. */
export function specifierEdit(site: ClassifiedSite, specifier: string): TextEdit {
  return { start: site.specifierStart + 1, end: site.specifierEnd - 1, text: specifier };
}

/** The quote a new statement copies from the site (a template literal's backtick becomes `'`). */
export function quoteOf(site: ClassifiedSite): string {
  return site.quote === '`' ? "'" : site.quote;
}

export function describe(concept: ResolvedConcept): string {
  return `concept "${concept.id}"`;
}

/** Element text for an import/export specifier: `[type ]Imported[ as Local]`. */
export function elementText(imported: string, local: string, typePrefix: boolean): string {
  return `${typePrefix ? 'type ' : ''}${imported === local ? imported : `${imported} as ${local}`}`;
}

/** What an imported name of a site maps to (see mapSiteName). */
export function mapImported(c: Ctx, site: ClassifiedSite, info: Legacy, imported: string): MappedName | null {
  return mapSiteName(c.ctx, site, info.concept, info.legacy, imported);
}

/** What an imported name of a site maps to: the core's mapSiteName (a default import maps by its module's default export). */
export function mapSiteName(
  ctx: AnalysisContext,
  site: ClassifiedSite,
  concept: ResolvedConcept,
  legacy: ResolvedLegacyModule,
  imported: string,
): MappedName | null {
  return mapSiteNameOf(concept, legacy, site, imported, ctx.classifier.defaultOf);
}
