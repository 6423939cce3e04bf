// The message-router preset, as data: the legacy names of a chat backend's WebSocket message router
// that `ssot-kit/router/compat` provides, each with its canonical replacement in `ssot-kit/router`,
// and what the concept's implementations look like. The compat layer builds its deprecation
// messages from the same table and the analysis core's preset registry reads this file, so the
// two cannot disagree, and no analysis process loads the router to read a table.

export interface CompatReplacement {
  readonly module: 'ssot-kit/router';
  readonly name: string;
  readonly note?: string;
}

const R = 'ssot-kit/router' as const;

const LEGACY_CLASSES = [
  'MessageRouter',
  'QualityMessageRouter',
  'WebSocketEventRouter',
  'UserScopedWebSocketEventRouter',
  'WebSocketBroadcastService',
] as const;

const METHOD_REPLACEMENTS = {
  addHandler: { module: R, name: 'on', note: 'router.on(type, handler) returns an unsubscribe function' },
  registerHandler: { module: R, name: 'on', note: 'router.on(type, handler) returns an unsubscribe function' },
  removeHandler: { module: R, name: 'off', note: 'or call the unsubscribe function returned by on()' },
  routeMessage: {
    module: R,
    name: 'route',
    note: 'router.route(ctx, raw) or router.forUser(ctx).route(raw); resolves to { ok, handled, failed, error? }',
  },
  registerConnection: {
    module: R,
    name: 'register',
    note: 'router.register(connection) returns an unregister function',
  },
  unregisterConnection: { module: R, name: 'unregister' },
  broadcastToUser: {
    module: R,
    name: 'forUser(ctx).broadcast',
    note: 'forUser(ctx).emit(type, payload) for the five agent events; the count is result.delivered',
  },
  getStats: { module: R, name: 'stats' },
} as const satisfies Record<string, CompatReplacement>;

export type LegacyMethod = keyof typeof METHOD_REPLACEMENTS;

function methodEntries(cls: (typeof LEGACY_CLASSES)[number]): Record<string, CompatReplacement> {
  const out: Record<string, CompatReplacement> = {};
  for (const [method, replacement] of Object.entries(METHOD_REPLACEMENTS)) out[`${cls}#${method}`] = replacement;
  return out;
}

/**
 * Every compat export (and every legacy method, as 'Class#method') mapped to its canonical
 * replacement in 'ssot-kit/router'. Pure data: safe to import from analysis tools.
 */
export const COMPAT_REPLACEMENTS: Record<string, CompatReplacement> = {
  MessageRouter: {
    module: R,
    name: 'CanonicalMessageRouter',
    note: 'createMessageRouter(options) or new CanonicalMessageRouter(options)',
  },
  QualityMessageRouter: {
    module: R,
    name: 'CanonicalMessageRouter',
    note: 'quality checks are built in: payload validation and strict ordering',
  },
  WebSocketEventRouter: {
    module: R,
    name: 'CanonicalMessageRouter',
    note: 'attach it to a ws server with attachRouter/createRouterServer',
  },
  UserScopedWebSocketEventRouter: {
    module: R,
    name: 'forUser',
    note: 'router.forUser(ctx) returns a ScopedRouter bound to one user',
  },
  WebSocketBroadcastService: {
    module: R,
    name: 'forUser(ctx).broadcast',
    note: "router.forUser(ctx).emit/broadcast delivers to one user's connections",
  },
  broadcastToUser: {
    module: R,
    name: 'forUser(ctx).broadcast',
    note: 'forUser(ctx).emit(type, payload) for the five agent events; the count is result.delivered',
  },
  createMessageRouter: {
    module: R,
    name: 'createMessageRouter',
    note: 'the canonical factory returns a CanonicalMessageRouter (on/route/forUser)',
  },
  getMessageRouter: {
    module: R,
    name: 'getDefaultRouter',
    note: 'prefer creating one router and passing it explicitly',
  },
  userIdHandler: {
    module: R,
    name: 'on',
    note: 'router.on(type, ({ userId }, message) => ...): the handler context carries the user id',
  },
  ...methodEntries('MessageRouter'),
  ...methodEntries('QualityMessageRouter'),
  ...methodEntries('WebSocketEventRouter'),
  ...methodEntries('UserScopedWebSocketEventRouter'),
  ...methodEntries('WebSocketBroadcastService'),
};

