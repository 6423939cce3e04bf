// Router-level hardening (issue #15): every identity position is checked, run tracking is per
// user, what is validated is what is sent, and every frame (replies too) goes through the
// connection's bounded queue. The same behaviour over real sockets is in abuse.test.ts.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createMessageRouter,
  DeliveryQueue,
  EventOrderError,
  EventValidationError,
  IsolationError,
  RunLimitError,
  RunOrderTracker,
  SLOW_CONSUMER_CLOSE_CODE,
  type Connection,
  type HandlerContext,
} from '../../src/router/index.js';
import { fakeConnection } from './fakes.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Sets `value` at one identity position of a fresh message of type 'chat'. */
type Position = { top: boolean; key: string };
const label = (p: Position): string => (p.top ? p.key : `payload.${p.key}`);
function place(message: Record<string, unknown>, p: Position, value: unknown): void {
  if (p.top) message[p.key] = value;
  else message['payload'] = { ...(message['payload'] as object | undefined), [p.key]: value };
}

describe('identity: every position is checked, not only the first one present', () => {
  const positions: Position[] = ['userId', 'user_id', 'accountId'].flatMap((key) => [
    { top: true, key },
    { top: false, key },
  ]);

  // Every ordered pair: the authenticated id at one position, another user's at a second one.
  for (const honest of positions) {
    for (const spoof of positions) {
      if (honest === spoof) continue;
      it(`rejects "alice" at ${label(honest)} with "bob" at ${label(spoof)}`, async () => {
        const router = createMessageRouter({ identityKeys: ['accountId'] });
        const handler = vi.fn();
        router.on('chat', handler);
        const message: Record<string, unknown> = { type: 'chat' };
        place(message, honest, 'alice');
        place(message, spoof, 'bob');
        const r = await router.route({ userId: 'alice' }, JSON.stringify(message));
        expect(r.ok).toBe(false);
        expect(r.error).toBeInstanceOf(IsolationError);
        expect((r.error as IsolationError).claimedUserId).toBe('bob');
        expect(r.error?.message).toContain(label(spoof));
        expect(handler).not.toHaveBeenCalled();
        expect(router.stats().isolationRejections).toBe(1);
      });
    }
  }

  it('the exact message of the report: the handler never sees payload.userId "bob"', async () => {
    const router = createMessageRouter();
    const seen: unknown[] = [];
    router.on('x', (_ctx, m) => void seen.push((m.payload as { userId?: unknown }).userId));
    const r = await router.route({ userId: 'alice' }, { type: 'x', userId: 'alice', payload: { userId: 'bob' } });
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe('ISOLATION_VIOLATION');
    expect(seen).toEqual([]);
  });

  it('accepts a message that names the authenticated user at every position, and one that names nobody', async () => {
    const router = createMessageRouter({ identityKeys: ['accountId'] });
    router.on('chat', () => {});
    const all: Record<string, unknown> = { type: 'chat' };
    for (const p of positions) place(all, p, 'alice');
    expect(await router.route({ userId: 'alice' }, all)).toMatchObject({ ok: true });
    expect(await router.route({ userId: 'alice' }, { type: 'chat', payload: { text: 'hi' } })).toMatchObject({
      ok: true,
    });
    // An object key holding undefined is no claim (JSON cannot even carry it).
    expect(await router.route({ userId: 'alice' }, { type: 'chat', userId: undefined })).toMatchObject({ ok: true });
  });

  it('a configured extra key is only checked when configured', async () => {
    const plain = createMessageRouter();
    plain.on('chat', () => {});
    expect(await plain.route({ userId: 'alice' }, { type: 'chat', payload: { accountId: 'bob' } })).toMatchObject({
      ok: true,
    });
    const strict = createMessageRouter({ identityKeys: ['accountId'] });
    strict.on('chat', () => {});
    expect(
      (await strict.route({ userId: 'alice' }, { type: 'chat', payload: { accountId: 'bob' } })).error,
    ).toBeInstanceOf(IsolationError);
    expect(() => createMessageRouter({ identityKeys: [''] })).toThrow(TypeError);
  });

  it('null, numbers and objects at an identity position are claims that do not match', async () => {
    const router = createMessageRouter();
    router.on('chat', () => {});
    for (const value of [null, 7, { id: 'alice' }, ['alice'], '', 'Alice']) {
      const r = await router.route({ userId: 'alice' }, JSON.stringify({ type: 'chat', payload: { user_id: value } }));
      expect(r.error, JSON.stringify(value)).toBeInstanceOf(IsolationError);
    }
  });

  it('in-process messages: an inherited claim counts, and a getter (it may answer twice) is refused', async () => {
    const router = createMessageRouter();
    const handler = vi.fn();
    router.on('chat', handler);
    const inherited = Object.assign(Object.create({ userId: 'bob' }) as object, { type: 'chat' });
    expect((await router.route({ userId: 'alice' }, inherited)).error).toBeInstanceOf(IsolationError);
    let reads = 0;
    const payload = {
      get userId() {
        return reads++ === 0 ? 'alice' : 'bob';
      },
    };
    expect((await router.route({ userId: 'alice' }, { type: 'chat', payload })).error).toBeInstanceOf(IsolationError);
    // A claim that cannot even be turned into text is still just refused (route never throws for a message).
    const r = await router.route({ userId: 'alice' }, { type: 'chat', userId: Object.create(null) as object });
    expect(r.error).toBeInstanceOf(IsolationError);
    expect((r.error as IsolationError).claimedUserId).toBe('[object]');
    expect(handler).not.toHaveBeenCalled();
  });

  it('compat UserScopedWebSocketEventRouter.routeMessage applies the same rule', async () => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const compat = await import('../../src/router/compat.js');
    const router = createMessageRouter();
    const handler = vi.fn();
    router.on('x', handler);
    const scoped = new compat.UserScopedWebSocketEventRouter({ userId: 'alice' }, router);
    const mixes = [
      { type: 'x', userId: 'alice', payload: { userId: 'bob' } },
      { type: 'x', userId: 'alice', user_id: 'bob' },
      { type: 'x', payload: { userId: 'alice', user_id: 'bob' } },
      { type: 'x', user_id: 'alice', payload: { userId: 'bob' } },
    ];
    for (const m of mixes) {
      const r = await scoped.routeMessage('alice', JSON.stringify(m));
      expect(r.error, JSON.stringify(m)).toBeInstanceOf(IsolationError);
    }
    expect(handler).not.toHaveBeenCalled();
    expect(router.stats().isolationRejections).toBe(mixes.length);
  });
});

