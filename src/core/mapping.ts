import type { ResolvedConcept, ResolvedLegacyModule } from './config/types.js';
import { presetNamed } from './config/presets.js';
import type { ImportSite, LegacyInstance, Resolution } from './types.js';
import { relativePosix } from '../shared/paths.js';

/** Where a legacy import of one name should point instead. */
export interface MappedName {
  /** Module to import from: a package specifier, or an absolute path when `isPath`. */
  module: string;
  /** True when `module` is an absolute repo path that the rewriter turns into a specifier. */
  isPath: boolean;
  /** Export name in the target module; '*' for a whole-module reference. */
  name: string;
}

/** The module legacy imports move to: the compat layer when the concept has one (stage 1). */
export function migrationTarget(concept: ResolvedConcept): { module: string; isPath: boolean } {
  if (concept.compat) {
    return concept.compat.path
      ? { module: concept.compat.path, isPath: true }
      : { module: concept.compat.module, isPath: false };
  }
  return concept.canonical.path
    ? { module: concept.canonical.path, isPath: true }
    : { module: concept.canonical.module, isPath: false };
}

/**
 * The module one legacy site moves to: the migration target, or, for a site of a package subpath
 * entry (`"@scope/utils/*"`), the same subpath of it (`@scope/utils/ts-eslint` ->
 * `@canonical/utils/ts-eslint`; the config requires a package target for such entries).
 */
export function siteMigrationTarget(
  concept: ResolvedConcept,
  legacy: ResolvedLegacyModule,
  specifier: string,
): { module: string; isPath: boolean } {
  const target = migrationTarget(concept);
  const root = legacy.subpathsOf;
  if (root === undefined || target.isPath || !specifier.startsWith(root + '/')) return target;
  return { module: target.module + specifier.slice(root.length), isPath: false };
}

/**
 * The one mapping function: for (legacy module, imported name), the module and name to use.
 * Returns null when the name is not part of the concept and must stay on the legacy module.
 * `imported` is 'default', '*' (namespace import or any whole-module reference) or an export name.
 * `legacy.names` is the whole list of the concept's names on the module ("*": every other name
 * but `default`, which maps only by `names.default` here; see mapSiteName for a default import).
 */
export function mapLegacyName(
  concept: ResolvedConcept,
  legacy: ResolvedLegacyModule,
  imported: string,
): MappedName | null {
  const target = migrationTarget(concept);
  if (imported === '*') return { ...target, name: '*' };
  const explicit = Object.prototype.hasOwnProperty.call(legacy.names, imported) ? legacy.names[imported] : undefined;
  if (explicit !== undefined) return { ...target, name: explicit === '*' ? imported : explicit };
  const wildcard = legacy.names['*'];
  if (wildcard !== undefined && imported !== 'default') {
    return { ...target, name: wildcard === '*' ? imported : wildcard };
  }
  return null;
}

/**
 * What an imported name of one site maps to: `mapLegacyName`, and for a default import of a module
 * whose default export is a concept declaration (`export default MessageRouter`, or a re-export of
 * one: `defaultOf(file)` names it), that declaration's mapping, so `import LegacyRouter from
 * './handlers'` becomes `import { MessageRouter as LegacyRouter } from ...`. Only a name the legacy
 * module's `names` lists counts: `"*"` says nothing about what a default export is. The one
 * per-site mapping: the classifier (what the report and ESLint see) and the planner both use it.
 */
export function mapSiteName(
  concept: ResolvedConcept,
  legacy: ResolvedLegacyModule,
  site: { resolution: Resolution },
  imported: string,
  defaultOf: (file: string) => string | undefined,
): MappedName | null {
  const direct = mapLegacyName(concept, legacy, imported);
  if (direct || imported !== 'default' || site.resolution.kind !== 'file') return direct;
  const name = defaultOf(site.resolution.path);
  if (name === undefined || name === '*' || !Object.prototype.hasOwnProperty.call(legacy.names, name)) return null;
  return mapLegacyName(concept, legacy, name);
}

/** What one imported name of a legacy site is for the concept (siteNameUse). */
export type NameUse = { kind: 'mapped'; mapped: MappedName } | { kind: 'instance'; instance: LegacyInstance };

