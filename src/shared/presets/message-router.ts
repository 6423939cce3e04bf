// The legacy names of a chat backend's WebSocket message router that `ssot-kit/router/compat`
// provides, each with its canonical replacement in `ssot-kit/router`. Plain data: the compat layer
// builds its deprecation messages from it and the analysis core's `message-router` preset reads
// it, so the two cannot disagree, and no analysis process loads the router to read a table.

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
  routeMessage: { module: R, name: 'route', note: 'router.route(ctx, raw) or router.forUser(ctx).route(raw); resolves to { ok, handled, failed, error? }' },
  registerConnection: { module: R, name: 'register', note: 'router.register(connection) returns an unregister function' },
  unregisterConnection: { module: R, name: 'unregister' },
  broadcastToUser: { module: R, name: 'forUser(ctx).broadcast', note: 'forUser(ctx).emit(type, payload) for the five agent events; the count is result.delivered' },
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
  MessageRouter: { module: R, name: 'CanonicalMessageRouter', note: 'createMessageRouter(options) or new CanonicalMessageRouter(options)' },
  QualityMessageRouter: { module: R, name: 'CanonicalMessageRouter', note: 'quality checks are built in: payload validation and strict ordering' },
  WebSocketEventRouter: { module: R, name: 'CanonicalMessageRouter', note: 'attach it to a ws server with attachRouter/createRouterServer' },
  UserScopedWebSocketEventRouter: { module: R, name: 'forUser', note: 'router.forUser(ctx) returns a ScopedRouter bound to one user' },
  WebSocketBroadcastService: { module: R, name: 'forUser(ctx).broadcast', note: 'router.forUser(ctx).emit/broadcast delivers to one user\'s connections' },
  broadcastToUser: { module: R, name: 'forUser(ctx).broadcast', note: 'forUser(ctx).emit(type, payload) for the five agent events; the count is result.delivered' },
  createMessageRouter: { module: R, name: 'createMessageRouter', note: 'the canonical factory returns a CanonicalMessageRouter (on/route/forUser)' },
  getMessageRouter: { module: R, name: 'getDefaultRouter', note: 'prefer creating one router and passing it explicitly' },
  ...methodEntries('MessageRouter'),
  ...methodEntries('QualityMessageRouter'),
  ...methodEntries('WebSocketEventRouter'),
  ...methodEntries('UserScopedWebSocketEventRouter'),
  ...methodEntries('WebSocketBroadcastService'),
};
