import { describe, expect, it, vi } from 'vitest';
import {
  CanonicalMessageRouter,
  createMessageRouter,
  EventOrderError,
  EventValidationError,
  HandlerError,
  IsolationError,
  MalformedMessageError,
  NoHandlerError,
  SEND_FAILED_CLOSE_CODE,
  SLOW_CONSUMER_CLOSE_CODE,
  type AgentEventPayloads,
  type AgentEventType,
  type HandlerContext,
  type InboundMessage,
} from '../../src/router/index.js';
import { deferred, fakeConnection, runEvents } from './fakes.js';

type AnyPayload = AgentEventPayloads[AgentEventType];

describe('CanonicalMessageRouter: handlers and routing', () => {
  it('routes by type to several handlers in registration order, awaiting each', async () => {
    const router = createMessageRouter();
    const calls: string[] = [];
    router.on('chat', async (_ctx, m) => {
      await new Promise((r) => setImmediate(r));
      calls.push(`a:${String(m.payload)}`);
    });
    router.on('chat', (_ctx, m) => {
      calls.push(`b:${String(m.payload)}`);
    });
    router.on('other', () => {
      calls.push('other');
    });
    const result = await router.route({ userId: 'u1' }, JSON.stringify({ type: 'chat', payload: 'hi' }));
    expect(result).toMatchObject({ ok: true, type: 'chat', handled: 2, failed: 0 });
    expect(calls).toEqual(['a:hi', 'b:hi']);
  });

  it('gives handlers the trusted identity and a scope bound to it', async () => {
    const router = createMessageRouter();
    const seen: HandlerContext[] = [];
    router.on('ping', (ctx) => {
      seen.push(ctx);
    });
    await router.route({ userId: 'alice', threadId: 't9', requestId: 'r1' }, { type: 'ping' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ userId: 'alice', threadId: 't9', requestId: 'r1' });
    expect(seen[0]?.scope.context.userId).toBe('alice');
  });

  it('gives handlers the connection the message arrived on, only when it is registered', async () => {
    const router = createMessageRouter();
    const mine = fakeConnection('c1', 'u1');
    router.register(mine);
    const seen: Array<HandlerContext['connection']> = [];
    router.on('ping', (ctx) => void seen.push(ctx.connection));
    await router.route({ userId: 'u1', connectionId: 'c1' }, { type: 'ping' });
    await router.route({ userId: 'u1', connectionId: 'unknown' }, { type: 'ping' });
    await router.route({ userId: 'u1' }, { type: 'ping' });
    expect(seen).toEqual([mine, undefined, undefined]);
  });

  it('unsubscribe removes exactly that registration and is idempotent', async () => {
    const router = createMessageRouter();
    const h = vi.fn();
    const off1 = router.on('x', h);
    router.on('x', h);
    expect(router.handlerCount('x')).toBe(2);
    off1();
    off1();
    expect(router.handlerCount('x')).toBe(1);
    const r = await router.route({ userId: 'u' }, { type: 'x' });
    expect(r.handled).toBe(1);
    expect(h).toHaveBeenCalledTimes(1);
    expect(router.off('x', h)).toBe(true);
    expect(router.off('x', h)).toBe(false);
    expect(router.handlerCount()).toBe(0);
  });

  it('supports handler objects with canHandle, and wildcard handlers after typed ones', async () => {
    const router = createMessageRouter();
    const calls: string[] = [];
    router.on('*', { canHandle: (t) => t.startsWith('a'), handle: (_c, m) => void calls.push(`wild:${m.type}`) });
    router.on('alpha', { handle: () => void calls.push('alpha') });
    await router.route({ userId: 'u' }, { type: 'alpha' });
    const none = await router.route({ userId: 'u' }, { type: 'beta' });
    expect(calls).toEqual(['alpha', 'wild:alpha']);
    expect(none.error).toBeInstanceOf(NoHandlerError);
  });

  it('reports malformed messages and missing handlers with typed errors, without throwing', async () => {
    const router = createMessageRouter();
    router.on('ok', () => {});
    for (const raw of [
      '{not json',
      '[1,2]',
      'null',
      JSON.stringify({ payload: 1 }),
      JSON.stringify({ type: '' }),
      42,
    ]) {
      const r = await router.route({ userId: 'u' }, raw);
      expect(r.ok).toBe(false);
      expect(r.error).toBeInstanceOf(MalformedMessageError);
      expect(r.error?.code).toBe('MALFORMED_MESSAGE');
    }
    const r = await router.route({ userId: 'u' }, { type: 'nope' });
    expect(r.error).toBeInstanceOf(NoHandlerError);
    expect(router.stats().messagesRejected).toBe(7);
    expect(router.stats().messagesRouted).toBe(0);
  });

  it('a throwing handler does not stop later handlers or other users', async () => {
    const errors: unknown[] = [];
    const router = createMessageRouter({ onError: (e, info) => errors.push([info.kind, (e as Error).message]) });
    const reached: string[] = [];
    router.on('x', (ctx) => {
      if (ctx.userId === 'bad') throw new Error('boom');
    });
    router.on('x', async (ctx) => {
      if (ctx.userId === 'bad') throw new Error('async boom');
    });
    router.on('x', (ctx) => void reached.push(ctx.userId));
    const [bad, good] = await Promise.all([
      router.route({ userId: 'bad' }, { type: 'x' }),
      router.route({ userId: 'good' }, { type: 'x' }),
    ]);
    expect(bad).toMatchObject({ ok: false, handled: 1, failed: 2 });
    expect(bad.error).toBeInstanceOf(HandlerError);
    expect((bad.error as HandlerError).causes.map((c) => (c as Error).message)).toEqual(['boom', 'async boom']);
    expect(good).toMatchObject({ ok: true, handled: 3, failed: 0 });
    expect(reached.sort()).toEqual(['bad', 'good']);
    expect(router.stats().handlerErrors).toBe(2);
    expect(errors).toEqual([
      ['handler', 'boom'],
      ['handler', 'async boom'],
    ]);
  });

  it('rejects a context without a userId as a programming error', async () => {
    const router = createMessageRouter();
    await expect(router.route({ userId: '' }, { type: 'x' })).rejects.toThrow(TypeError);
    expect(() => router.forUser('')).toThrow(TypeError);
  });
});