/** The file lookups siteNameUse needs, bound by the classifier (which reads each module once). */
export interface SiteLookups {
  /** The declaration a module exports as default (defaultExportName). */
  defaultOf: (file: string) => string | undefined;
  /** The instance of a legacy class `file` exports as `name`, if it is one (findLegacyInstance). */
  instanceOf: (
    concept: ResolvedConcept,
    legacy: ResolvedLegacyModule,
    file: string,
    name: string,
  ) => LegacyInstance | undefined;
}

/**
 * The one per-name decision for a legacy site, which the classifier (what the report and ESLint
 * see) and the planner (what migrate does) both read: the name maps to the migration target
 * (`mapped`: mapSiteName); or it is an exported instance of one of the concept's legacy classes
 * (`instance`: the legacy implementation in use, with no counterpart in the target: a concept use
 * that only a person can migrate); or neither (null: not part of the concept). A module whose
 * entry lists `importNames` has its concept names spelled out: only they count.
 */
export function siteNameUse(
  concept: ResolvedConcept,
  legacy: ResolvedLegacyModule,
  site: { resolution: Resolution },
  imported: string,
  lookups: SiteLookups,
): NameUse | null {
  const mapped = mapSiteName(concept, legacy, site, imported, lookups.defaultOf);
  if (mapped) return { kind: 'mapped', mapped };
  if (imported === '*' || site.resolution.kind !== 'file' || (legacy.importNames?.length ?? 0) > 0) return null;
  const instance = lookups.instanceOf(concept, legacy, site.resolution.path, imported);
  return instance ? { kind: 'instance', instance } : null;
}

/**
 * Why an imported instance of a legacy class cannot be migrated by a tool, and what to do by hand:
 * the one wording of the report, the ESLint rule and migrate's refusal.
 */
export function noCounterpartReason(
  concept: ResolvedConcept,
  rootDir: string,
  name: string,
  instance: LegacyInstance,
): string {
  const how = instance.evidence === 'new' ? `new ${instance.className}()` : `declared as ${instance.className}`;
  const at = `${relativePosix(rootDir, instance.file)}:${instance.line}`;
  const target = migrationTarget(concept);
  const targetName = target.isPath ? relativePosix(rootDir, target.module) : target.module;
  const replacement = canonicalReplacement(concept, instance.className) ?? concept.canonical.names[0];
  const advice =
    (concept.preset !== undefined ? presetNamed(concept.preset)?.instanceAdvice : undefined) ??
    (replacement
      ? `an instance of ${replacement} from ${concept.canonical.module}`
      : `the canonical module ${concept.canonical.module}`);
  return (
    `${name} is an instance of the legacy class ${instance.className} (${how}, ${at}); ` +
    `${targetName} has no counterpart for it: migrate it by hand to ${advice}`
  );
}

/**
 * Whether a site on a legacy module uses the concept (and so has something to migrate): one of
 * its names is a concept use (`uses`: siteNameUse for the site), or it takes the module as a whole (a
 * namespace, `export *`, a require or dynamic import without destructuring, a mock), which hands
 * over the concept's names too. `allowTypeImports`: a type-only site does not count. `importNames`
 * (the shape of no-restricted-imports): of the forms that bind no name, only `export *` counts.
 * A site that does not use the concept is still an import of the module: it blocks deleting it.
 */
export function usesConcept(
  legacy: ResolvedLegacyModule,
  site: ImportSite,
  uses: (imported: string) => boolean,
): boolean {
  if (legacy.allowTypeImports && (site.typeOnly || (site.names.length > 0 && site.names.every((n) => n.isTypeOnly))))
    return false;
  if (site.names.length === 0)
    return site.form === 'export-all' || !legacy.importNames || legacy.importNames.length === 0;
  return site.names.some((n) => uses(n.imported));
}

/** Stage 2: the canonical replacement of a compat name, if the concept has a compat layer. */
export function canonicalReplacement(concept: ResolvedConcept, compatName: string): string | undefined {
  const replacements = concept.compat?.replacements;
  if (!replacements || !Object.prototype.hasOwnProperty.call(replacements, compatName)) return undefined;
  return replacements[compatName];
}
