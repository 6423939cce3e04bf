// ssot-kit/router: the canonical message router. Import everything router-related from here.

export {
  CanonicalMessageRouter,
  createMessageRouter,
  DEFAULT_MAX_PENDING_BYTES_PER_CONNECTION,
  DEFAULT_MAX_PENDING_PER_CONNECTION,
  IDENTITY_KEYS,
  SEND_FAILED_CLOSE_CODE,
  SLOW_CONSUMER_CLOSE_CODE,
  WILDCARD,
} from './router.js';
export { ScopedRouter } from './scoped.js';
export { getDefaultRouter, resetDefaultRouter, setDefaultRouter } from './default-router.js';
export {
  AGENT_EVENT_TYPES,
  AGENT_RUN_STATUSES,
  DEFAULT_MAX_TRACKED_RUNS,
  DEFAULT_MAX_TRACKED_RUNS_PER_USER,
  RunOrderTracker,
  isAgentEventType,
  validateAgentPayload,
} from './events.js';
export type { RunLimits, RunVerdict } from './events.js';
export { DeliveryQueue } from './queue.js';
export type { FatalReason, OutcomeCallback, SendOutcome } from './queue.js';
export {
  EventOrderError,
  EventValidationError,
  HandlerError,
  IsolationError,
  MalformedMessageError,
  NoHandlerError,
  RouterError,
  RunLimitError,
} from './errors.js';
export type { RouterErrorCode } from './errors.js';
export {
  attachRouter,
  createRouterServer,
  DEFAULT_INBOUND_ERROR_WINDOW_MS,
  DEFAULT_MAX_FRAME_BYTES,
  DEFAULT_MAX_INBOUND_ERRORS,
  DEFAULT_MAX_INBOUND_PENDING,
  DEFAULT_MAX_INBOUND_PENDING_BYTES,
  MAX_ECHO_CHARS,
  TOO_MANY_ERRORS_CLOSE_CODE,
  UNAUTHENTICATED_CLOSE_CODE,
} from './ws-adapter.js';
export type {
  Authenticate,
  ErrorFrame,
  RouterServer,
  RouterServerOptions,
  WebSocketAdapterOptions,
  WebSocketAdapterStats,
  WebSocketRouterBinding,
} from './ws-adapter.js';
export type {
  AgentEvent,
  AgentEventPayloads,
  AgentEventType,
  AgentRunStatus,
  BroadcastEvent,
  Connection,
  DeliveryOptions,
  DeliveryResult,
  HandlerContext,
  HealthStatus,
  InboundMessage,
  MessageHandler,
  MessageHandlerFn,
  MessageHandlerObject,
  OutboundEvent,
  RouteResult,
  RouterOptions,
  RouterStats,
  ScopedRouterApi,
  UserContext,
} from './types.js';