describe('isolation', () => {
  const spoofs: Array<[string, Record<string, unknown>]> = [
    ['top-level userId', { type: 'chat', userId: 'victim' }],
    ['top-level user_id', { type: 'chat', user_id: 'victim' }],
    ['payload userId', { type: 'chat', payload: { userId: 'victim', text: 'hi' } }],
    ['payload user_id', { type: 'chat', payload: { user_id: 'victim' } }],
    ['non-string claim', { type: 'chat', userId: 7 }],
  ];
  for (const [label, message] of spoofs) {
    it(`rejects a message claiming another user (${label}) before any handler runs, and counts it`, async () => {
      const router = createMessageRouter();
      const handler = vi.fn();
      router.on('chat', handler);
      const victimConn = fakeConnection('v1', 'victim');
      router.register(victimConn);
      const r = await router.route({ userId: 'attacker' }, JSON.stringify(message));
      expect(r.ok).toBe(false);
      expect(r.error).toBeInstanceOf(IsolationError);
      expect(r.error?.code).toBe('ISOLATION_VIOLATION');
      expect((r.error as IsolationError).authenticatedUserId).toBe('attacker');
      expect(handler).not.toHaveBeenCalled();
      expect(victimConn.received).toEqual([]);
      expect(router.stats().isolationRejections).toBe(1);
    });
  }

  it('accepts a message whose claimed identity matches the authenticated one', async () => {
    const router = createMessageRouter();
    const handler = vi.fn();
    router.on('chat', handler);
    const r = await router.route({ userId: 'me' }, { type: 'chat', userId: 'me', payload: { userId: 'me' } });
    expect(r.ok).toBe(true);
    expect(router.stats().isolationRejections).toBe(0);
  });

  it('rejects a context whose connectionId belongs to another user', async () => {
    const router = createMessageRouter();
    router.on('chat', () => {});
    router.register(fakeConnection('c-victim', 'victim'));
    const r = await router.route({ userId: 'attacker', connectionId: 'c-victim' }, { type: 'chat' });
    expect(r.error).toBeInstanceOf(IsolationError);
    expect(router.stats().isolationRejections).toBe(1);
  });

  it('a scope delivers only to its own user and refuses to register foreign connections', async () => {
    const router = createMessageRouter();
    const a1 = fakeConnection('a1', 'alice');
    const a2 = fakeConnection('a2', 'alice');
    const b1 = fakeConnection('b1', 'bob');
    [a1, a2, b1].forEach((c) => router.register(c));
    const alice = router.forUser({ userId: 'alice' });
    const r = await alice.broadcast({ type: 'note', payload: { text: 'hi' } });
    expect(r.delivered).toBe(2);
    expect(a1.received.map((e) => e.type)).toEqual(['note']);
    expect(a2.received).toHaveLength(1);
    expect(b1.received).toEqual([]);
    expect(() => alice.register(fakeConnection('x', 'bob'))).toThrow(IsolationError);
    expect(alice.connectionIds().sort()).toEqual(['a1', 'a2']);
    expect(router.stats().isolationRejections).toBe(1);
    // The scope exposes no path back to the router or to other users.
    expect(Object.keys(alice)).toEqual(['context']);
  });

  it('refuses to let another user take over a registered connection id', () => {
    const router = createMessageRouter();
    router.register(fakeConnection('shared', 'alice'));
    expect(() => router.register(fakeConnection('shared', 'mallory'))).toThrow(IsolationError);
    expect(router.forUser('alice').connectionIds()).toEqual(['shared']);
  });

  it('handler replies through ctx.scope reach only the sender', async () => {
    const router = createMessageRouter();
    const a = fakeConnection('a', 'alice');
    const b = fakeConnection('b', 'bob');
    router.register(a);
    router.register(b);
    router.on('echo', async (ctx, m: InboundMessage) => {
      await ctx.scope.broadcast({ type: 'echo', payload: m.payload });
    });
    await router.route({ userId: 'bob' }, { type: 'echo', payload: 'x' });
    expect(b.received.map((e) => e.payload)).toEqual(['x']);
    expect(a.received).toEqual([]);
  });
});

