import { COMPAT_REPLACEMENTS } from '../../shared/presets/message-router.js';
import type { ConceptInput } from './types.js';

/**
 * The legacy names of a chat backend's WebSocket message router that `ssot-kit/router/compat`
 * provides, each with its canonical replacement in `ssot-kit/router` (stage 2 of a migration).
 * Taken from the table the compat layer also reads, so the preset and the layer cannot disagree.
 */
export const MESSAGE_ROUTER_COMPAT_REPLACEMENTS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(COMPAT_REPLACEMENTS)
    .filter(([name]) => !name.includes('#'))
    .map(([name, replacement]) => [name, replacement.name]),
);

/** The members that make a class or object literal a message router, whatever its name. */
export const MESSAGE_ROUTER_MEMBERS: readonly string[] = [
  'addHandler',
  'registerHandler',
  'removeHandler',
  'routeMessage',
  'registerConnection',
  'unregisterConnection',
  'broadcastToUser',
  'getStats',
];

type Preset = Omit<ConceptInput, 'id' | 'preset' | 'legacy'> & { defaultLegacyNames: Record<string, string> };

export const PRESETS: Readonly<Record<string, Preset>> = {
  'message-router': {
    description: 'A chat backend WebSocket message router (ssot-kit/router)',
    canonical: { module: 'ssot-kit/router', files: [], names: ['CanonicalMessageRouter'] },
    compat: { module: 'ssot-kit/router/compat', replacements: { ...MESSAGE_ROUTER_COMPAT_REPLACEMENTS } },
    detect: {
      names: [
        'MessageRouter',
        'QualityMessageRouter',
        'WebSocketEventRouter',
        'UserScopedWebSocketEventRouter',
        'WebSocketBroadcastService',
        'broadcastToUser',
        '/MessageRouter$/',
      ],
      members: [...MESSAGE_ROUTER_MEMBERS],
      minMembers: 4,
      heritage: [...Object.keys(MESSAGE_ROUTER_COMPAT_REPLACEMENTS).filter((n) => /^[A-Z]/.test(n)), 'CanonicalMessageRouter'],
    },
    // Stage 1 moves every legacy name the compat layer knows to the same name there.
    defaultLegacyNames: Object.fromEntries(Object.keys(MESSAGE_ROUTER_COMPAT_REPLACEMENTS).map((n) => [n, n])),
  },
};

/** The preset of that name: an own entry only (`__proto__`, `toString` are no presets). */
export function presetNamed(name: string): Preset | undefined {
  return Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
}