/** The compat exports (not the 'Class#method' entries), each with its canonical replacement's name. */
export const MESSAGE_ROUTER_COMPAT_REPLACEMENTS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(COMPAT_REPLACEMENTS)
    .filter(([name]) => !name.includes('#'))
    .map(([name, replacement]) => [name, replacement.name]),
);

/** The members a message router has, whatever its name: context in a finding. */
export const MESSAGE_ROUTER_MEMBERS: readonly string[] = Object.keys(METHOD_REPLACEMENTS);

/**
 * A concept preset: the parts of a concept's config it supplies (the same shape as the config's
 * `concepts[]` entries) and the legacy names a legacy module maps by default.
 */
export interface ConceptPreset {
  description: string;
  canonical: { module: string; files: string[]; names: string[] };
  compat?: { module: string; replacements: Record<string, string> };
  detect: {
    names: string[];
    members: string[];
    minMembers: number;
    heritage: string[];
    registries?: { call: 'each' | 'one' | 'first'; keyed?: boolean; method?: string }[];
    similarity?: number;
  };
  defaultLegacyNames: Record<string, string>;
  /**
   * What replaces an exported instance of a legacy class (`export const router = new
   * MessageRouter()`), which has no counterpart in the compat layer: advice for a person.
   */
  instanceAdvice?: string;
}

export const MESSAGE_ROUTER_PRESET: ConceptPreset = {
  description: 'A chat backend WebSocket message router (ssot-kit/router)',
  canonical: { module: 'ssot-kit/router', files: [], names: ['CanonicalMessageRouter'] },
  compat: { module: 'ssot-kit/router/compat', replacements: { ...MESSAGE_ROUTER_COMPAT_REPLACEMENTS } },
  detect: {
    names: [...LEGACY_CLASSES, 'broadcastToUser', '/MessageRouter$/'],
    members: [...MESSAGE_ROUTER_MEMBERS],
    minMembers: 4,
    heritage: [...LEGACY_CLASSES, 'CanonicalMessageRouter'],
    // A router owns handler lists per message type and calls each handler of a type; and it
    // owns connections and calls `send` on each of a user's.
    registries: [
      { call: 'each', keyed: true },
      { call: 'each', method: 'send' },
    ],
  },
  // Stage 1 moves every legacy name the compat layer knows to the same name there.
  defaultLegacyNames: Object.fromEntries(Object.keys(MESSAGE_ROUTER_COMPAT_REPLACEMENTS).map((n) => [n, n])),
  instanceAdvice:
    'getDefaultRouter() (the one process-wide router) or a router of its own from createMessageRouter(options), from ssot-kit/router',
};
/**
 * Stage 2: the canonical type for each compat name that is used as a type (a parameter or field
 * annotated with a legacy class, a LegacyConnection, ...). Compat names absent here and from
 * COMPAT_REPLACEMENTS' classes have no canonical type (UserScopedWebSocketEventRouter, LegacyContext).
 */
export const COMPAT_TYPE_REPLACEMENTS: Readonly<Record<string, string>> = {
  MessageRouter: 'CanonicalMessageRouter',
  QualityMessageRouter: 'CanonicalMessageRouter',
  WebSocketEventRouter: 'CanonicalMessageRouter',
  WebSocketBroadcastService: 'CanonicalMessageRouter',
  LegacyRouter: 'CanonicalMessageRouter',
  LegacyRouteResult: 'RouteResult',
  LegacyRouterOptions: 'RouterOptions',
  LegacyConnection: 'Connection',
  LegacyHandler: 'MessageHandler',
  LegacyHandlerFn: 'MessageHandlerFn',
  LegacyHandlerObject: 'MessageHandlerObject',
  LegacyEvent: 'BroadcastEvent',
};

/** The compat classes that stand for a whole router (their instances become the canonical router). */
export const COMPAT_ROUTER_CLASSES: readonly string[] = LEGACY_CLASSES.filter(
  (c) => c !== 'UserScopedWebSocketEventRouter',
);
