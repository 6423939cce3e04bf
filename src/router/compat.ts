// ssot-kit/router/compat: the deprecated names legacy code imports, as thin adapters over the
// canonical router. They hold no routing state: every instance wraps a CanonicalMessageRouter
// (the one passed in, or the process-wide default), so legacy and migrated code share handlers,
// connections and stats during a migration.
//
// Importing this module has no side effects. The first use (construction or call) of each name
// emits one DeprecationWarning per process naming its replacement; COMPAT_REPLACEMENTS is the
// machine-readable version of the same mapping (also in docs/router.md).

import { COMPAT_REPLACEMENTS, type LegacyMethod } from '../shared/presets/message-router.js';
import { getDefaultRouter } from './default-router.js';
import { IsolationError } from './errors.js';
import { CanonicalMessageRouter } from './router.js';
import type {
  Connection,
  InboundMessage,
  MessageHandler,
  MessageHandlerFn,
  OutboundEvent,
  RouteResult,
  RouterOptions,
  RouterStats,
  UserContext,
} from './types.js';

// The table is plain data shared with the analysis core's preset (which must not load the router).
export { COMPAT_REPLACEMENTS, type CompatReplacement } from '../shared/presets/message-router.js';

// ---- deprecation warnings --------------------------------------------------------------------

const warned = new Set<string>();
/** Set while a compat function builds a legacy instance, so only the name the caller used warns. */
let internalConstruction = false;

