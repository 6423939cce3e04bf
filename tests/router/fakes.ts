// Test doubles shared by the router suites.
import type { Connection } from '../../src/router/index.js';

export interface FakeConnection extends Connection {
  /** Frames this connection's send accepted, parsed, in call order. */
  readonly received: Array<
    { type: string; timestamp: number; payload?: Record<string, unknown> } & Record<string, unknown>
  >;
  readonly closes: Array<{ code?: number; reason?: string }>;
  open: boolean;
}

export interface FakeOptions {
  threadId?: string;
  /** 'ok' (sync), 'async' (resolves later), 'throw' (sync throw), 'reject' (async reject). */
  mode?: 'ok' | 'async' | 'throw' | 'reject';
  /** Tracks open state via isOpen(); defaults to true. */
  withIsOpen?: boolean;
  /** For async mode: a gate the test resolves to let sends complete; defaults to a microtask. */
  gate?: () => Promise<void>;
}

export function fakeConnection(id: string, userId: string, options: FakeOptions = {}): FakeConnection {
  const mode = options.mode ?? 'ok';
  const received: FakeConnection['received'] = [];
  const closes: FakeConnection['closes'] = [];
  const conn: FakeConnection = {
    id,
    userId,
    ...(options.threadId !== undefined ? { threadId: options.threadId } : {}),
    received,
    closes,
    open: true,
    send(data: string) {
      if (mode === 'throw') throw new Error(`send failed on ${id}`);
      if (mode === 'reject') return Promise.reject(new Error(`async send failed on ${id}`));
      if (mode === 'async') {
        const gate = options.gate ?? (() => Promise.resolve());
        return gate().then(() => {
          received.push(JSON.parse(data));
        });
      }
      received.push(JSON.parse(data));
      return undefined;
    },
    close(code?: number, reason?: string) {
      conn.open = false;
      closes.push({ code, reason });
    },
  };
  if (options.withIsOpen !== false) {
    (conn as { isOpen?: () => boolean }).isOpen = () => conn.open;
  }
  return conn;
}

/** A promise plus its resolver, for gating async sends deterministically. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A full, valid run of agent events for `runId`. */
export function runEvents(runId: string, tools = 1): Array<[string, Record<string, unknown>]> {
  const events: Array<[string, Record<string, unknown>]> = [
    ['agent_started', { runId, agentName: 'triage', threadId: 't1' }],
  ];
  events.push(['agent_thinking', { runId, reasoning: 'looking at the question' }]);
  for (let i = 0; i < tools; i++) {
    events.push(['tool_executing', { runId, toolName: `tool${i}`, parameters: { i } }]);
    events.push(['tool_completed', { runId, toolName: `tool${i}`, results: { ok: i }, durationMs: 3 }]);
  }
  events.push(['agent_completed', { runId, status: 'success', finalResponse: 'done' }]);
  return events;
}