describe('run tracking is per user', () => {
  const started = (runId: string) => ({ runId, agentName: 'a', threadId: 't' });

  it("a user starting 10,000 runs neither evicts nor reopens another user's active run", async () => {
    const router = createMessageRouter();
    const victim = router.forUser('victim');
    const attacker = router.forUser('attacker');
    await victim.emit('agent_started', started('v-run'));
    let refused = 0;
    for (let i = 0; i < 10_000; i++) {
      await attacker.emit('agent_started', started(`a${i}`)).catch((e: unknown) => {
        expect(e).toBeInstanceOf(RunLimitError);
        refused++;
      });
    }
    expect(refused).toBe(10_000 - 1_000); // the default per-user limit
    await expect(victim.emit('agent_thinking', { runId: 'v-run', reasoning: 'still mine' })).resolves.toBeDefined();
    await expect(victim.emit('agent_started', started('v-run'))).rejects.toBeInstanceOf(EventOrderError);
    expect(router.stats()).toMatchObject({ runLimitRefusals: 9_000, orderingViolations: 1 });
  });

  it("completed runs are forgotten per user: another user's churn keeps a finished run finished", async () => {
    const router = createMessageRouter({ maxTrackedRunsPerUser: 10 });
    const victim = router.forUser('victim');
    await victim.emit('agent_started', started('done'));
    await victim.emit('agent_completed', { runId: 'done', status: 'success', finalResponse: '' });
    const attacker = router.forUser('attacker');
    for (let i = 0; i < 500; i++) {
      await attacker.emit('agent_started', started(`a${i}`));
      await attacker.emit('agent_completed', { runId: `a${i}`, status: 'success', finalResponse: '' });
    }
    await expect(victim.emit('agent_started', started('done'))).rejects.toThrow(/already completed/);
    // The attacker's own oldest finished runs were forgotten: it may start one again.
    await expect(attacker.emit('agent_started', started('a0'))).resolves.toBeDefined();
  });

  it("the overall limit refuses new runs instead of evicting anyone's active run", async () => {
    const router = createMessageRouter({ maxTrackedRuns: 5, maxTrackedRunsPerUser: 3 });
    const users = ['a', 'b'].map((u) => router.forUser(u));
    for (const [i, s] of users.entries())
      for (let r = 0; r < 3 - i; r++) await s.emit('agent_started', started(`r${r}`));
    // a holds 3 (its own limit), b holds 2: 5 in all, the overall limit.
    await expect(users[0]!.emit('agent_started', started('r9'))).rejects.toThrow(/user already has 3 active runs/);
    await expect(users[1]!.emit('agent_started', started('r9'))).rejects.toThrow(/already tracks 5 active runs/);
    for (const [i, s] of users.entries()) {
      for (let r = 0; r < 3 - i; r++)
        await s.emit('agent_completed', { runId: `r${r}`, status: 'success', finalResponse: '' });
    }
    await expect(users[1]!.emit('agent_started', started('r9'))).resolves.toBeDefined();
  });

  it('lenient mode delivers a run over the limit untracked, and counts it', async () => {
    const router = createMessageRouter({ strictOrdering: false, maxTrackedRunsPerUser: 1 });
    const conn = fakeConnection('c', 'u');
    router.register(conn);
    const s = router.forUser('u');
    await s.emit('agent_started', started('r1'));
    expect((await s.emit('agent_started', started('r2'))).delivered).toBe(1);
    expect(router.stats()).toMatchObject({ runLimitRefusals: 1, orderingViolations: 0 });
  });

  it('RunOrderTracker keeps its state bounded and drops users with nothing left', () => {
    const tracker = new RunOrderTracker({ maxRuns: 4, maxRunsPerUser: 2 });
    for (const user of ['a', 'b', 'c']) {
      for (const runId of ['1', '2', '3']) {
        tracker.advance(user, 'agent_started', started(runId));
        tracker.advance(user, 'agent_completed', { runId, status: 'success', finalResponse: '' });
      }
    }
    expect(tracker.activeRuns).toBe(0);
    expect(tracker.finishedRuns).toBe(4);
    expect(tracker.users).toBe(2); // a's finished runs were the oldest overall
    expect(new RunOrderTracker(3).advance('u', 'agent_thinking', { runId: 'x', reasoning: '' })).toEqual({
      code: 'OUT_OF_ORDER',
      reason: 'agent_started was not emitted for this run',
    });
  });
});

