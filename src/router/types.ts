// Shared types of the canonical router. Kept free of runtime code so every module (and the
// compat layer) can import them without pulling in behaviour.

import type { RouterError } from './errors.js';

/**
 * Who a message or an event belongs to. The router trusts only this object, which callers build
 * from an authenticated connection (the ws adapter builds it from `authenticate(request)`), never
 * from a message payload.
 */
export interface UserContext {
  readonly userId: string;
  readonly threadId?: string;
  readonly runId?: string;
  readonly requestId?: string;
  readonly connectionId?: string;
}

/**
 * A delivery target. `send` may be synchronous or return a promise; a throw or a rejected promise
 * is a failed send (`sendWithAck` is the callback form of the same). `isOpen` lets the router skip (and drop) connections that closed without being
 * unregistered. `preservesOrder` declares that the transport puts bytes on the wire in the order
 * `send` was called (true of ws, net and any stream), which lets the router pipeline sends instead
 * of waiting for each one to settle.
 */
export interface Connection {
  readonly id: string;
  readonly userId: string;
  readonly threadId?: string;
  send(data: string): void | Promise<unknown>;
  /**
   * Optional callback form of `send`, preferred by the router when present: call `ack` exactly
   * once per send, with an error if it failed, when the transport is done with the data, and in
   * send order (as ws and net do). It spares a promise per delivery on hot paths; the ws adapter
   * passes `ack` straight to ws as the write callback.
   */
  sendWithAck?(data: string, ack: (error?: Error | null) => void): void;
  close?(code?: number, reason?: string): void;
  isOpen?(): boolean;
  readonly preservesOrder?: boolean;
}

/** An inbound message after parsing: an object with a string `type`; everything else is free. */
export interface InboundMessage {
  readonly type: string;
  readonly payload?: unknown;
  readonly [key: string]: unknown;
}

/** What a handler receives besides the message: the trusted identity plus a scoped router. */
export interface HandlerContext extends UserContext {
  /** The router bound to this user: replying through it can only reach this user's connections. */
  readonly scope: ScopedRouterApi;
  /**
   * The connection the message arrived on (the object passed to `register`, found by
   * `connectionId`), when it is registered. For code that needs the transport object itself, such
   * as migrated legacy `(userId, socket, message)` handlers; sending to it bypasses the router.
   */
  readonly connection?: Connection;
}

/**
 * A handler may return anything: a promise is awaited before the next handler runs, any other value
 * is ignored (so an expression-bodied arrow such as `(ctx, m) => log.push(m.type)` is a handler).
 */
export type MessageHandlerFn = (ctx: HandlerContext, message: InboundMessage) => unknown;

/** Handler objects are accepted because legacy code registers `{ handle }` / `{ canHandle, handle }`. */
export interface MessageHandlerObject {
  handle(ctx: HandlerContext, message: InboundMessage): unknown;
  canHandle?(type: string): boolean;
}

export type MessageHandler = MessageHandlerFn | MessageHandlerObject;

export interface RouteResult {
  /** True when at least one handler ran and none failed. */
  readonly ok: boolean;
  readonly type?: string;
  /** Handlers that completed without throwing. */
  readonly handled: number;
  /** Handlers that threw or rejected. */
  readonly failed: number;
  readonly error?: RouterError;
}

// ---- outbound agent events -------------------------------------------------------------------

export type AgentRunStatus = 'success' | 'error' | 'cancelled' | 'timeout';

export interface AgentEventPayloads {
  agent_started: { runId: string; agentName: string; threadId: string };
  agent_thinking: { runId: string; reasoning: string };
  tool_executing: { runId: string; toolName: string; parameters: Record<string, unknown> };
  tool_completed: { runId: string; toolName: string; results: unknown; durationMs: number };
  agent_completed: { runId: string; status: AgentRunStatus; finalResponse: string };
}

export type AgentEventType = keyof AgentEventPayloads;

/** The wire shape of an agent event: `JSON.stringify` of this is what each connection receives. */
export interface AgentEvent<T extends AgentEventType = AgentEventType> {
  readonly type: T;
  /** Milliseconds since the epoch from the router's clock, stamped when the event is emitted. */
  readonly timestamp: number;
  readonly payload: AgentEventPayloads[T];
}

/** Any other outbound event (notifications, replies). Stamped with a timestamp like agent events. */
export interface OutboundEvent {
  readonly type: string;
  readonly payload?: unknown;
  readonly [key: string]: unknown;
}

