// A router bound to one user. It is the only way to deliver events, so code that holds a scope
// can reach its own user's connections and nobody else's: there is no userId parameter to get
// wrong, and the scope does not expose the router it came from.

import { IsolationError } from './errors.js';
import type {
  AgentEventPayloads,
  AgentEventType,
  BroadcastEvent,
  Connection,
  DeliveryOptions,
  DeliveryResult,
  RouteResult,
  ScopedRouterApi,
  UserContext,
} from './types.js';

/** The capabilities a scope needs from its router; kept internal to the package. */
export interface RouterCore {
  route(ctx: UserContext, raw: unknown): Promise<RouteResult>;
  emitFor<T extends AgentEventType>(
    ctx: UserContext,
    type: T,
    payload: AgentEventPayloads[T],
    options?: DeliveryOptions,
  ): Promise<DeliveryResult>;
  broadcastFor(ctx: UserContext, event: BroadcastEvent, options?: DeliveryOptions): Promise<DeliveryResult>;
  replyFor(ctx: UserContext, event: BroadcastEvent): Promise<DeliveryResult>;
  connectionIdsOf(userId: string): string[];
  register(connection: Connection): () => void;
  countIsolationRejection(error: IsolationError): void;
}

export class ScopedRouter implements ScopedRouterApi {
  readonly #core: RouterCore;
  readonly context: Readonly<UserContext>;

  constructor(core: RouterCore, context: UserContext) {
    this.#core = core;
    this.context = Object.freeze({ ...context });
  }

  get userId(): string {
    return this.context.userId;
  }

  /** Routes an inbound message as this user. Identity claims in the message must match. */
  route(raw: unknown): Promise<RouteResult> {
    return this.#core.route(this.context, raw);
  }

  /**
   * Emits one of the five agent events to this user's connections (only `threadId`'s when given,
   * defaulting to the scope's thread). Validated and order-checked before anything is sent.
   */
  emit<T extends AgentEventType>(
    type: T,
    payload: AgentEventPayloads[T],
    options?: DeliveryOptions,
  ): Promise<DeliveryResult> {
    return this.#core.emitFor(this.context, type, payload, options);
  }

  /** Sends any event to this user's connections. Agent event types go through `emit`'s checks. */
  broadcast(event: BroadcastEvent, options?: DeliveryOptions): Promise<DeliveryResult> {
    return this.#core.broadcastFor(this.context, event, options);
  }

  /**
   * Sends `event` to this scope's connection only (`context.connectionId`: in a handler, the
   * socket the message came from), through that connection's bounded queue. Agent event types go
   * through `emit`'s checks. Rejects with a TypeError when the context has no connectionId, and with
   * an IsolationError when that connection belongs to another user.
   */
  reply(event: BroadcastEvent): Promise<DeliveryResult> {
    return this.#core.replyFor(this.context, event);
  }

  /** Registers a connection for this user; a connection of another user is refused. */
  register(connection: Connection): () => void {
    if (connection.userId !== this.context.userId) {
      const error = new IsolationError(this.context.userId, connection.userId, `connection "${connection.id}"`);
      this.#core.countIsolationRejection(error);
      throw error;
    }
    return this.#core.register(connection);
  }

  /** Ids of this user's open connections. */
  connectionIds(): string[] {
    return this.#core.connectionIdsOf(this.context.userId);
  }
}
