// The five agent events: payload validation and the per-run ordering tracker.
// Validation runs before anything is sent, so a bad payload never reaches a client half-formed.

import { types } from 'node:util';
import type { AgentEventPayloads, AgentEventType, AgentRunStatus } from './types.js';

export const AGENT_EVENT_TYPES: readonly AgentEventType[] = Object.freeze([
  'agent_started',
  'agent_thinking',
  'tool_executing',
  'tool_completed',
  'agent_completed',
]);

export const AGENT_RUN_STATUSES: readonly AgentRunStatus[] = Object.freeze([
  'success',
  'error',
  'cancelled',
  'timeout',
]);

export function isAgentEventType(type: unknown): type is AgentEventType {
  return typeof type === 'string' && (AGENT_EVENT_TYPES as readonly string[]).includes(type);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A copy of `payload` when it is flat JSON data: a plain object (not a proxy) with no `toJSON` on
 * its chain, whose enumerable properties are all its own data properties holding strings, finite
 * numbers, booleans or null. JSON.stringify of the copy is exactly JSON.stringify of the payload,
 * and parsing that text back would give the copy again, so the copy can be validated and sent
 * without a parse. Anything else (nested objects, getters, toJSON, class instances) yields
 * undefined: the caller serializes and parses it back instead.
 */
export function flatJsonCopy(payload: unknown): Record<string, unknown> | undefined {
  if (payload === null || typeof payload !== 'object' || types.isProxy(payload)) return undefined;
  const proto: unknown = Object.getPrototypeOf(payload);
  if ((proto !== Object.prototype && proto !== null) || 'toJSON' in payload) return undefined;
  const copy: Record<string, unknown> = {};
  // for-in also visits inherited enumerable keys: those have no own descriptor and fail below.
  for (const key in payload) {
    const d = Object.getOwnPropertyDescriptor(payload, key);
    if (d === undefined || !('value' in d) || key === '__proto__') return undefined;
    const v: unknown = d.value;
    const t = typeof v;
    if (!(t === 'string' || t === 'boolean' || v === null || (t === 'number' && Number.isFinite(v)))) return undefined;
    copy[key] = v;
  }
  return copy;
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

/** One user's runs. Maps and sets keep insertion order, so the first entry is the oldest. */
interface UserRuns {
  readonly active: Map<string, RunState>;
  readonly finished: Set<string>;
}

interface FinishedRun {
  readonly userId: string;
  readonly runId: string;
}

export const DEFAULT_MAX_TRACKED_RUNS = 100_000;
export const DEFAULT_MAX_TRACKED_RUNS_PER_USER = 1_000;

export interface RunLimits {
  /** Active runs, and separately finished run ids, kept over all users (default 100_000). */
  readonly maxRuns?: number;
  /** Active runs, and separately finished run ids, kept per user (default 1_000). */
  readonly maxRunsPerUser?: number;
}

/** Why an event was refused: its place in the run's lifecycle, or a run limit. */
export interface RunVerdict {
  readonly code: 'OUT_OF_ORDER' | 'RUN_LIMIT';
  readonly reason: string;
}

const outOfOrder = (reason: string): RunVerdict => ({ code: 'OUT_OF_ORDER', reason });

/**
 * Tracks each run's lifecycle so the router can refuse (strict) or count (lenient) events that
 * break the contract clients rely on: `agent_started` first, `agent_completed` last, and every
 * `tool_completed` after a matching `tool_executing`. Runs are keyed by user AND runId, so one
 * user's run ids can never collide with (or be advanced by) another user's.
 *
 * Memory is bounded per user and overall, and one user can never push out another user's active
 * run: a new run of a user that already has `maxRunsPerUser` active runs, or that would take the
 * total past `maxRuns`, is refused (a RUN_LIMIT verdict) instead of evicting anything. Finished run
 * ids (remembered to refuse late events) are forgotten oldest first: a user's own oldest when it
 * holds `maxRunsPerUser` of them, the oldest overall when all users hold `maxRuns`. A forgotten
 * finished run can be started again.
 */
export class RunOrderTracker {
  readonly #users = new Map<string, UserRuns>();
  /** Every remembered finished run, oldest first (the overall cap forgets from the front). */
  readonly #finished = new Map<string, FinishedRun>();
  readonly #maxRuns: number;
  readonly #maxRunsPerUser: number;
  #active = 0;

  /** `limits` as a number is `maxRuns` (the only limit of earlier versions). */
  constructor(limits: number | RunLimits = {}) {
    const l = typeof limits === 'number' ? { maxRuns: limits } : limits;
    this.#maxRuns = Math.max(1, l.maxRuns ?? DEFAULT_MAX_TRACKED_RUNS);
    this.#maxRunsPerUser = Math.max(1, Math.min(this.#maxRuns, l.maxRunsPerUser ?? DEFAULT_MAX_TRACKED_RUNS_PER_USER));
  }

  /**
   * Checks `type` against the run's state. If it is in order (and within the limits) the state
   * advances and `undefined` is returned; otherwise the verdict is returned and nothing changes.
   */
  advance<T extends AgentEventType>(userId: string, type: T, payload: AgentEventPayloads[T]): RunVerdict | undefined {
    const runId = payload.runId;
    const user = this.#users.get(userId);
    const run = user?.active.get(runId);
    if (type === 'agent_started') {
      if (run) return outOfOrder('the run was already started');
      if (user?.finished.has(runId)) return outOfOrder('the run already completed');
      if ((user?.active.size ?? 0) >= this.#maxRunsPerUser) {
        const reason = `the user already has ${this.#maxRunsPerUser} active runs (maxTrackedRunsPerUser)`;
        return { code: 'RUN_LIMIT', reason };
      }
      if (this.#active >= this.#maxRuns) {
        const reason = `the router already tracks ${this.#maxRuns} active runs (maxTrackedRuns)`;
        return { code: 'RUN_LIMIT', reason };
      }
      const runs = user ?? this.#addUser(userId);
      runs.active.set(runId, { openTools: new Map() });
      this.#active++;
      return undefined;
    }
    if (!run || !user) {
      const finished = user?.finished.has(runId) === true;
      return outOfOrder(finished ? 'the run already completed' : 'agent_started was not emitted for this run');
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
        if (open === 0) return outOfOrder(`no tool_executing for tool "${name}" is outstanding`);
        if (open === 1) run.openTools.delete(name);
        else run.openTools.set(name, open - 1);
        return undefined;
      }
      case 'agent_completed':
        user.active.delete(runId);
        this.#active--;
        this.#remember(userId, user, runId);
        return undefined;
      default:
        return undefined; // agent_thinking: any time between start and completion
    }
  }

  /** Number of runs currently between agent_started and agent_completed, over all users. */
  get activeRuns(): number {
    return this.#active;
  }

  /** Number of finished run ids remembered, over all users. */
  get finishedRuns(): number {
    return this.#finished.size;
  }

  /** Number of users with at least one active or remembered finished run. */
  get users(): number {
    return this.#users.size;
  }

  #addUser(userId: string): UserRuns {
    const runs: UserRuns = { active: new Map(), finished: new Set() };
    this.#users.set(userId, runs);
    return runs;
  }

  #remember(userId: string, user: UserRuns, runId: string): void {
    user.finished.add(runId);
    this.#finished.set(finishedKey(userId, runId), { userId, runId });
    if (user.finished.size > this.#maxRunsPerUser) {
      const oldest = user.finished.values().next().value as string;
      this.#forget(userId, user, oldest);
    }
    if (this.#finished.size > this.#maxRuns) {
      const oldest = this.#finished.values().next().value as FinishedRun;
      this.#forget(oldest.userId, this.#users.get(oldest.userId)!, oldest.runId);
    }
  }

  #forget(userId: string, user: UserRuns, runId: string): void {
    user.finished.delete(runId);
    this.#finished.delete(finishedKey(userId, runId));
    if (user.finished.size === 0 && user.active.size === 0) this.#users.delete(userId);
  }
}

/** A key no two (user, run) pairs share: the user id's length makes the split unambiguous. */
function finishedKey(userId: string, runId: string): string {
  return `${userId.length}:${userId}${runId}`;
}