describe('agent events: validation, stamping, ordering', () => {
  it('stamps each event with the router clock and the wire shape { type, timestamp, payload }', async () => {
    let now = 1000;
    const router = createMessageRouter({ clock: () => now++ });
    const c = fakeConnection('c', 'u');
    router.register(c);
    const scope = router.forUser('u');
    for (const [type, payload] of runEvents('r1')) await scope.emit(type as AgentEventType, payload as AnyPayload);
    expect(c.received.map((e) => e.type)).toEqual([
      'agent_started',
      'agent_thinking',
      'tool_executing',
      'tool_completed',
      'agent_completed',
    ]);
    expect(c.received.map((e) => e.timestamp)).toEqual([1000, 1001, 1002, 1003, 1004]);
    expect(c.received[0]).toEqual({
      type: 'agent_started',
      timestamp: 1000,
      payload: { runId: 'r1', agentName: 'triage', threadId: 't1' },
    });
  });

  const invalid: Array<[AgentEventType, unknown, RegExp]> = [
    ['agent_started', { runId: 'r', agentName: 'a' }, /threadId/],
    ['agent_started', { runId: '', agentName: 'a', threadId: 't' }, /runId/],
    ['agent_thinking', { runId: 'r', reasoning: 3 }, /reasoning/],
    ['tool_executing', { runId: 'r', toolName: 'x', parameters: [] }, /parameters/],
    ['tool_completed', { runId: 'r', toolName: 'x', durationMs: 1 }, /results/],
    ['tool_completed', { runId: 'r', toolName: 'x', results: null, durationMs: -1 }, /durationMs/],
    ['tool_completed', { runId: 'r', toolName: 'x', results: null, durationMs: Number.NaN }, /durationMs/],
    ['agent_completed', { runId: 'r', status: 'done', finalResponse: '' }, /status/],
    ['agent_completed', { runId: 'r', status: 'success' }, /finalResponse/],
    ['agent_thinking', null, /plain object/],
    ['nonsense' as AgentEventType, { runId: 'r' }, /not an agent event/],
  ];
  for (const [type, payload, pattern] of invalid) {
    it(`rejects an invalid ${type} payload (${pattern.source}) without sending anything`, async () => {
      const router = createMessageRouter({ strictOrdering: false });
      const c = fakeConnection('c', 'u');
      router.register(c);
      const err = await router
        .forUser('u')
        .emit(type, payload as AnyPayload)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EventValidationError);
      expect((err as EventValidationError).message).toMatch(pattern);
      expect(c.received).toEqual([]);
      expect(router.stats().validationErrors).toBe(1);
    });
  }

  it('rejects unserializable payloads as validation errors', async () => {
    const router = createMessageRouter();
    const scope = router.forUser('u');
    await scope.emit('agent_started', { runId: 'r', agentName: 'a', threadId: 't' });
    await expect(
      scope.emit('tool_executing', { runId: 'r', toolName: 'x', parameters: { big: 1n } }),
    ).rejects.toBeInstanceOf(EventValidationError);
  });

  const outOfOrder: Array<[string, Array<[AgentEventType, Record<string, unknown>]>]> = [
    ['thinking before start', [['agent_thinking', { runId: 'r', reasoning: 'x' }]]],
    ['completed before start', [['agent_completed', { runId: 'r', status: 'success', finalResponse: '' }]]],
    [
      'double start',
      [
        ['agent_started', { runId: 'r', agentName: 'a', threadId: 't' }],
        ['agent_started', { runId: 'r', agentName: 'a', threadId: 't' }],
      ],
    ],
    [
      'tool_completed without tool_executing',
      [
        ['agent_started', { runId: 'r', agentName: 'a', threadId: 't' }],
        ['tool_completed', { runId: 'r', toolName: 'search', results: [], durationMs: 1 }],
      ],
    ],
    [
      'tool_completed for a different tool',
      [
        ['agent_started', { runId: 'r', agentName: 'a', threadId: 't' }],
        ['tool_executing', { runId: 'r', toolName: 'search', parameters: {} }],
        ['tool_completed', { runId: 'r', toolName: 'fetch', results: [], durationMs: 1 }],
      ],
    ],
    [
      'event after agent_completed',
      [
        ['agent_started', { runId: 'r', agentName: 'a', threadId: 't' }],
        ['agent_completed', { runId: 'r', status: 'success', finalResponse: '' }],
        ['agent_thinking', { runId: 'r', reasoning: 'late' }],
      ],
    ],
  ];
  for (const [label, events] of outOfOrder) {
    it(`strict mode refuses ${label} with EventOrderError and sends nothing for it`, async () => {
      const router = createMessageRouter();
      const c = fakeConnection('c', 'u');
      router.register(c);
      const scope = router.forUser('u');
      const prefix = events.slice(0, -1);
      const [lastType, lastPayload] = events[events.length - 1]!;
      for (const [t, p] of prefix) await scope.emit(t, p as AnyPayload);
      const err = await scope.emit(lastType, lastPayload as AnyPayload).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EventOrderError);
      expect((err as EventOrderError).code).toBe('OUT_OF_ORDER');
      expect(c.received).toHaveLength(prefix.length);
      expect(router.stats().orderingViolations).toBe(1);
    });
  }

  it('lenient mode delivers out-of-order events but counts them', async () => {
    const router = createMessageRouter({ strictOrdering: false });
    const c = fakeConnection('c', 'u');
    router.register(c);
    const r = await router.forUser('u').emit('agent_thinking', { runId: 'r', reasoning: 'early' });
    expect(r.delivered).toBe(1);
    expect(router.stats().orderingViolations).toBe(1);
  });

  it('tracks runs per user: the same runId for two users does not interfere', async () => {
    const router = createMessageRouter();
    const a = router.forUser('a');
    const b = router.forUser('b');
    await a.emit('agent_started', { runId: 'same', agentName: 'x', threadId: 't' });
    await b.emit('agent_started', { runId: 'same', agentName: 'x', threadId: 't' });
    await a.emit('agent_completed', { runId: 'same', status: 'success', finalResponse: '' });
    await expect(b.emit('agent_thinking', { runId: 'same', reasoning: 'still running' })).resolves.toBeDefined();
  });

  it('same tool may run concurrently within a run; each completion needs its own execution', async () => {
    const router = createMessageRouter();
    const s = router.forUser('u');
    await s.emit('agent_started', { runId: 'r', agentName: 'x', threadId: 't' });
    await s.emit('tool_executing', { runId: 'r', toolName: 'q', parameters: {} });
    await s.emit('tool_executing', { runId: 'r', toolName: 'q', parameters: {} });
    await s.emit('tool_completed', { runId: 'r', toolName: 'q', results: 1, durationMs: 1 });
    await s.emit('tool_completed', { runId: 'r', toolName: 'q', results: 2, durationMs: 1 });
    await expect(
      s.emit('tool_completed', { runId: 'r', toolName: 'q', results: 3, durationMs: 1 }),
    ).rejects.toBeInstanceOf(EventOrderError);
  });

  it('broadcast of an agent event type goes through the same validation and ordering', async () => {
    const router = createMessageRouter();
    await expect(
      router.forUser('u').broadcast({ type: 'agent_thinking', payload: { runId: 'r', reasoning: 'x' } }),
    ).rejects.toBeInstanceOf(EventOrderError);
    await expect(
      router.forUser('u').broadcast({ type: 'agent_started', payload: { runId: 'r' } }),
    ).rejects.toBeInstanceOf(EventValidationError);
  });

  it('delivers to one thread only when asked, defaulting to the scope thread', async () => {
    const router = createMessageRouter();
    const t1 = fakeConnection('t1', 'u', { threadId: 'T1' });
    const t2 = fakeConnection('t2', 'u', { threadId: 'T2' });
    const any = fakeConnection('any', 'u');
    [t1, t2, any].forEach((c) => router.register(c));
    expect((await router.forUser('u').broadcast({ type: 'n' }, { threadId: 'T1' })).delivered).toBe(1);
    expect((await router.forUser({ userId: 'u', threadId: 'T2' }).broadcast({ type: 'n' })).delivered).toBe(1);
    expect((await router.forUser('u').broadcast({ type: 'n' })).delivered).toBe(3);
    expect([t1.received.length, t2.received.length, any.received.length]).toEqual([2, 2, 1]);
  });
});

