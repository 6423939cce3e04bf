import type { ResolvedConcept, ResolvedLegacyModule } from './config/types.js';
import type { ImportSite, Resolution } from './types.js';

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

/**
 * Whether a site on a legacy module uses the concept (and so has something to migrate): one of
 * its names maps (`map`: mapSiteName for the site), or it takes the module as a whole (a
 * namespace, `export *`, a require or dynamic import without destructuring, a mock), which hands
 * over the concept's names too. `allowTypeImports`: a type-only site does not count. `importNames`
 * (the shape of no-restricted-imports): of the forms that bind no name, only `export *` counts.
 * A site that does not use the concept is still an import of the module: it blocks deleting it.
 */
export function usesConcept(
  legacy: ResolvedLegacyModule,
  site: ImportSite,
  map: (imported: string) => MappedName | null,
): boolean {
  if (legacy.allowTypeImports && (site.typeOnly || (site.names.length > 0 && site.names.every((n) => n.isTypeOnly))))
    return false;
  if (site.names.length === 0)
    return site.form === 'export-all' || !legacy.importNames || legacy.importNames.length === 0;
  return site.names.some((n) => map(n.imported) !== null);
}

/** Stage 2: the canonical replacement of a compat name, if the concept has a compat layer. */
export function canonicalReplacement(concept: ResolvedConcept, compatName: string): string | undefined {
  const replacements = concept.compat?.replacements;
  if (!replacements || !Object.prototype.hasOwnProperty.call(replacements, compatName)) return undefined;
  return replacements[compatName];
}
