import { MESSAGE_ROUTER_PRESET, type ConceptPreset } from '../../shared/presets/message-router.js';

export type { ConceptPreset } from '../../shared/presets/message-router.js';
export { MESSAGE_ROUTER_MEMBERS, MESSAGE_ROUTER_COMPAT_REPLACEMENTS } from '../../shared/presets/message-router.js';

/**
 * The built-in presets, by name. A preset is data: the part of a concept's config a team would
 * otherwise write (canonical module, compat layer, what detection looks for) plus the legacy
 * names its compat layer maps. `ssot init --canonical` writes the same shape for any concept.
 */
export const PRESETS: Readonly<Record<string, ConceptPreset>> = {
  'message-router': MESSAGE_ROUTER_PRESET,
};

/** The preset of that name: an own entry only (`__proto__`, `toString` are no presets). */
export function presetNamed(name: string): ConceptPreset | undefined {
  return Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
}