describe('delivery failures and counts', () => {
  it('counts exactly the connections whose send succeeded, sync and async, and drops the failed ones', async () => {
    const router = createMessageRouter();
    const ok = fakeConnection('ok', 'u');
    const asyncOk = fakeConnection('async', 'u', { mode: 'async' });
    const throws = fakeConnection('throws', 'u', { mode: 'throw' });
    const rejects = fakeConnection('rejects', 'u', { mode: 'reject' });
    [ok, asyncOk, throws, rejects].forEach((c) => router.register(c));
    const r = await router.forUser('u').broadcast({ type: 'n', payload: 1 });
    expect(r).toMatchObject({ delivered: 2, failed: 2, skippedClosed: 0, targeted: 4 });
    expect(ok.received).toHaveLength(1);
    expect(asyncOk.received).toHaveLength(1);
    // A connection whose send failed has a hole in its stream, so it is closed and dropped.
    expect(throws.closes).toEqual([{ code: SEND_FAILED_CLOSE_CODE, reason: 'send failed' }]);
    expect(rejects.closes).toEqual([{ code: SEND_FAILED_CLOSE_CODE, reason: 'send failed' }]);
    expect(router.forUser('u').connectionIds().sort()).toEqual(['async', 'ok']);
    const s = router.stats();
    expect(s).toMatchObject({
      eventsEmitted: 1,
      eventsDelivered: 2,
      failedSends: 2,
      connectionsDropped: 2,
      connections: 2,
      users: 1,
    });
  });

  it('a slow async send on one connection does not block delivery to the others', async () => {
    const router = createMessageRouter();
    const gate = deferred();
    const slow = fakeConnection('slow', 'u', { mode: 'async', gate: () => gate.promise });
    const fast = fakeConnection('fast', 'u');
    router.register(slow);
    router.register(fast);
    const pending = router.forUser('u').broadcast({ type: 'n' });
    expect(fast.received).toHaveLength(1); // delivered synchronously while slow is still pending
    let settled = false;
    void pending.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false); // the count waits for the slow send: never optimistic
    gate.resolve();
    expect((await pending).delivered).toBe(2);
  });

  it('drops connections found closed at delivery time without counting them as delivered', async () => {
    const router = createMessageRouter();
    const open = fakeConnection('open', 'u');
    const closed = fakeConnection('closed', 'u');
    router.register(open);
    router.register(closed);
    closed.open = false;
    const r = await router.forUser('u').broadcast({ type: 'n' });
    expect(r).toMatchObject({ delivered: 1, failed: 0, skippedClosed: 1, targeted: 2 });
    expect(closed.received).toEqual([]);
    expect(router.hasConnection('closed')).toBe(false);
    expect(router.stats().connections).toBe(1);
  });

  it('unregister removes a connection; delivering to a user with none counts zero', async () => {
    const router = createMessageRouter();
    const c = fakeConnection('c', 'u');
    const off = router.register(c);
    off();
    expect(router.unregister('c')).toBe(false);
    const r = await router.forUser('u').broadcast({ type: 'n' });
    expect(r).toMatchObject({ delivered: 0, targeted: 0 });
    expect(router.stats().users).toBe(0);
  });

  it('serializes non-order-preserving async sends so each connection sees events in order', async () => {
    const router = createMessageRouter();
    // Each send resolves after a different delay; without serialization later events would land first.
    let n = 0;
    const received: number[] = [];
    router.register({
      id: 'c',
      userId: 'u',
      send: async (data) => {
        const delay = 5 - (n++ % 5);
        for (let i = 0; i < delay; i++) await Promise.resolve();
        received.push((JSON.parse(data) as { payload: number }).payload);
      },
    });
    const scope = router.forUser('u');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => scope.broadcast({ type: 'n', payload: i })));
    expect(received).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(results.every((r) => r.delivered === 1)).toBe(true);
  });

  it('unregistering a connection fails the events still waiting for it, without counting a drop', async () => {
    const router = createMessageRouter();
    const gate = deferred();
    const c = fakeConnection('c', 'u', { mode: 'async', gate: () => gate.promise });
    router.register(c);
    const scope = router.forUser('u');
    const first = scope.broadcast({ type: 'n', payload: 0 });
    const second = scope.broadcast({ type: 'n', payload: 1 }); // waits behind the first (serial send)
    router.unregister('c');
    expect((await second).delivered).toBe(0);
    gate.resolve();
    expect((await first).delivered).toBe(1); // already in flight: its real outcome is reported
    expect(c.received.map((e) => e.payload)).toEqual([0]);
    expect(router.stats()).toMatchObject({ connectionsDropped: 0, eventsDelivered: 1, failedSends: 1 });
  });

  it('a slow consumer whose queue is full is closed with 1013, dropped, and counted; others unaffected', async () => {
    const router = createMessageRouter({ maxPendingPerConnection: 3 });
    const gate = deferred();
    const slow = fakeConnection('slow', 'u', { mode: 'async', gate: () => gate.promise });
    const fast = fakeConnection('fast', 'u');
    router.register(slow);
    router.register(fast);
    const scope = router.forUser('u');
    const sends = Array.from({ length: 5 }, (_, i) => scope.broadcast({ type: 'n', payload: i }));
    expect(slow.closes).toEqual([{ code: SLOW_CONSUMER_CLOSE_CODE, reason: 'slow consumer' }]);
    gate.resolve();
    const results = await Promise.all(sends);
    // First event was in flight and completes; the two queued behind it and the overflow fail.
    expect(results.map((r) => r.delivered)).toEqual([2, 1, 1, 1, 1]);
    expect(slow.received.map((e) => e.payload)).toEqual([0]);
    expect(fast.received.map((e) => e.payload)).toEqual([0, 1, 2, 3, 4]);
    expect(router.stats()).toMatchObject({ slowConsumerDrops: 1, connections: 1 });
    expect(router.stats().health.status).toBe('degraded');
  });
});

