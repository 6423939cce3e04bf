// The five agent events: payload validation and the per-run ordering tracker.
// Validation runs before anything is sent, so a bad payload never reaches a client half-formed.

import type { AgentEventPayloads, AgentEventType, AgentRunStatus } from './types.js';

export const AGENT_EVENT_TYPES: readonly AgentEventType[] = Object.freeze([
  'agent_started',
  'agent_thinking',
  'tool_executing',
  'tool_completed',
  'agent_completed',
]);

export const AGENT_RUN_STATUSES: readonly AgentRunStatus[] = Object.freeze(['success', 'error', 'cancelled', 'timeout']);

export function isAgentEventType(type: unknown): type is AgentEventType {
  return typeof type === 'string' && (AGENT_EVENT_TYPES as readonly string[]).includes(type);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function nonEmptyString(obj: Record<string, unknown>, key: string, issues: string[]): void {
  const v = obj[key];
  if (typeof v !== 'string' || v.length === 0) issues.push(`${key} must be a non-empty string`);
}

/**
 * Returns every problem with `payload` for an event of `type` (empty when valid). Unknown extra
 * fields are allowed: producers may attach metadata, and rejecting it would break them for no
 * safety gain. Required fields are checked for type, not just presence.
 */
export function validateAgentPayload(type: AgentEventType, payload: unknown): string[] {
  const issues: string[] = [];
  if (!isPlainObject(payload)) return ['payload must be a plain object'];
  nonEmptyString(payload, 'runId', issues);
  switch (type) {
    case 'agent_started':
      nonEmptyString(payload, 'agentName', issues);
      nonEmptyString(payload, 'threadId', issues);
      break;
    case 'agent_thinking':
      if (typeof payload['reasoning'] !== 'string') issues.push('reasoning must be a string');
      break;
    case 'tool_executing':
      nonEmptyString(payload, 'toolName', issues);
      if (!isPlainObject(payload['parameters'])) issues.push('parameters must be a plain object');
      break;
    case 'tool_completed': {
      nonEmptyString(payload, 'toolName', issues);
      if (payload['results'] === undefined) issues.push('results is required (use null for "no results")');
      const d = payload['durationMs'];
      if (typeof d !== 'number' || !Number.isFinite(d) || d < 0) issues.push('durationMs must be a finite number >= 0');
      break;
    }
    case 'agent_completed': {
      const s = payload['status'];
      if (typeof s !== 'string' || !(AGENT_RUN_STATUSES as readonly string[]).includes(s)) {
        issues.push(`status must be one of ${AGENT_RUN_STATUSES.join(', ')}`);
      }
      if (typeof payload['finalResponse'] !== 'string') issues.push('finalResponse must be a string');
      break;
    }
    default:
      issues.push(`unknown agent event type "${String(type)}"`);
  }
  return issues;
}

interface RunState {
  /** Outstanding tool_executing count per tool name (the same tool may run concurrently). */
  readonly openTools: Map<string, number>;
}

/**
 * Tracks each run's lifecycle so the router can refuse (strict) or count (lenient) events that
 * break the contract clients rely on: `agent_started` first, `agent_completed` last, and every
 * `tool_completed` after a matching `tool_executing`. Runs are keyed by user AND runId, so one
 * user's run ids can never collide with (or be advanced by) another user's.
 *
 * Memory is bounded: at most `maxRuns` active runs and `maxRuns` finished run ids are kept; the
 * oldest are forgotten first (a forgotten finished run can be started again; a forgotten active
 * run's later events report "not started").
 */
export class RunOrderTracker {
  readonly #active = new Map<string, RunState>();
  readonly #finished = new Map<string, true>();
  readonly #maxRuns: number;

  constructor(maxRuns = 10_000) {
    this.#maxRuns = Math.max(1, maxRuns);
  }

  /**
   * Checks `type` against the run's state. If it is in order the state advances and `undefined`
   * is returned; otherwise the reason is returned and the state is left untouched.
   */
  advance<T extends AgentEventType>(userId: string, type: T, payload: AgentEventPayloads[T]): string | undefined {
    const key = `${userId}\u0000${payload.runId}`;
    const run = this.#active.get(key);
    if (type === 'agent_started') {
      if (run) return 'the run was already started';
      if (this.#finished.has(key)) return 'the run already completed';
      this.#active.set(key, { openTools: new Map() });
      this.#evict(this.#active);
      return undefined;
    }
    if (!run) {
      return this.#finished.has(key) ? 'the run already completed' : 'agent_started was not emitted for this run';
    }
    switch (type) {
      case 'tool_executing': {
        const name = (payload as AgentEventPayloads['tool_executing']).toolName;
        run.openTools.set(name, (run.openTools.get(name) ?? 0) + 1);
        return undefined;
      }
      case 'tool_completed': {
        const name = (payload as AgentEventPayloads['tool_completed']).toolName;
        const open = run.openTools.get(name) ?? 0;
        if (open === 0) return `no tool_executing for tool "${name}" is outstanding`;
        if (open === 1) run.openTools.delete(name);
        else run.openTools.set(name, open - 1);
        return undefined;
      }
      case 'agent_completed':
        this.#active.delete(key);
        this.#finished.set(key, true);
        this.#evict(this.#finished);
        return undefined;
      default:
        return undefined; // agent_thinking: any time between start and completion
    }
  }

  /** Number of runs currently between agent_started and agent_completed. */
  get activeRuns(): number {
    return this.#active.size;
  }

  #evict(map: Map<string, unknown>): void {
    while (map.size > this.#maxRuns) {
      const oldest = map.keys().next();
      if (oldest.done) return;
      map.delete(oldest.value);
    }
  }
}
