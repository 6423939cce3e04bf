// The canonical message router: connections in, handlers by type, agent events out.

import {
  EventOrderError,
  EventValidationError,
  HandlerError,
  IsolationError,
  MalformedMessageError,
  NoHandlerError,
  RouterError,
  RunLimitError,
} from './errors.js';
import { flatJsonCopy, isAgentEventType, RunOrderTracker, validateAgentPayload } from './events.js';
import { DeliveryQueue, type FatalReason, type SendOutcome } from './queue.js';
import { ScopedRouter, type RouterCore } from './scoped.js';
import type {
  AgentEventPayloads,
  AgentEventType,
  BroadcastEvent,
  Connection,
  DeliveryOptions,
  DeliveryResult,
  HandlerContext,
  HealthStatus,
  InboundMessage,
  MessageHandler,
  OutboundEvent,
  RouteResult,
  RouterOptions,
  RouterStats,
  UserContext,
} from './types.js';

export const DEFAULT_MAX_PENDING_PER_CONNECTION = 1024;
export const DEFAULT_MAX_PENDING_BYTES_PER_CONNECTION = 8 * 1024 * 1024;
/** Close code used for slow consumers: 1013 "Try Again Later". */
export const SLOW_CONSUMER_CLOSE_CODE = 1013;
/** Close code used when a send failed: 1011 "Internal Error". */
export const SEND_FAILED_CLOSE_CODE = 1011;

/** Handlers registered under this type see every message (after the type's own handlers). */
export const WILDCARD = '*';

interface Registration {
  readonly handler: MessageHandler;
}

interface ConnectionRecord {
  readonly conn: Connection;
  readonly queue: DeliveryQueue;
}

interface Counters {
  messagesRouted: number;
  messagesRejected: number;
  handlerErrors: number;
  eventsEmitted: number;
  eventsDelivered: number;
  failedSends: number;
  isolationRejections: number;
  validationErrors: number;
  orderingViolations: number;
  runLimitRefusals: number;
  slowConsumerDrops: number;
  connectionsDropped: number;
}

/** Keys that claim an identity, at the top level of a message and in its `payload`. */
export const IDENTITY_KEYS: readonly string[] = Object.freeze(['userId', 'user_id']);

/** Stands for a claim held by a getter: its value may differ between two reads, so it cannot be checked. */
const ACCESSOR_CLAIM = '[getter]';

/**
 * The value `key` holds in `obj` as a handler reading `obj[key]` would see it (own or inherited),
 * without running a getter: an accessor yields ACCESSOR_CLAIM.
 */
function claimAt(obj: object, key: string): unknown {
  for (let o: object | null = obj; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    const d = Object.getOwnPropertyDescriptor(o, key);
    if (d) return 'value' in d ? d.value : ACCESSOR_CLAIM;
  }
  return undefined;
}

/**
 * The first identity claim of `message` that is not `userId`, or undefined when every position is
 * absent or names `userId`. Every position is checked, not only the first one present: a handler
 * may read any of them.
 */
function foreignClaim(
  message: InboundMessage,
  keys: readonly string[],
  userId: string,
): { claimed: unknown; where: string } | undefined {
  const payload = message.payload;
  const inPayload = payload !== null && typeof payload === 'object';
  for (const key of keys) {
    const top = claimAt(message, key);
    if (top !== undefined && top !== userId) return { claimed: top, where: key };
    if (!inPayload) continue;
    const nested = claimAt(payload, key);
    if (nested !== undefined && nested !== userId) return { claimed: nested, where: `payload.${key}` };
  }
  return undefined;
}

/** A claim as text for the error, without calling anything on it (an object could throw from toString). */
function describeClaim(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? '[array]' : '[object]';
  return typeof value === 'symbol' ? value.toString() : String(value);
}

function identityKeys(extra: readonly string[] | undefined): readonly string[] {
  if (extra === undefined) return IDENTITY_KEYS;
  if (!Array.isArray(extra) || extra.some((k) => typeof k !== 'string' || k.length === 0)) {
    throw new TypeError('RouterOptions.identityKeys must be an array of non-empty strings');
  }
  return Object.freeze([...new Set([...IDENTITY_KEYS, ...extra])]);
}

/** JSON text of a timestamp; a clock that returns something odd still yields valid JSON. */
function jsonTimestamp(value: number): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : 'null';
}