describe('sendWithAck connections (the callback fast path)', () => {
  function ackConnection(
    id: string,
    behaviour: 'sync-ok' | 'later-ok' | 'later-error' | 'sync-error' | 'throw' | 'double',
    log: string[],
  ) {
    const acks: Array<(e?: Error | null) => void> = [];
    return {
      conn: {
        id,
        userId: 'u',
        preservesOrder: true,
        send: () => {
          throw new Error('send() must not be used when sendWithAck exists');
        },
        sendWithAck(data: string, ack: (e?: Error | null) => void) {
          log.push(`${id}:${(JSON.parse(data) as { payload: number }).payload}`);
          if (behaviour === 'throw') throw new Error('socket gone');
          if (behaviour === 'sync-ok') ack();
          else if (behaviour === 'sync-error') ack(new Error('write failed'));
          else if (behaviour === 'double') {
            ack();
            ack(new Error('late second ack'));
          } else acks.push(ack);
        },
        close: () => void log.push(`${id}:closed`),
      },
      settle(error?: Error) {
        for (const a of acks.splice(0)) a(error);
      },
    };
  }

  it('counts acked sends exactly, waits for late acks, and drops connections whose ack reports an error', async () => {
    const log: string[] = [];
    const router = createMessageRouter();
    const syncOk = ackConnection('syncOk', 'sync-ok', log);
    const laterOk = ackConnection('laterOk', 'later-ok', log);
    const laterErr = ackConnection('laterErr', 'later-error', log);
    const syncErr = ackConnection('syncErr', 'sync-error', log);
    const thrower = ackConnection('thrower', 'throw', log);
    const double = ackConnection('double', 'double', log);
    for (const c of [syncOk, laterOk, laterErr, syncErr, thrower, double]) router.register(c.conn);
    let settled = false;
    const pending = router
      .forUser('u')
      .broadcast({ type: 'n', payload: 1 })
      .then((r) => {
        settled = true;
        return r;
      });
    await Promise.resolve();
    expect(settled).toBe(false);
    laterOk.settle();
    await Promise.resolve();
    expect(settled).toBe(false);
    laterErr.settle(new Error('EPIPE'));
    const r = await pending;
    expect(r).toMatchObject({ delivered: 3, failed: 3, targeted: 6 });
    expect(log).toContain('laterErr:closed');
    expect(log).toContain('syncErr:closed');
    expect(log).toContain('thrower:closed');
    expect(router.forUser('u').connectionIds().sort()).toEqual(['double', 'laterOk', 'syncOk']);
    expect(router.stats()).toMatchObject({ eventsDelivered: 3, failedSends: 3 });
  });

  it('attributes each in-order ack to its own event: an error ack fails exactly that event and what follows', async () => {
    const router = createMessageRouter();
    const pending: Array<(e?: Error | null) => void> = [];
    router.register({
      id: 'c',
      userId: 'u',
      preservesOrder: true,
      send: () => undefined,
      sendWithAck: (_data, ack) => void pending.push(ack),
      close: () => {},
    });
    const scope = router.forUser('u');
    const results = [0, 1, 2, 3].map((n) => scope.broadcast({ type: 'n', payload: n }));
    expect(pending).toHaveLength(4);
    pending[0]!();
    pending[1]!();
    pending[2]!(new Error('EPIPE'));
    pending[3]!(new Error('EPIPE'));
    expect((await Promise.all(results)).map((r) => r.delivered)).toEqual([1, 1, 0, 0]);
    expect(router.stats()).toMatchObject({ eventsDelivered: 2, failedSends: 2, connections: 0 });
  });

  it('pipelines order-preserving sends and overflows at maxPending unacked sends', async () => {
    const log: string[] = [];
    const router = createMessageRouter({ maxPendingPerConnection: 2 });
    const c = ackConnection('c', 'later-ok', log);
    router.register(c.conn);
    const scope = router.forUser('u');
    const p1 = scope.broadcast({ type: 'n', payload: 1 });
    const p2 = scope.broadcast({ type: 'n', payload: 2 });
    // Both were handed to the transport at once: pipelined, not serialized.
    expect(log).toEqual(['c:1', 'c:2']);
    const p3 = scope.broadcast({ type: 'n', payload: 3 });
    expect(log).toEqual(['c:1', 'c:2', 'c:closed']);
    c.settle();
    expect((await Promise.all([p1, p2, p3])).map((r) => r.delivered)).toEqual([1, 1, 0]);
    expect(router.stats().slowConsumerDrops).toBe(1);
  });
});

