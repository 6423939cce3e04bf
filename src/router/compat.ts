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
  BroadcastEvent,
  Connection,
  HandlerContext,
  InboundMessage,
  MessageHandler,
  MessageHandlerObject,
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

// ---- legacy handler shapes -----------------------------------------------------------------------
//
// Legacy routers called their handlers in one of three ways, told apart at run time by the number
// of parameters the function (or an object's `handle`) declares (`Function.length`):
//   1 (or 0)  (message)                  the parsed message
//   2         (ctx, message)             the canonical HandlerContext: userId, connectionId, scope, ...
//   3+        (userId, socket, message)  the user id, the connection object the message arrived on
//                                        (as the legacy code registered it), the message
// A two-parameter handler whose first parameter is a user id cannot be told from (ctx, message) at
// run time, so it is registered through userIdHandler(fn); `ssot migrate` inserts that call where
// the type checker sees such a handler.
//
// The parameters are typed `any` on purpose. TypeScript gives an unannotated arrow function the
// parameter types of the first overload it tries, whatever its arity, so no set of overloads can
// type `(message) => ...`, `(ctx, message) => ...` and `(userId, socket, message) => ...` each as
// its own shape; legacy code compiled because its own class typed them, and it keeps compiling
// here. Legacy routers parsed JSON and cast it to their own message type; so does this layer.

export type LegacyHandlerFn = (...args: any[]) => unknown;
/** Handler objects: `canHandle` filters message types when registered without a type. */
export interface LegacyHandlerObject {
  handle(...args: any[]): unknown;
  canHandle?(type: string): boolean;
}
/** Every handler shape the legacy methods accept. */
export type LegacyHandler = LegacyHandlerFn | LegacyHandlerObject;

type Shape = 'message' | 'context' | 'socket';

function shapeOf(fn: (...args: never[]) => unknown): Shape {
  return fn.length <= 1 ? 'message' : fn.length === 2 ? 'context' : 'socket';
}

/** The legacy object a connection was registered with, by the canonical Connection built from it. */
const registeredAs = new WeakMap<Connection, object>();

/** What a (userId, socket, message) handler gets as its socket: the connection as the legacy code registered it. */
function legacySocket(ctx: HandlerContext): unknown {
  const connection = ctx.connection;
  return connection === undefined ? undefined : (registeredAs.get(connection) ?? connection);
}

function argumentsFor(shape: Shape, ctx: HandlerContext, message: InboundMessage): unknown[] {
  if (shape === 'message') return [message];
  if (shape === 'context') return [ctx, message];
  return [ctx.userId, legacySocket(ctx), message];
}

type AnyHandler =
  ((...args: never[]) => unknown) | { handle: (...args: never[]) => unknown; canHandle?(type: string): boolean };

/** One canonical handler per legacy handler, so removeHandler finds what addHandler registered. */
const adapters = new WeakMap<object, MessageHandler>();

function adapt(handler: unknown): MessageHandler {
  if (handler === null || (typeof handler !== 'function' && typeof handler !== 'object')) {
    throw new TypeError('handler must be a function or an object with handle()');
  }
  let adapter = adapters.get(handler);
  if (!adapter) {
    adapter = buildAdapter(handler as AnyHandler);
    adapters.set(handler, adapter);
  }
  return adapter;
}

function buildAdapter(handler: AnyHandler): MessageHandler {
  if (typeof handler === 'function') {
    const shape = shapeOf(handler);
    if (shape === 'context') return handler as unknown as MessageHandler;
    const call = handler as (...args: unknown[]) => unknown;
    return (ctx, message) => call(...argumentsFor(shape, ctx, message));
  }
  if (typeof handler.handle !== 'function') throw new TypeError('a handler object needs a handle() method');
  const shape = shapeOf(handler.handle);
  if (shape === 'context') return handler as unknown as MessageHandlerObject;
  const object = handler as { handle: (...args: unknown[]) => unknown; canHandle?(type: string): boolean };
  return {
    handle: (ctx, message) => object.handle(...argumentsFor(shape, ctx, message)),
    // Bound: legacy handler objects are often class instances whose canHandle uses `this`.
    ...(typeof object.canHandle === 'function' ? { canHandle: (type: string) => object.canHandle!(type) } : {}),
  };
}

const userIdAdapters = new WeakMap<object, MessageHandlerObject>();