describe('what is validated is what is sent', () => {
  function recording(): Connection & { frames: string[] } {
    const frames: string[] = [];
    return { id: 'c', userId: 'u', frames, send: (d: string) => void frames.push(d) };
  }

  it('a payload whose toJSON yields an invalid payload is refused', async () => {
    const router = createMessageRouter();
    const conn = recording();
    router.register(conn);
    const s = router.forUser('u');
    await s.emit('agent_started', { runId: 'r', agentName: 'a', threadId: 't' });
    const sneaky = { runId: 'r', reasoning: 'fine', toJSON: () => ({ runId: 'r', reasoning: 42 }) };
    await expect(s.emit('agent_thinking', sneaky)).rejects.toBeInstanceOf(EventValidationError);
    expect(conn.frames).toHaveLength(1);
  });

  it('the ordering check judges the serialized run id, not the one the object showed', async () => {
    const router = createMessageRouter();
    const conn = recording();
    router.register(conn);
    const s = router.forUser('u');
    await s.emit('agent_started', { runId: 'r', agentName: 'a', threadId: 't' });
    const other = { runId: 'r', reasoning: 'x', toJSON: () => ({ runId: 'never-started', reasoning: 'x' }) };
    await expect(s.emit('agent_thinking', other)).rejects.toBeInstanceOf(EventOrderError);
    expect(conn.frames).toHaveLength(1);
  });

  it('a getter is read once: the frame sent is the payload that was validated', async () => {
    const router = createMessageRouter();
    const conn = recording();
    router.register(conn);
    const s = router.forUser('u');
    await s.emit('agent_started', { runId: 'r', agentName: 'a', threadId: 't' });
    let reads = 0;
    const payload = {
      runId: 'r',
      get reasoning(): string {
        return (reads++ % 2 === 0 ? 'text' : 7) as unknown as string;
      },
    };
    const result = await s.emit('agent_thinking', payload);
    expect(reads).toBe(1);
    expect(conn.frames[1]).toBe(result.data);
    expect(JSON.parse(result.data)).toMatchObject({
      type: 'agent_thinking',
      payload: { runId: 'r', reasoning: 'text' },
    });
  });

  it('a proxy that answers differently on each read: the frame carries the value that was validated', async () => {
    const router = createMessageRouter();
    const conn = recording();
    router.register(conn);
    const s = router.forUser('u');
    await s.emit('agent_started', { runId: 'r', agentName: 'a', threadId: 't' });
    let reads = 0;
    const target = { runId: 'r', reasoning: 'text' };
    const payload = new Proxy(target, {
      get: (t, k) => (k === 'reasoning' && reads++ > 0 ? 42 : t[k as keyof typeof t]),
    });
    // JSON.stringify reads each field once; that read is what gets validated and sent.
    const result = await s.emit('agent_thinking', payload);
    expect(JSON.parse(result.data).payload).toEqual({ runId: 'r', reasoning: 'text' });
    expect(conn.frames.at(-1)).toBe(result.data);
  });

  it('a field the object shows but JSON leaves out (non-enumerable) is missing from what is judged', async () => {
    const router = createMessageRouter();
    router.register(recording());
    const payload = Object.defineProperty({ agentName: 'a', threadId: 't' }, 'runId', {
      value: 'r',
      enumerable: false,
    });
    await expect(
      router.forUser('u').emit('agent_started', payload as { runId: string; agentName: string; threadId: string }),
    ).rejects.toThrow(/runId/);
  });

  it('property: for flat payloads the frame is exactly JSON.stringify({ type, timestamp, payload })', async () => {
    const value = fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null), fc.integer());
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string(), value, { maxKeys: 6 }),
        fc.string({ minLength: 1 }),
        async (extra, reasoning) => {
          const router = createMessageRouter({ clock: () => 7 });
          const s = router.forUser('u');
          await s.emit('agent_started', { runId: 'r', agentName: 'a', threadId: 't' });
          const payload = { ...extra, runId: 'r', reasoning };
          const r = await s.emit('agent_thinking', payload);
          expect(r.data).toBe(JSON.stringify({ type: 'agent_thinking', timestamp: 7, payload }));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('toJSON that returns a valid payload is fine: what goes out is exactly what was checked', async () => {
    const router = createMessageRouter({ clock: () => 5 });
    const conn = recording();
    router.register(conn);
    const s = router.forUser('u');
    await s.emit('agent_started', { runId: 'r', agentName: 'a', threadId: 't' });
    const at = new Date(0);
    const r = await s
      .emit('tool_completed', { runId: 'r', toolName: 'x', results: { at }, durationMs: 1 })
      .catch((e: unknown) => e);
    expect(r).toBeInstanceOf(EventOrderError); // no tool_executing yet: judged on the serialized form too
    await s.emit('tool_executing', { runId: 'r', toolName: 'x', parameters: {} });
    const ok = await s.emit('tool_completed', { runId: 'r', toolName: 'x', results: { at }, durationMs: 1 });
    expect(ok.data).toBe(
      '{"type":"tool_completed","timestamp":5,"payload":{"runId":"r","toolName":"x",' +
        '"results":{"at":"1970-01-01T00:00:00.000Z"},"durationMs":1}}',
    );
    expect(conn.frames.at(-1)).toBe(ok.data);
  });

  it('broadcast refuses an own toJSON (it could forge an agent event) and reads a getter once', async () => {
    const router = createMessageRouter();
    const conn = recording();
    router.register(conn);
    const s = router.forUser('u');
    const forged = {
      type: 'note',
      toJSON: () => ({ type: 'agent_completed', payload: { runId: 'r', status: 'success', finalResponse: '' } }),
    };
    await expect(s.broadcast(forged)).rejects.toBeInstanceOf(EventValidationError);
    let reads = 0;
    const shifty = {
      get type() {
        return reads++ === 0 ? 'note' : 'agent_completed';
      },
    };
    const r = await s.broadcast(shifty);
    expect(JSON.parse(r.data)).toMatchObject({ type: 'note' });
    expect(conn.frames).toEqual([r.data]);
  });
});

