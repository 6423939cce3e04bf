// Typed errors of the canonical router. Every failure the router reports carries a stable
// `code`, so transports (the ws adapter's error frames) and callers can branch on it without
// parsing messages.

export type RouterErrorCode =
  | 'MALFORMED_MESSAGE'
  | 'NO_HANDLER'
  | 'HANDLER_FAILED'
  | 'ISOLATION_VIOLATION'
  | 'INVALID_PAYLOAD'
  | 'OUT_OF_ORDER'
  | 'RUN_LIMIT'
  | 'FRAME_TOO_LARGE'
  | 'UNSUPPORTED_FRAME'
  | 'INBOUND_OVERFLOW'
  | 'ROUTER_CLOSED';

export class RouterError extends Error {
  readonly code: RouterErrorCode;
  constructor(code: RouterErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RouterError';
    this.code = code;
  }
}

/** The message could not be parsed or is not an object with a non-empty string `type`. */
export class MalformedMessageError extends RouterError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MALFORMED_MESSAGE', message, options);
    this.name = 'MalformedMessageError';
  }
}

/** No handler is registered for the message type. */
export class NoHandlerError extends RouterError {
  readonly type: string;
  constructor(type: string) {
    super('NO_HANDLER', `no handler registered for message type "${type}"`);
    this.name = 'NoHandlerError';
    this.type = type;
  }
}

/** One or more handlers threw; the others still ran. `causes` holds what they threw. */
export class HandlerError extends RouterError {
  readonly causes: readonly unknown[];
  constructor(type: string, causes: readonly unknown[]) {
    super('HANDLER_FAILED', `${causes.length} handler(s) for "${type}" failed`, { cause: causes[0] });
    this.name = 'HandlerError';
    this.causes = causes;
  }
}

/**
 * A message or connection tried to act as a user other than the authenticated one.
 * `authenticatedUserId` is the identity the router trusts; `claimedUserId` is what was claimed.
 */
export class IsolationError extends RouterError {
  readonly authenticatedUserId: string;
  readonly claimedUserId: string;
  constructor(authenticatedUserId: string, claimedUserId: string, where: string) {
    super(
      'ISOLATION_VIOLATION',
      `${where} claims user "${claimedUserId}" but the authenticated user is "${authenticatedUserId}"`,
    );
    this.name = 'IsolationError';
    this.authenticatedUserId = authenticatedUserId;
    this.claimedUserId = claimedUserId;
  }
}

/** An outbound agent event payload failed validation. `issues` lists every problem found. */
export class EventValidationError extends RouterError {
  readonly eventType: string;
  readonly issues: readonly string[];
  constructor(eventType: string, issues: readonly string[]) {
    super('INVALID_PAYLOAD', `invalid ${eventType} payload: ${issues.join('; ')}`);
    this.name = 'EventValidationError';
    this.eventType = eventType;
    this.issues = issues;
  }
}

/** An agent event was emitted out of the run's lifecycle order (strict mode only). */
export class EventOrderError extends RouterError {
  readonly eventType: string;
  readonly runId: string;
  constructor(eventType: string, runId: string, reason: string) {
    super('OUT_OF_ORDER', `${eventType} for run "${runId}" is out of order: ${reason}`);
    this.name = 'EventOrderError';
    this.eventType = eventType;
    this.runId = runId;
  }
}

/**
 * A new agent run was refused because its user already has `maxTrackedRunsPerUser` active runs, or
 * the router already tracks `maxTrackedRuns` active runs. Refusing is the alternative to evicting
 * someone's active run, which would break that run's event stream.
 */
export class RunLimitError extends RouterError {
  readonly eventType: string;
  readonly runId: string;
  constructor(eventType: string, runId: string, reason: string) {
    super('RUN_LIMIT', `${eventType} for run "${runId}" was refused: ${reason}`);
    this.name = 'RunLimitError';
    this.eventType = eventType;
    this.runId = runId;
  }
}