describe('stats and lifecycle', () => {
  it('reports counters, connections, users, handlers and health', async () => {
    const router = new CanonicalMessageRouter();
    router.on('a', () => {});
    router.on('b', () => {});
    router.register(fakeConnection('1', 'x'));
    router.register(fakeConnection('2', 'x'));
    router.register(fakeConnection('3', 'y'));
    await router.route({ userId: 'x' }, { type: 'a' });
    await router.route({ userId: 'x' }, { type: 'a', userId: 'y' });
    await router.forUser('x').broadcast({ type: 'hello' });
    const s = router.stats();
    expect(s).toMatchObject({
      messagesRouted: 1,
      messagesRejected: 1,
      isolationRejections: 1,
      eventsEmitted: 1,
      eventsDelivered: 2,
      failedSends: 0,
      connections: 3,
      users: 2,
      handlers: 2,
    });
    expect(s.health.status).toBe('healthy');
    expect(s.health.reasons).toContain('1 isolation rejection(s)');
  });

  it('health turns unhealthy when most sends fail, and when closed', async () => {
    const router = createMessageRouter();
    for (let i = 0; i < 12; i++) router.register(fakeConnection(`c${i}`, 'u', { mode: 'throw' }));
    await router.forUser('u').broadcast({ type: 'n' });
    expect(router.stats().health.status).toBe('unhealthy');
    const r2 = createMessageRouter();
    const c = fakeConnection('c', 'u');
    r2.register(c);
    r2.close();
    expect(c.closes).toEqual([{ code: 1001, reason: 'router closed' }]);
    expect(r2.stats().health).toMatchObject({ status: 'unhealthy' });
    expect(() => r2.register(fakeConnection('d', 'u'))).toThrow(/closed/);
  });
});