describe('replies and byte bounds go through the connection queue', () => {
  function stalled(id: string, userId = 'u'): Connection & { closes: number[]; sent: string[] } {
    const closes: number[] = [];
    const sent: string[] = [];
    // Never acknowledges: every send stays pending, like a socket whose peer stopped reading.
    return {
      id,
      userId,
      preservesOrder: true,
      closes,
      sent,
      send: () => undefined,
      sendWithAck: (d) => void sent.push(d),
      close: (code) => void closes.push(code ?? 0),
    };
  }

  it('ctx.scope.reply answers only the connection the message came from', async () => {
    const router = createMessageRouter();
    const a = fakeConnection('a', 'u');
    const b = fakeConnection('b', 'u');
    router.register(a);
    router.register(b);
    router.on('ping', async (ctx: HandlerContext) => {
      await ctx.scope.reply({ type: 'pong' });
    });
    await router.route({ userId: 'u', connectionId: 'b' }, { type: 'ping' });
    expect(a.received).toEqual([]);
    expect(b.received.map((f) => f.type)).toEqual(['pong']);
    await expect(router.forUser('u').reply({ type: 'x' })).rejects.toThrow(TypeError);
    await expect(router.forUser({ userId: 'mallory', connectionId: 'a' }).reply({ type: 'x' })).rejects.toBeInstanceOf(
      IsolationError,
    );
    expect(router.stats().isolationRejections).toBe(1);
  });

  it('replies count against the bound: a connection that does not drain them is closed with 1013', async () => {
    const router = createMessageRouter({ maxPendingPerConnection: 3 });
    const conn = stalled('c');
    router.register(conn);
    const scope = router.forUser({ userId: 'u', connectionId: 'c' });
    for (let i = 0; i < 3; i++) void scope.reply({ type: 'error', n: i });
    expect(router.hasConnection('c')).toBe(true);
    expect((await scope.reply({ type: 'error', n: 3 })).failed).toBe(1);
    expect(conn.closes).toEqual([SLOW_CONSUMER_CLOSE_CODE]);
    expect(router.stats()).toMatchObject({ slowConsumerDrops: 1, connections: 0 });
  });

  it('the byte bound closes a connection before the frame bound when frames are large', async () => {
    const router = createMessageRouter({ maxPendingBytesPerConnection: 10_000 });
    const conn = stalled('c');
    router.register(conn);
    const scope = router.forUser('u');
    const big = 'x'.repeat(4_000);
    void scope.broadcast({ type: 'n', payload: big });
    void scope.broadcast({ type: 'n', payload: big });
    expect(router.hasConnection('c')).toBe(true);
    await scope.broadcast({ type: 'n', payload: big });
    expect(conn.closes).toEqual([SLOW_CONSUMER_CLOSE_CODE]);
    expect(conn.sent).toHaveLength(2);
  });

  it('DeliveryQueue counts UTF-8 bytes, lets one oversized frame through alone, and returns to zero', () => {
    const acks: Array<(e?: Error | null) => void> = [];
    const conn: Connection = {
      id: 'c',
      userId: 'u',
      preservesOrder: true,
      send: () => undefined,
      sendWithAck: (_d, ack) => void acks.push(ack),
    };
    const fatal: string[] = [];
    const queue = new DeliveryQueue(conn, 100, (reason) => void fatal.push(reason), 8);
    const outcomes: string[] = [];
    expect(queue.enqueue('ééééé', (o) => void outcomes.push(o))).toBeUndefined(); // 10 bytes, alone: allowed
    expect(queue.pendingBytes).toBe(10);
    acks.shift()!();
    expect(queue.pendingBytes).toBe(0);
    expect(queue.enqueue('abcd', (o) => void outcomes.push(o))).toBeUndefined();
    expect(queue.enqueue('efgh', (o) => void outcomes.push(o))).toBeUndefined();
    expect(queue.enqueue('i', (o) => void outcomes.push(o))).toBe('overflow');
    expect(fatal).toEqual(['overflow']);
    for (const ack of acks.splice(0)) ack();
    expect(outcomes).toEqual(['delivered', 'delivered', 'delivered']);
    expect(queue.pendingBytes).toBe(0);
  });
});