/**
 * @deprecated Use router.on(type, ({ userId }, message) => ...) from 'ssot-kit/router'.
 * A legacy `(userId, message)` handler, for the legacy methods: at run time a two-parameter
 * function is taken for `(ctx, message)`, so this wrapper says the first parameter is the user id.
 * The same function always gives the same wrapper, so removeHandler(type, userIdHandler(fn)) works.
 */
export function userIdHandler(handler: (userId: string, message: any) => unknown): LegacyHandlerObject {
  deprecated('userIdHandler');
  let wrapper = userIdAdapters.get(handler);
  if (!wrapper) {
    wrapper = Object.freeze({ handle: (ctx: HandlerContext, message: InboundMessage) => handler(ctx.userId, message) });
    userIdAdapters.set(handler, wrapper);
  }
  return wrapper;
}

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

/** An event as legacy code built it: an object literal, or a value of its own event interface. */
export type LegacyEvent = BroadcastEvent;

function toEvent(event: LegacyEvent | string, payload?: unknown): OutboundEvent {
  if (typeof event === 'string') return payload === undefined ? { type: event } : { type: event, payload };
  return event as OutboundEvent;
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
   * addHandler('chat', handler) with a handler of any legacy shape (see above), a `{ handle }`
   * object, or addHandler({ canHandle, handle }) (no type: the object's canHandle decides, for
   * every type). Returns an unsubscribe function.
   */
  addHandler(type: string, handler: LegacyHandler): () => void;
  addHandler(handler: LegacyHandlerObject): () => void;
  addHandler(typeOrHandler: string | LegacyHandler, handler?: LegacyHandler): () => void {
    if (typeof typeOrHandler === 'string') {
      if (handler === undefined) throw new TypeError('addHandler(type, handler): handler is missing');
      return this.canonical.on(typeOrHandler, adapt(handler));
    }
    return this.canonical.on('*', adapt(typeOrHandler));
  }

  /** The same as addHandler (legacy routers had both names). */
  registerHandler(type: string, handler: LegacyHandler): () => void;
  registerHandler(handler: LegacyHandlerObject): () => void;
  registerHandler(typeOrHandler: string | LegacyHandler, handler?: LegacyHandler): () => void {
    return (this.addHandler as (t: string | LegacyHandler, h?: LegacyHandler) => () => void)(typeOrHandler, handler);
  }

  /** Removes what addHandler(type, handler) or addHandler(handlerObject) registered; true if it found it. */
  removeHandler(type: string, handler: LegacyHandler): boolean;
  removeHandler(handler: LegacyHandlerObject): boolean;
  removeHandler(typeOrHandler: string | LegacyHandler, handler?: LegacyHandler): boolean {
    if (typeof typeOrHandler === 'string')
      return handler !== undefined && this.canonical.off(typeOrHandler, adapt(handler));
    return this.canonical.off('*', adapt(typeOrHandler));
  }

  /**
   * Routes `raw` (JSON string or object) as the user of `ctx` (a UserContext or a userId).
   * Resolves to `{ ok, handled, failed, error? }`; legacy code that tested a boolean should test
   * `.ok`. Never rejects for a bad message.
   */
  routeMessage(ctx: LegacyContext, raw: unknown): Promise<LegacyRouteResult> {
    return this.canonical.route(toContext(ctx), raw);
  }

  /**
   * Registers a connection; returns its id. A `(userId, socket, message)` handler gets this very
   * object as its socket (or its `websocket`, when it has no `send` of its own).
   */
  registerConnection(conn: LegacyConnection): string {
    const connection = toConnection(conn);
    registeredAs.set(connection, typeof conn.send === 'function' || !conn.websocket ? conn : conn.websocket);
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
  async broadcastToUser(userId: string, event: LegacyEvent | string, payload?: unknown): Promise<number> {
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
  override async routeMessage(ctx: LegacyContext, raw: unknown): Promise<LegacyRouteResult> {
    const c = toContext(ctx);
    const error = this.#violation(c.userId);
    if (error) return { ok: false, handled: 0, failed: 0, error };
    return super.routeMessage(c, raw);
  }

  /** As MessageRouter#broadcastToUser; another user's id rejects with IsolationError. */
  override async broadcastToUser(userId: string, event: LegacyEvent | string, payload?: unknown): Promise<number> {
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
export function broadcastToUser(userId: string, event: LegacyEvent | string, payload?: unknown): Promise<number>;
export function broadcastToUser(
  router: CanonicalMessageRouter | LegacyRouterBase | undefined,
  userId: string,
  event: LegacyEvent | string,
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
    LegacyEvent | string,
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
