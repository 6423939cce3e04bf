import { capList } from '../../shared/terminal.js';
import { mapLegacyName } from '../mapping.js';
import type { ClassifiedSite } from '../types.js';
import { describe, push, refuse, specifierEdit, type Ctx, type Legacy } from './context.js';
import { listExports } from './exports.js';

/**
 * Why a reference to the whole module cannot move, if it cannot: the mapping must allow '*', and,
 * when the module's names cannot be traced in this file (`export *`, an untraced dynamic import, a
 * namespace object used as a value), every export of the legacy module must map to the same name.
 */
export function wholeModuleRefusal(
  c: Ctx,
  site: ClassifiedSite,
  info: Legacy,
  needAllExports: boolean,
  what: string,
): string | undefined {
  if (!mapLegacyName(info.concept, info.legacy, '*'))
    return `${info.legacy.module} cannot be moved as a whole (${describe(info.concept)})`;
  if (!needAllExports) return undefined;
  // A deleted module has nothing to list: the mapping decides.
  if (site.target.kind === 'legacy' && site.target.missing) return undefined;
  if (site.resolution.kind !== 'file') return undefined;
  const list = listExports(c.ctx, site.resolution.path);
  if ('unknown' in list) return `${what}: cannot list the exports of ${info.legacy.module} (${list.unknown})`;
  const bad: string[] = [];
  for (const name of list.names) {
    if (name === 'default' && site.form === 'export-all') continue;
    const m = mapLegacyName(info.concept, info.legacy, name);
    if (!m) {
      const instance = c.ctx.classifier.nameUse(info.concept, info.legacy, site.resolution, name);
      bad.push(
        instance?.kind === 'instance'
          ? `${name} (an instance of the legacy class ${instance.instance.className}: no counterpart, migrate it by hand)`
          : `${name} (not part of the concept)`,
      );
    } else if (m.name !== name) bad.push(`${name} (maps to ${m.name})`);
  }
  if (bad.length > 0)
    // capList: one line however many names the module exports.
    return `${what}: ${info.legacy.module} also exports ${capList(bad)}; rewrite by hand or list the names`;
  return undefined;
}

/** A form that names the whole module (`export *`, side effect, mock): only its specifier changes. */
export function planWholeModule(c: Ctx, site: ClassifiedSite, info: Legacy, needAllExports: boolean): void {
  const what = site.form === 'export-all' ? 'export *' : site.form === 'export-all-as' ? 'export * as' : site.form;
  const reason = wholeModuleRefusal(c, site, info, needAllExports, what);
  if (reason) return refuse(c, site, reason);
  push(c, site, specifierEdit(site, info.specifier));
  c.rewritten.push(site);
}