/** 'UserScopedWebSocketEventRouter' -> 'USER_SCOPED_WEB_SOCKET_EVENT_ROUTER' */
function warningCode(name: string): string {
  return `SSOT_DEP_${name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

function deprecated(name: string): void {
  if (internalConstruction || warned.has(name)) return;
  warned.add(name);
  const r = COMPAT_REPLACEMENTS[name];
  const replacement = r ? `${r.name} from '${r.module}'` : `'ssot-kit/router'`;
  const note = r?.note ? ` (${r.note})` : '';
  process.emitWarning(`${name} from 'ssot-kit/router/compat' is deprecated; use ${replacement} instead${note}.`, {
    type: 'DeprecationWarning',
    code: warningCode(name),
  });
}

// ---- adapters --------------------------------------------------------------------------------

/** A legacy context: a UserContext-like object or just the user id. */
export type LegacyContext = UserContext | string;

/** Legacy handler objects; `canHandle` filters message types when registered without a type. */
export type LegacyHandler = MessageHandlerFn | { handle: MessageHandlerFn; canHandle?(type: string): boolean };

/** Legacy connections may call the id `connectionId` and carry a socket instead of `send`. */
export interface LegacyConnection {
  readonly id?: string;
  readonly connectionId?: string;
  readonly userId: string;
  readonly threadId?: string;
  send?(data: string): void | Promise<unknown>;
  close?(code?: number, reason?: string): void;
  isOpen?(): boolean;
  readonly websocket?: {
    send(data: string): unknown;
    close?(code?: number, reason?: string): void;
    readyState?: number;
  };
}

/** What legacy routeMessage resolves to: the canonical RouteResult (`ok`, `handled`, `failed`, `error?`). */
export type LegacyRouteResult = RouteResult;

/**
 * Options a legacy constructor was called with (`new MessageRouter({ maxConnectionsPerUser })`).
 * Accepted so that such call sites keep compiling; the adapter then shares the process-wide
 * router, created with the canonical keys among them (`strictOrdering`, `maxPendingPerConnection`,
 * ...) if it does not exist yet. Keys the canonical router does not know are ignored.
 */
// `object`: legacy option types are interfaces of their own with no key in common with RouterOptions.
export type LegacyRouterOptions = RouterOptions | object;

type RouterSource = CanonicalMessageRouter | LegacyRouterBase | LegacyRouterOptions | undefined;

function resolveRouter(source: RouterSource): CanonicalMessageRouter {
  if (source instanceof CanonicalMessageRouter) return source;
  if (source instanceof LegacyRouterBase) return source.canonical;
  return getDefaultRouter(source as RouterOptions | undefined);
}

function toContext(ctx: LegacyContext): UserContext {
  return typeof ctx === 'string' ? { userId: ctx } : ctx;
}

function toConnection(conn: LegacyConnection): Connection {
  const id = conn.id ?? conn.connectionId;
  if (typeof id !== 'string') throw new TypeError('a legacy connection needs an id or connectionId');
  const base = { id, userId: conn.userId, ...(conn.threadId !== undefined ? { threadId: conn.threadId } : {}) };
  if (typeof conn.send === 'function') {
    // Bind explicitly: legacy connections are often class instances whose methods use `this`.
    return {
      ...base,
      send: conn.send.bind(conn),
      ...(typeof conn.close === 'function' ? { close: conn.close.bind(conn) } : {}),
      ...(typeof conn.isOpen === 'function' ? { isOpen: conn.isOpen.bind(conn) } : {}),
    };
  }
  const socket = conn.websocket;
  if (!socket) throw new TypeError(`connection "${id}" has neither send() nor websocket`);
  return {
    ...base,
    // A raw socket's send may take a callback; we only know it did not throw.
    send: (data: string) => {
      socket.send(data);
    },
    close: (code?: number, reason?: string) => socket.close?.(code, reason),
    // readyState 1 is OPEN for both ws and the browser WebSocket API.
    ...(socket.readyState !== undefined ? { isOpen: () => socket.readyState === 1 } : {}),
  };
}

function toEvent(event: OutboundEvent | string, payload?: unknown): OutboundEvent {
  if (typeof event === 'string') return payload === undefined ? { type: event } : { type: event, payload };
  return event;
}

/** Shared implementation of the legacy classes; not exported so it cannot be imported as a name. */
abstract class LegacyRouterBase {
  /** The canonical router this adapter delegates to; use it directly when migrating. */
  readonly canonical: CanonicalMessageRouter;

  protected constructor(name: string, router: RouterSource) {
    deprecated(name);
    this.canonical = resolveRouter(router);
  }

  /**
   * addHandler('chat', (ctx, message) => ...) or addHandler('chat', { handle }) or
   * addHandler({ canHandle, handle }) (no type: the object's canHandle decides, for every type).
   */
  addHandler(typeOrHandler: string | LegacyHandler, handler?: LegacyHandler): () => void {
    if (typeof typeOrHandler === 'string') {
      if (handler === undefined) throw new TypeError('addHandler(type, handler): handler is missing');
      return this.canonical.on(typeOrHandler, handler as MessageHandler);
    }
    return this.canonical.on('*', typeOrHandler as MessageHandler);
  }

  registerHandler(typeOrHandler: string | LegacyHandler, handler?: LegacyHandler): () => void {
    return this.addHandler(typeOrHandler, handler);
  }

  removeHandler(typeOrHandler: string | LegacyHandler, handler?: LegacyHandler): boolean {
    if (typeof typeOrHandler === 'string')
      return handler !== undefined && this.canonical.off(typeOrHandler, handler as MessageHandler);
    return this.canonical.off('*', typeOrHandler as MessageHandler);
  }

  /**
   * Routes `raw` (JSON string or object) as the user of `ctx` (a UserContext or a userId).
   * Resolves to `{ ok, handled, failed, error? }`; legacy code that tested a boolean should test
   * `.ok`. Never rejects for a bad message.
   */
  routeMessage(ctx: LegacyContext, raw: string | InboundMessage | Record<string, unknown>): Promise<LegacyRouteResult> {
    return this.canonical.route(toContext(ctx), raw);
  }

  /** Registers a connection; returns its id. */
  registerConnection(conn: LegacyConnection): string {
    const connection = toConnection(conn);
    this.canonical.register(connection);
    return connection.id;
  }

  unregisterConnection(connectionId: string): boolean {
    return this.canonical.unregister(connectionId);
  }

  /**
   * Sends `event` ({ type, payload } or a type plus payload) to every open connection of `userId`.
   * Resolves to the number of connections whose send succeeded. Agent event types are validated
   * and order-checked (and reject like forUser(ctx).emit does).
   */
  async broadcastToUser(userId: string, event: OutboundEvent | string, payload?: unknown): Promise<number> {
    const result = await this.canonical.forUser({ userId }).broadcast(toEvent(event, payload));
    return result.delivered;
  }

  getStats(): RouterStats {
    return this.canonical.stats();
  }
}

/** @deprecated Use CanonicalMessageRouter / createMessageRouter from 'ssot-kit/router'. */
export class MessageRouter extends LegacyRouterBase {
  constructor(router?: CanonicalMessageRouter | LegacyRouterBase | LegacyRouterOptions) {
    super('MessageRouter', router);
  }
}

/** @deprecated Use CanonicalMessageRouter from 'ssot-kit/router' (validation and ordering are built in). */
export class QualityMessageRouter extends LegacyRouterBase {
  constructor(router?: CanonicalMessageRouter | LegacyRouterBase | LegacyRouterOptions) {
    super('QualityMessageRouter', router);
  }
}

/** @deprecated Use CanonicalMessageRouter with attachRouter/createRouterServer from 'ssot-kit/router'. */
export class WebSocketEventRouter extends LegacyRouterBase {
  constructor(router?: CanonicalMessageRouter | LegacyRouterBase | LegacyRouterOptions) {
    super('WebSocketEventRouter', router);
  }
}

/**
 * @deprecated Use router.forUser(ctx) from 'ssot-kit/router'.
 * When built with a context, it only acts for that user: routing as, or broadcasting to, anyone
 * else throws an IsolationError.
 */
export class UserScopedWebSocketEventRouter extends LegacyRouterBase {
  readonly context: UserContext | undefined;

  constructor(context?: LegacyContext, router?: CanonicalMessageRouter | LegacyRouterBase) {
    super('UserScopedWebSocketEventRouter', router);
    this.context = context === undefined ? undefined : Object.freeze({ ...toContext(context) });
  }

  /** Returns (and counts in the router's stats) the violation when `userId` is not this router's user. */
  #violation(userId: string): IsolationError | undefined {
    if (!this.context || userId === this.context.userId) return undefined;
    const error = new IsolationError(this.context.userId, userId, 'UserScopedWebSocketEventRouter call');
    this.canonical.recordIsolationRejection(error);
    return error;
  }

  /** As MessageRouter#routeMessage; another user's context resolves to `{ ok: false, error: IsolationError }`. */
  override async routeMessage(
    ctx: LegacyContext,
    raw: string | InboundMessage | Record<string, unknown>,
  ): Promise<LegacyRouteResult> {
    const c = toContext(ctx);
    const error = this.#violation(c.userId);
    if (error) return { ok: false, handled: 0, failed: 0, error };
    return super.routeMessage(c, raw);
  }

  /** As MessageRouter#broadcastToUser; another user's id rejects with IsolationError. */
  override async broadcastToUser(userId: string, event: OutboundEvent | string, payload?: unknown): Promise<number> {
    const error = this.#violation(userId);
    if (error) throw error;
    return super.broadcastToUser(userId, event, payload);
  }
}

/** @deprecated Use router.forUser(ctx).emit/broadcast from 'ssot-kit/router'. */
export class WebSocketBroadcastService extends LegacyRouterBase {
  constructor(router?: CanonicalMessageRouter | LegacyRouterBase | LegacyRouterOptions) {
    super('WebSocketBroadcastService', router);
  }
}

/**
 * @deprecated Use router.forUser({ userId }).broadcast(event) from 'ssot-kit/router'.
 * Resolves to the number of connections that got the event.
 */
export function broadcastToUser(userId: string, event: OutboundEvent | string, payload?: unknown): Promise<number>;
export function broadcastToUser(
  router: CanonicalMessageRouter | LegacyRouterBase | undefined,
  userId: string,
  event: OutboundEvent | string,
  payload?: unknown,
): Promise<number>;
/**
 * Both legacy call shapes: `broadcastToUser(router, userId, event)` and the free function of
 * older modules, `broadcastToUser(userId, event)`, which sends through the process-wide router.
 */
export function broadcastToUser(...args: unknown[]): Promise<number> {
  deprecated('broadcastToUser');
  if (typeof args[0] === 'string') args.unshift(undefined);
  const [router, userId, event, payload] = args as [
    CanonicalMessageRouter | LegacyRouterBase | undefined,
    string,
    OutboundEvent | string,
    unknown,
  ];
  return resolveRouter(router)
    .forUser({ userId })
    .broadcast(toEvent(event, payload))
    .then((r) => r.delivered);
}

/**
 * @deprecated Use createMessageRouter from 'ssot-kit/router'.
 * Returns a legacy MessageRouter over a new canonical router (reach it via `.canonical`).
 */
export function createMessageRouter(options?: RouterOptions): MessageRouter {
  deprecated('createMessageRouter');
  return internal(() => new MessageRouter(new CanonicalMessageRouter(options)));
}

function internal<T>(build: () => T): T {
  internalConstruction = true;
  try {
    return build();
  } finally {
    internalConstruction = false;
  }
}

const defaultAdapters = new WeakMap<CanonicalMessageRouter, MessageRouter>();

/**
 * @deprecated Use getDefaultRouter from 'ssot-kit/router' (or pass a router explicitly).
 * Returns the same legacy MessageRouter over the process-wide canonical router on every call.
 */
export function getMessageRouter(): MessageRouter {
  deprecated('getMessageRouter');
  const router = getDefaultRouter();
  let adapter = defaultAdapters.get(router);
  if (!adapter) {
    adapter = internal(() => new MessageRouter(router));
    defaultAdapters.set(router, adapter);
  }
  return adapter;
}

export type { LegacyMethod } from '../shared/presets/message-router.js';
/** The instance type shared by every legacy class (for annotations in code being migrated). */
export type LegacyRouter = LegacyRouterBase;
