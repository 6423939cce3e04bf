// Shared vocabulary of the benchmark: import-site forms, the message-router preset's concept names,
// and the expected effect of a migration. Used by the corpus generator (ground truth by
// construction) and by the oracle (ground truth by parsing), so the two cannot drift apart silently.

import migrationSpec from './migration-spec.cjs';

const PRESET = migrationSpec.PRESETS['message-router'];
export const COMPAT_SPECIFIER = PRESET.compat;
export const ROUTER_SPECIFIER = PRESET.canonical;

/** Legacy exports the `message-router` preset knows; everything else stays on the legacy module. */
export const CONCEPT_NAMES = new Set(PRESET.names);

/** Every form of module reference the benchmark counts (manifest keys, oracle keys). */
export const FORMS = [
  'named', // import { A } from 'x'
  'aliased', // import { A as B } from 'x'
  'namespace', // import * as ns from 'x'
  'type-only', // import type { A } from 'x'
  'inline-type', // import { type A, B } from 'x'
  'side-effect', // import 'x'
  'export-named', // export { A } from 'x'
  'export-star', // export * from 'x'
  'import-equals', // import x = require('x')
  'require', // require('x') (.cjs/.js)
  'dynamic-import', // import('x')
  'import-type', // let a: import('x').A
  'mock', // vi.mock('x') / jest.mock('x')
];

/** Coarse statement kind used in binding keys (so a split import still compares equal). */
export function kindOf(form) {
  switch (form) {
    case 'named':
    case 'aliased':
    case 'namespace':
    case 'type-only':
    case 'inline-type':
    case 'side-effect':
      return 'import';
    case 'export-named':
    case 'export-star':
      return 'export';
    default:
      return form;
  }
}

/**
 * Classify an import/export declaration from a neutral description
 * { decl: 'import'|'export', typeOnly, namespace, star, specifiers: [{ name, alias, isType }] | null }.
 */
export function classifyDeclaration(d) {
  if (d.decl === 'export') return d.star ? 'export-star' : 'export-named';
  if (!d.specifiers && !d.namespace && !d.defaultName) return 'side-effect';
  if (d.typeOnly) return 'type-only';
  if (d.namespace) return 'namespace';
  if (d.defaultName) return 'default';
  if (d.specifiers.some((s) => s.isType)) return 'inline-type';
  if (d.specifiers.some((s) => s.alias && s.alias !== s.name)) return 'aliased';
  return 'named';
}

/**
 * The binding keys of one site: `${kind}|${importedName}` for each name it imports/re-exports,
 * or `${kind}|*` for whole-module forms (namespace, side-effect, export *, require, import(), mocks).
 */
export function bindingNames(site) {
  return site.names && site.names.length ? site.names : ['*'];
}

/**
 * What the message-router preset does with one binding: concept names and whole-module forms move
 * to compat; non-concept names stay. `export * from '<legacy>'` stays too: every legacy module of the
 * corpus also exports non-concept names (RouterOptions, LEGACY_VERSION, EventHandler, ...) that the
 * compat module does not have, so rewriting it would silently drop them (`ssot migrate` refuses it
 * and reports it for a human).
 */
export function expectedTargetAfterMigration(name, target, form) {
  if (!target.startsWith('legacy:')) return target;
  if (form === 'export-star') return target;
  if (name === '*' || CONCEPT_NAMES.has(name)) return 'compat';
  return target; // non-concept export (RouterOptions, LEGACY_VERSION, ...) stays on the legacy import
}

/**
 * Multiset of binding keys for a list of sites (only legacy/compat/router targets). With `migrate`,
 * the keys the sites should have after the migration: with `spec` (bench/lib/migration-spec.cjs, read
 * from the config) its rule decides which bindings move and under which name; without it, the
 * message-router preset's rule above.
 */
export function bindingKeys(sites, { migrate = false, spec } = {}) {
  const keys = [];
  for (const s of sites) {
    if (!(s.target.startsWith('legacy:') || s.target === 'compat' || s.target === 'router')) continue;
    const kind = kindOf(s.form);
    for (const n of bindingNames(s)) {
      if (!migrate || !s.target.startsWith('legacy:')) keys.push(`${kind}|${n}|${s.target}`);
      else if (spec) {
        const b = spec.binding(s.target.slice('legacy:'.length), n, s.form);
        keys.push(b.moves ? `${kind}|${b.name}|compat` : `${kind}|${n}|${s.target}`);
      } else keys.push(`${kind}|${n}|${expectedTargetAfterMigration(n, s.target, s.form)}`);
    }
  }
  return keys.sort();
}