function parseInbound(raw: unknown): InboundMessage {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (cause) {
      throw new MalformedMessageError('message is not valid JSON', { cause });
    }
  } else if (raw instanceof Uint8Array) {
    return parseInbound(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8'));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new MalformedMessageError('message must be a JSON object');
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || type.length === 0) {
    throw new MalformedMessageError('message must have a non-empty string "type"');
  }
  return value as InboundMessage;
}

function assertContext(ctx: UserContext): void {
  if (ctx === null || typeof ctx !== 'object' || typeof ctx.userId !== 'string' || ctx.userId.length === 0) {
    throw new TypeError('a UserContext with a non-empty string userId is required');
  }
}

function invoke(handler: MessageHandler, ctx: HandlerContext, message: InboundMessage): unknown {
  return typeof handler === 'function' ? handler(ctx, message) : handler.handle(ctx, message);
}

function accepts(handler: MessageHandler, type: string): boolean {
  return typeof handler === 'function' || typeof handler.canHandle !== 'function' || handler.canHandle(type);
}

export class CanonicalMessageRouter {
  readonly #strict: boolean;
  readonly #maxPending: number;
  readonly #maxPendingBytes: number;
  readonly #identityKeys: readonly string[];
  readonly #clock: () => number;
  readonly #onError: RouterOptions['onError'];
  readonly #tracker: RunOrderTracker;
  /** type -> registrations. Arrays are replaced, never mutated, so routing iterates a snapshot. */
  readonly #handlers = new Map<string, readonly Registration[]>();
  readonly #connections = new Map<string, ConnectionRecord>();
  readonly #byUser = new Map<string, Map<string, ConnectionRecord>>();
  readonly #counters: Counters = {
    messagesRouted: 0,
    messagesRejected: 0,
    handlerErrors: 0,
    eventsEmitted: 0,
    eventsDelivered: 0,
    failedSends: 0,
    isolationRejections: 0,
    validationErrors: 0,
    orderingViolations: 0,
    runLimitRefusals: 0,
    slowConsumerDrops: 0,
    connectionsDropped: 0,
  };
  #closed = false;
  /** What scopes may call. A separate object so a ScopedRouter never holds the router itself. */
  readonly #core: RouterCore;

  constructor(options: RouterOptions = {}) {
    this.#strict = options.strictOrdering ?? true;
    this.#maxPending = options.maxPendingPerConnection ?? DEFAULT_MAX_PENDING_PER_CONNECTION;
    this.#maxPendingBytes = options.maxPendingBytesPerConnection ?? DEFAULT_MAX_PENDING_BYTES_PER_CONNECTION;
    this.#identityKeys = identityKeys(options.identityKeys);
    this.#clock = options.clock ?? Date.now;
    this.#onError = options.onError;
    this.#tracker = new RunOrderTracker({
      ...(options.maxTrackedRuns !== undefined ? { maxRuns: options.maxTrackedRuns } : {}),
      ...(options.maxTrackedRunsPerUser !== undefined ? { maxRunsPerUser: options.maxTrackedRunsPerUser } : {}),
    });
    this.#core = {
      route: (ctx, raw) => this.route(ctx, raw),
      emitFor: (ctx, type, payload, opts) => this.#emit(ctx, type, payload, opts),
      broadcastFor: (ctx, event, opts) => this.#broadcast(ctx, event, opts),
      replyFor: (ctx, event) => this.#reply(ctx, event),
      connectionIdsOf: (userId) => [...(this.#byUser.get(userId)?.keys() ?? [])],
      register: (conn) => this.register(conn),
      countIsolationRejection: (error) => this.#isolationRejected(error),
    };
  }

  get strictOrdering(): boolean {
    return this.#strict;
  }

  get closed(): boolean {
    return this.#closed;
  }

  // ---- connections -------------------------------------------------------------------------

  /**
   * Registers a connection and returns a function that unregisters it. Re-registering an id of
   * the same user replaces the old connection; an id owned by another user is refused with an
   * IsolationError (it would let one user take over another's socket slot).
   */
  register(connection: Connection): () => void {
    if (this.#closed) throw new RouterError('ROUTER_CLOSED', 'the router is closed');
    if (!connection || typeof connection.id !== 'string' || typeof connection.send !== 'function') {
      throw new TypeError('a connection needs a string id and a send(data) function');
    }
    if (typeof connection.userId !== 'string' || connection.userId.length === 0) {
      throw new TypeError(`connection "${connection.id}" needs a non-empty string userId`);
    }
    const existing = this.#connections.get(connection.id);
    if (existing) {
      if (existing.conn.userId !== connection.userId) {
        const error = new IsolationError(existing.conn.userId, connection.userId, `connection id "${connection.id}"`);
        this.#isolationRejected(error);
        throw error;
      }
      this.#remove(existing);
    }
    const record: ConnectionRecord = {
      conn: connection,
      queue: new DeliveryQueue(
        connection,
        this.#maxPending,
        (reason, error) => this.#onFatal(record, reason, error),
        this.#maxPendingBytes,
      ),
    };
    this.#connections.set(connection.id, record);
    let userConns = this.#byUser.get(connection.userId);
    if (!userConns) {
      userConns = new Map();
      this.#byUser.set(connection.userId, userConns);
    }
    userConns.set(connection.id, record);
    return () => {
      if (this.#connections.get(connection.id) === record) this.#remove(record);
    };
  }

  /** Removes a connection without closing it (the transport already closed). */
  unregister(connectionId: string): boolean {
    const record = this.#connections.get(connectionId);
    if (!record) return false;
    this.#remove(record);
    return true;
  }

  hasConnection(connectionId: string): boolean {
    return this.#connections.has(connectionId);
  }

  #remove(record: ConnectionRecord): void {
    record.queue.abandon();
    this.#connections.delete(record.conn.id);
    const userConns = this.#byUser.get(record.conn.userId);
    if (userConns?.get(record.conn.id) === record) {
      userConns.delete(record.conn.id);
      if (userConns.size === 0) this.#byUser.delete(record.conn.userId);
    }
  }

  #onFatal(record: ConnectionRecord, reason: FatalReason, error?: unknown): void {
    if (reason === 'overflow') this.#counters.slowConsumerDrops++;
    else this.#counters.connectionsDropped++;
    if (this.#connections.get(record.conn.id) === record) this.#remove(record);
    if (reason === 'failed')
      this.#report(error, { kind: 'send', userId: record.conn.userId, connectionId: record.conn.id });
    try {
      if (reason === 'overflow') record.conn.close?.(SLOW_CONSUMER_CLOSE_CODE, 'slow consumer');
      else record.conn.close?.(SEND_FAILED_CLOSE_CODE, 'send failed');
    } catch {
      // The connection is already gone from the router; a failing close changes nothing.
    }
  }

  // ---- handlers ----------------------------------------------------------------------------

  /**
   * Adds a handler for `type` (or `'*'` for every type). Handlers of a type run in registration
   * order, each awaited before the next. Returns an idempotent unsubscribe function.
   */
  on(type: string, handler: MessageHandler): () => void {
    if (typeof type !== 'string' || type.length === 0) throw new TypeError('handler type must be a non-empty string');
    if (
      typeof handler !== 'function' &&
      (handler === null || typeof handler !== 'object' || typeof handler.handle !== 'function')
    ) {
      throw new TypeError('handler must be a function or an object with handle(ctx, message)');
    }
    const registration: Registration = { handler };
    this.#handlers.set(type, [...(this.#handlers.get(type) ?? []), registration]);
    return () => {
      this.#removeRegistration(type, (r) => r === registration);
    };
  }

  /** Removes the first registration of `handler` for `type`. Returns whether one was removed. */
  off(type: string, handler: MessageHandler): boolean {
    return this.#removeRegistration(type, (r) => r.handler === handler);
  }

  handlerCount(type?: string): number {
    if (type !== undefined) return this.#handlers.get(type)?.length ?? 0;
    let n = 0;
    for (const list of this.#handlers.values()) n += list.length;
    return n;
  }

  #removeRegistration(type: string, match: (r: Registration) => boolean): boolean {
    const list = this.#handlers.get(type);
    if (!list) return false;
    const index = list.findIndex(match);
    if (index < 0) return false;
    const next = list.filter((_, i) => i !== index);
    if (next.length === 0) this.#handlers.delete(type);
    else this.#handlers.set(type, next);
    return true;
  }

  // ---- inbound -----------------------------------------------------------------------------

  /**
   * Routes one inbound message for the authenticated `ctx`. `raw` is a JSON string, bytes or an
   * already-parsed object. Never throws for a bad message: the result carries a typed error.
   * Identity comes from `ctx` only; a message in which any identity position (`userId`,
   * `user_id` and the configured `identityKeys`, at top level and in `payload`) holds anything but
   * `ctx.userId` is rejected with an IsolationError before any handler runs.
   */
  async route(ctx: UserContext, raw: unknown): Promise<RouteResult> {
    assertContext(ctx);
    let message: InboundMessage;
    try {
      message = parseInbound(raw);
    } catch (error) {
      this.#counters.messagesRejected++;
      return { ok: false, handled: 0, failed: 0, error: error as RouterError };
    }
    const type = message.type;
    const claim = foreignClaim(message, this.#identityKeys, ctx.userId);
    if (claim !== undefined) {
      const where = `message "${type}" (${claim.where})`;
      return this.#rejectSpoof(new IsolationError(ctx.userId, describeClaim(claim.claimed), where), type);
    }
    const connection = ctx.connectionId !== undefined ? this.#connections.get(ctx.connectionId)?.conn : undefined;
    if (connection !== undefined && connection.userId !== ctx.userId) {
      const error = new IsolationError(ctx.userId, connection.userId, `connection "${ctx.connectionId}"`);
      return this.#rejectSpoof(error, type);
    }

    const handlers: MessageHandler[] = [];
    for (const r of this.#handlers.get(type) ?? []) if (accepts(r.handler, type)) handlers.push(r.handler);
    if (type !== WILDCARD) {
      for (const r of this.#handlers.get(WILDCARD) ?? []) if (accepts(r.handler, type)) handlers.push(r.handler);
    }
    if (handlers.length === 0) {
      this.#counters.messagesRejected++;
      return { ok: false, type, handled: 0, failed: 0, error: new NoHandlerError(type) };
    }

    this.#counters.messagesRouted++;
    const scope = new ScopedRouter(this.#core, ctx);
    const handlerCtx: HandlerContext = Object.freeze({ ...ctx, scope, ...(connection ? { connection } : {}) });
    let handled = 0;
    const causes: unknown[] = [];
    for (const handler of handlers) {
      try {
        await invoke(handler, handlerCtx, message);
        handled++;
      } catch (error) {
        // A throwing handler must not stop the others (or other users): record and go on.
        causes.push(error);
        this.#counters.handlerErrors++;
        this.#report(error, {
          kind: 'handler',
          userId: ctx.userId,
          type,
          ...(ctx.connectionId ? { connectionId: ctx.connectionId } : {}),
        });
      }
    }
    if (causes.length > 0)
      return { ok: false, type, handled, failed: causes.length, error: new HandlerError(type, causes) };
    return { ok: true, type, handled, failed: 0 };
  }

  #rejectSpoof(error: IsolationError, type: string): RouteResult {
    this.#counters.messagesRejected++;
    this.#isolationRejected(error);
    return { ok: false, type, handled: 0, failed: 0, error };
  }

  /**
   * Counts an isolation violation caught outside the router (transports and adapters that enforce
   * a user binding themselves), so stats().isolationRejections stays the one number to watch.
   */
  recordIsolationRejection(error: IsolationError): void {
    this.#isolationRejected(error);
  }

  #isolationRejected(error: IsolationError): void {
    this.#counters.isolationRejections++;
    this.#report(error, { kind: 'isolation', userId: error.authenticatedUserId });
  }

  // ---- outbound ----------------------------------------------------------------------------

  /** A router bound to `ctx.userId`: the only way to deliver events to a user. */
  forUser(ctx: UserContext | string): ScopedRouter {
    const context: UserContext = typeof ctx === 'string' ? { userId: ctx } : ctx;
    assertContext(context);
    return new ScopedRouter(this.#core, context);
  }

  // Not async on purpose: validation, ordering and enqueueing happen synchronously at call time,
  // so `emit(a); emit(b)` without awaiting still delivers a before b.
  #emit<T extends AgentEventType>(
    ctx: UserContext,
    type: T,
    payload: AgentEventPayloads[T],
    options?: DeliveryOptions,
    target?: string,
  ): Promise<DeliveryResult> {
    try {
      if (!isAgentEventType(type)) {
        this.#counters.validationErrors++;
        throw new EventValidationError(String(type), [`"${String(type)}" is not an agent event type`]);
      }
      // Judge what is sent, not the object: a flat payload is copied (one read of each field, and
      // the copy serializes to exactly the JSON parsing would give back); anything else is
      // serialized once (toJSON methods and getters run exactly once, here) and parsed back. Either
      // way the payload validated and order-checked is byte for byte the one sent.
      const flat = flatJsonCopy(payload);
      const json = flat === undefined ? this.#serialize(type, payload) : undefined;
      const sent: unknown = flat ?? (json === undefined ? undefined : JSON.parse(json));
      const issues = validateAgentPayload(type, sent);
      if (issues.length > 0) {
        this.#counters.validationErrors++;
        throw new EventValidationError(type, issues);
      }
      const valid = sent as AgentEventPayloads[T];
      const verdict = this.#tracker.advance(ctx.userId, type, valid);
      if (verdict?.code === 'RUN_LIMIT') {
        this.#counters.runLimitRefusals++;
        if (this.#strict) throw new RunLimitError(type, valid.runId, verdict.reason);
      } else if (verdict !== undefined) {
        this.#counters.orderingViolations++;
        if (this.#strict) throw new EventOrderError(type, valid.runId, verdict.reason);
      }
      const timestamp = this.#clock();
      // The parsed-back case reuses its text: the same key order as JSON.stringify({ type,
      // timestamp, payload }), and `type` is one of five fixed identifiers, so it needs no escaping.
      const data =
        json === undefined
          ? this.#serialize(type, { type, timestamp, payload: sent })!
          : `{"type":"${type}","timestamp":${jsonTimestamp(timestamp)},"payload":${json}}`;
      return this.#deliver(ctx, data, options, target);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #broadcast(
    ctx: UserContext,
    event: BroadcastEvent,
    options?: DeliveryOptions,
    target?: string,
  ): Promise<DeliveryResult> {
    if (event === null || typeof event !== 'object') return this.#invalidEvent();
    // One read of the event's own fields: the checks below and the frame all use this copy, so a
    // getter cannot show the checks one value and the client another.
    const copy: Record<string, unknown> = { ...event };
    const type = copy['type'];
    if (typeof type !== 'string' || type.length === 0) return this.#invalidEvent();
    if (isAgentEventType(type)) {
      return this.#emit(ctx, type, copy['payload'] as AgentEventPayloads[AgentEventType], options, target);
    }
    try {
      if (typeof copy['toJSON'] === 'function') {
        // It would replace the whole frame, type included (even with an agent event type).
        this.#counters.validationErrors++;
        throw new EventValidationError(type, ['an event must not have its own toJSON: the frame would not be it']);
      }
      if (typeof copy['timestamp'] !== 'number') copy['timestamp'] = this.#clock();
      return this.#deliver(ctx, this.#serialize(type, copy)!, options, target);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #invalidEvent(): Promise<never> {
    return Promise.reject(new EventValidationError('event', ['event must be an object with a non-empty string type']));
  }

  /** Sends `event` to the one connection `ctx.connectionId` names, through that connection's queue. */
  #reply(ctx: UserContext, event: BroadcastEvent): Promise<DeliveryResult> {
    const id = ctx.connectionId;
    if (id === undefined) return Promise.reject(new TypeError('reply needs a scope whose context has a connectionId'));
    const owner = this.#connections.get(id)?.conn.userId;
    if (owner !== undefined && owner !== ctx.userId) {
      const error = new IsolationError(ctx.userId, owner, `reply to connection "${id}"`);
      this.#isolationRejected(error);
      return Promise.reject(error);
    }
    return this.#broadcast(ctx, event, undefined, id);
  }

  #serialize(type: string, value: unknown): string | undefined {
    try {
      return JSON.stringify(value);
    } catch (cause) {
      this.#counters.validationErrors++;
      throw new EventValidationError(type, [`not serializable: ${(cause as Error).message}`]);
    }
  }

  /**
   * Hands `data` to every open connection of the user (of `options.threadId` if given), or to the
   * one connection `target` when it is the user's.
   */
  #deliver(ctx: UserContext, data: string, options?: DeliveryOptions, target?: string): Promise<DeliveryResult> {
    this.#counters.eventsEmitted++;
    const thread = options?.threadId ?? ctx.threadId;
    // Measured once per event; each connection's queue adds it to its byte bound.
    const bytes = Buffer.byteLength(data, 'utf8');
    let delivered = 0;
    let failed = 0;
    let skippedClosed = 0;
    let waiting = 0;
    let loopDone = false;
    let resolveLate: ((r: DeliveryResult) => void) | undefined;
    const result = (): DeliveryResult => ({
      delivered,
      failed,
      skippedClosed,
      targeted: delivered + failed + skippedClosed,
      data,
    });
    const tally = (outcome: SendOutcome): void => {
      if (outcome === 'delivered') {
        delivered++;
        this.#counters.eventsDelivered++;
      } else {
        failed++;
        this.#counters.failedSends++;
      }
    };
    // One callback per event, shared by all its connections, for sends that settle later.
    const onLate = (outcome: SendOutcome): void => {
      tally(outcome);
      if (--waiting === 0 && loopDone) resolveLate?.(result());
    };
    const offer = (record: ConnectionRecord): void => {
      if (record.conn.isOpen !== undefined && !record.conn.isOpen()) {
        skippedClosed++;
        this.#counters.connectionsDropped++;
        this.#remove(record);
        return;
      }
      const outcome = record.queue.enqueue(data, onLate, bytes);
      if (outcome === undefined) waiting++;
      else tally(outcome);
    };
    if (target !== undefined) {
      const record = this.#connections.get(target);
      if (record !== undefined && record.conn.userId === ctx.userId) offer(record);
    } else {
      const userConns = this.#byUser.get(ctx.userId);
      // Deleting the current entry while iterating a Map is safe, so closed connections can be
      // dropped in the same pass.
      if (userConns) {
        for (const record of userConns.values()) {
          if (thread === undefined || record.conn.threadId === thread) offer(record);
        }
      }
    }
    loopDone = true;
    if (waiting === 0) return Promise.resolve(result());
    return new Promise<DeliveryResult>((resolve) => {
      resolveLate = resolve;
    });
  }

  // ---- lifecycle and stats -----------------------------------------------------------------

  /** Closes every connection (code 1001) and refuses new ones. Handlers stay registered. */
  close(code = 1001, reason = 'router closed'): void {
    this.#closed = true;
    for (const record of [...this.#connections.values()]) {
      this.#remove(record);
      try {
        record.conn.close?.(code, reason);
      } catch {
        // closing is best effort; the connection is already unregistered
      }
    }
  }

  stats(): RouterStats {
    const c = this.#counters;
    const reasons: string[] = [];
    let status: HealthStatus = 'healthy';
    const attempts = c.eventsDelivered + c.failedSends;
    const failRatio = attempts === 0 ? 0 : c.failedSends / attempts;
    if (this.#closed) {
      status = 'unhealthy';
      reasons.push('router is closed');
    }
    if (attempts >= 10 && failRatio > 0.5) {
      status = 'unhealthy';
      reasons.push(`${(failRatio * 100).toFixed(1)}% of sends failed`);
    } else if (attempts >= 10 && failRatio > 0.05) {
      if (status === 'healthy') status = 'degraded';
      reasons.push(`${(failRatio * 100).toFixed(1)}% of sends failed`);
    }
    const invocations = c.messagesRouted;
    if (invocations >= 10 && c.handlerErrors / invocations > 0.1) {
      if (status === 'healthy') status = 'degraded';
      reasons.push(`handlers failed on ${c.handlerErrors} of ${invocations} routed messages`);
    }
    if (c.slowConsumerDrops > 0) {
      if (status === 'healthy') status = 'degraded';
      reasons.push(`${c.slowConsumerDrops} slow consumer(s) dropped`);
    }
    if (c.isolationRejections > 0) reasons.push(`${c.isolationRejections} isolation rejection(s)`);
    return {
      ...c,
      connections: this.#connections.size,
      users: this.#byUser.size,
      handlers: this.handlerCount(),
      health: { status, reasons },
    };
  }

  #report(error: unknown, info: Parameters<NonNullable<RouterOptions['onError']>>[1]): void {
    if (!this.#onError) return;
    try {
      this.#onError(error, info);
    } catch {
      // An observer must not be able to break routing.
    }
  }
}

/** Factory for the canonical router. */
export function createMessageRouter(options: RouterOptions = {}): CanonicalMessageRouter {
  return new CanonicalMessageRouter(options);
}