/**
 * What `broadcast` and `reply` take: an OutboundEvent (an object literal with any fields), or a
 * value of the application's own event interface, which OutboundEvent's index signature would not
 * take. Its own enumerable fields are what is sent.
 */
export type BroadcastEvent = OutboundEvent | { readonly type: string; readonly payload?: unknown };

export interface DeliveryOptions {
  /** Deliver only to connections bound to this thread. Defaults to the scope's `threadId`, if any. */
  readonly threadId?: string;
}

export interface DeliveryResult {
  /** Connections whose send completed successfully (async sends are awaited). Never optimistic. */
  readonly delivered: number;
  /** Connections whose send threw/rejected, or that were dropped as slow consumers. */
  readonly failed: number;
  /** Connections found closed at delivery time and dropped without sending. */
  readonly skippedClosed: number;
  /** Connections the event was addressed to (delivered + failed + skippedClosed). */
  readonly targeted: number;
  /** The exact frame that was sent. */
  readonly data: string;
}

/** The subset of a scoped router that handlers see; declared here to avoid an import cycle. */
export interface ScopedRouterApi {
  readonly context: Readonly<UserContext>;
  route(raw: unknown): Promise<RouteResult>;
  emit<T extends AgentEventType>(
    type: T,
    payload: AgentEventPayloads[T],
    options?: DeliveryOptions,
  ): Promise<DeliveryResult>;
  broadcast(event: BroadcastEvent, options?: DeliveryOptions): Promise<DeliveryResult>;
  /** Sends `event` to the scope's own connection (`context.connectionId`) only, e.g. an ack. */
  reply(event: BroadcastEvent): Promise<DeliveryResult>;
  connectionIds(): string[];
}

// ---- options and stats -----------------------------------------------------------------------

export interface RouterOptions {
  /** Out-of-order agent events throw `EventOrderError` (default true). When false they are delivered and counted. */
  readonly strictOrdering?: boolean;
  /** Maximum unsettled sends per connection before it is dropped as a slow consumer (default 1024). */
  readonly maxPendingPerConnection?: number;
  /**
   * Maximum UTF-8 bytes of unsettled sends per connection before it is dropped as a slow consumer
   * (default 8 MiB). A single frame larger than this still goes out when nothing else is pending.
   */
  readonly maxPendingBytesPerConnection?: number;
  /**
   * Active runs tracked over all users, and separately finished run ids remembered to reject late
   * events (default 100_000). A new run beyond the active limit is refused, never evicts a run.
   */
  readonly maxTrackedRuns?: number;
  /** The same two limits per user (default 1_000): a user's new run beyond them is refused. */
  readonly maxTrackedRunsPerUser?: number;
  /**
   * Extra identity keys checked like `userId` and `user_id`: at top level and in `payload`, each
   * one present must equal the authenticated user id.
   */
  readonly identityKeys?: readonly string[];
  /** Clock for event timestamps, in epoch milliseconds (default Date.now). */
  readonly clock?: () => number;
  /** Observer for errors the router absorbed (handler throws, failed sends). Must not throw. */
  readonly onError?: (
    error: unknown,
    info: { kind: 'handler' | 'send' | 'isolation'; userId?: string; connectionId?: string; type?: string },
  ) => void;
}

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface RouterStats {
  /** Inbound messages that reached at least one handler. */
  readonly messagesRouted: number;
  /** Inbound messages refused (malformed, no handler, isolation). */
  readonly messagesRejected: number;
  readonly handlerErrors: number;
  /** Events accepted for delivery (agent events and broadcasts). */
  readonly eventsEmitted: number;
  /** Successful per-connection deliveries. */
  readonly eventsDelivered: number;
  readonly failedSends: number;
  readonly isolationRejections: number;
  readonly validationErrors: number;
  readonly orderingViolations: number;
  /**
   * New agent runs over `maxTrackedRunsPerUser`/`maxTrackedRuns` (refused in strict mode, delivered
   * untracked otherwise).
   */
  readonly runLimitRefusals: number;
  /** Connections closed because their pending-send queue was full (close code 1013). */
  readonly slowConsumerDrops: number;
  /** Connections removed because they were found closed or their send failed. */
  readonly connectionsDropped: number;
  readonly connections: number;
  readonly users: number;
  readonly handlers: number;
  readonly health: { readonly status: HealthStatus; readonly reasons: readonly string[] };
}
