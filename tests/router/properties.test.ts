import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createMessageRouter,
  EventOrderError,
  IsolationError,
  type AgentEventPayloads,
  type AgentEventType,
  type Connection,
} from '../../src/router/index.js';

type AnyPayload = AgentEventPayloads[AgentEventType];

const NUM_RUNS = 60;

/**
 * A connection whose async send settles after `delays[i]` microtask turns (serial or pipelined).
 * With `useAck`, it implements sendWithAck instead, acknowledging in send order (as ws does), each
 * ack `delays[i]` turns after the previous one; delay 0 acks synchronously inside the call.
 */
function recordingConnection(id: string, userId: string, delays: number[], preservesOrder: boolean, useAck = false) {
  const received: Array<{ type: string; payload: Record<string, unknown> }> = [];
  const wire: string[] = []; // what a real socket would put on the wire, at call time
  let n = 0;
  let ackChain: Promise<void> = Promise.resolve();
  const conn: Connection = {
    id,
    userId,
    preservesOrder,
    ...(useAck
      ? {
          sendWithAck(data: string, ack: (e?: Error | null) => void) {
            wire.push(data);
            const delay = delays.length > 0 ? delays[n++ % delays.length]! : 0;
            const record = () => received.push(JSON.parse(data) as { type: string; payload: Record<string, unknown> });
            if (delay === 0 && !preservesOrder) {
              record();
              ack();
              return;
            }
            ackChain = ackChain.then(async () => {
              for (let i = 0; i < delay; i++) await Promise.resolve();
              record();
              ack();
            });
          },
        }
      : {}),
    send(data) {
      wire.push(data);
      const delay = delays.length > 0 ? delays[n++ % delays.length]! : 0;
      return (async () => {
        for (let i = 0; i < delay; i++) await Promise.resolve();
        received.push(JSON.parse(data) as { type: string; payload: Record<string, unknown> });
      })();
    },
  };
  return { conn, received, wire };
}

describe('property: isolation', () => {
  it("over random users, connections, spoofs and broadcasts, nobody ever receives or handles another user's traffic", async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('broadcast' as const), user: fc.nat(4) }),
      fc.record({
        kind: fc.constant('route' as const),
        user: fc.nat(4),
        claim: fc.option(fc.nat(4), { nil: undefined }),
        where: fc.constantFrom('top', 'payload'),
      }),
      fc.record({ kind: fc.constant('drop' as const), user: fc.nat(4), index: fc.nat(2) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 5 }),
        fc.array(op, { maxLength: 40 }),
        async (connsPerUser, ops) => {
          const router = createMessageRouter();
          const users = connsPerUser.map((_, u) => `u${u}`);
          const conns = new Map<string, ReturnType<typeof recordingConnection>[]>();
          users.forEach((userId, u) => {
            const list = Array.from({ length: connsPerUser[u]! }, (_, k) =>
              recordingConnection(`${userId}-${k}`, userId, [k], k % 2 === 0),
            );
            list.forEach((c) => router.register(c.conn));
            conns.set(userId, list);
          });
          const handled: Array<{ auth: string; ctxUser: string }> = [];
          router.on('msg', (ctx) => {
            handled.push({ auth: ctx.requestId!, ctxUser: ctx.userId });
          });
          let expectedRejections = 0;
          let expectedDelivered = 0;
          let seq = 0;
          for (const o of ops) {
            const userId = users[o.user % users.length]!;
            if (o.kind === 'broadcast') {
              const open = conns.get(userId)!.filter((c) => router.hasConnection(c.conn.id)).length;
              const r = await router.forUser(userId).broadcast({ type: 'evt', payload: { from: userId, seq: seq++ } });
              expect(r.delivered).toBe(open);
              expectedDelivered += open;
            } else if (o.kind === 'route') {
              const claimed = o.claim === undefined ? undefined : users[o.claim % users.length]!;
              const message =
                o.where === 'top' ? { type: 'msg', userId: claimed } : { type: 'msg', payload: { userId: claimed } };
              const r = await router.route({ userId, requestId: userId }, message);
              if (claimed !== undefined && claimed !== userId) {
                expectedRejections++;
                expect(r.error).toBeInstanceOf(IsolationError);
              } else {
                expect(r.ok).toBe(true);
              }
            } else {
              const c = conns.get(userId)![o.index % connsPerUser[o.user % users.length]!];
              if (c) router.unregister(c.conn.id);
            }
          }
          // Let every async send settle before looking at what was received.
          for (let i = 0; i < 10; i++) await Promise.resolve();
          for (const [userId, list] of conns) {
            for (const c of list) for (const e of c.received) expect(e.payload['from']).toBe(userId);
          }
          for (const h of handled) expect(h.ctxUser).toBe(h.auth);
          const s = router.stats();
          expect(s.isolationRejections).toBe(expectedRejections);
          expect(s.eventsDelivered).toBe(expectedDelivered);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});

/** The valid event sequence of one run with `tools` tool calls (the same tool name may repeat). */
function runSequence(runId: string, tools: string[], thoughts: number): Array<[AgentEventType, AnyPayload]> {
  const seq: Array<[AgentEventType, AnyPayload]> = [['agent_started', { runId, agentName: 'a', threadId: 't' }]];
  for (let i = 0; i < thoughts; i++) seq.push(['agent_thinking', { runId, reasoning: `r${i}` }]);
  for (const toolName of tools) {
    seq.push(['tool_executing', { runId, toolName, parameters: {} }]);
    seq.push(['tool_completed', { runId, toolName, results: null, durationMs: 0 }]);
  }
  seq.push(['agent_completed', { runId, status: 'success', finalResponse: '' }]);
  return seq;
}

describe('property: ordering', () => {
  it('random interleavings of valid runs are all accepted and each connection receives exactly the emit order, whatever the send latencies', async () => {
    const runArb = fc.record({
      tools: fc.array(fc.constantFrom('search', 'fetch', 'calc'), { maxLength: 3 }),
      thoughts: fc.nat(2),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(runArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(1000)),
        fc.array(fc.nat(6), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        fc.boolean(),
        async (runs, picks, delays, preservesOrder, useAck) => {
          const router = createMessageRouter(); // strict
          const a = recordingConnection('a', 'u', delays, preservesOrder, useAck);
          const b = recordingConnection('b', 'u', [...delays].reverse(), !preservesOrder, !useAck);
          router.register(a.conn);
          router.register(b.conn);
          const queues = runs.map((r, i) => runSequence(`run${i}`, r.tools, r.thoughts));
          // Merge the runs in a random interleaving that keeps each run's own order.
          const emitted: Array<[AgentEventType, AnyPayload]> = [];
          let p = 0;
          while (queues.some((q) => q.length > 0)) {
            const live = queues.filter((q) => q.length > 0);
            const q = live[(picks[p++ % Math.max(1, picks.length)] ?? 0) % live.length]!;
            emitted.push(q.shift()!);
          }
          const scope = router.forUser('u');
          // Fire without awaiting between emits: ordering must hold even with sends still in flight.
          const results = await Promise.all(emitted.map(([t, payload]) => scope.emit(t, payload)));
          expect(results.every((r) => r.delivered === 2)).toBe(true);
          const expected = emitted.map(([t, payload]) => [t, payload.runId]);
          // An order-preserving transport puts frames on the wire at call time (acks may settle in any
          // order); for any other send the router must serialize, so settle order is emit order too.
          for (const c of [a, b]) {
            const onWire = c.wire.map((d) => JSON.parse(d) as { type: string; payload: Record<string, unknown> });
            expect(onWire.map((e) => [e.type, e.payload['runId']])).toEqual(expected);
            if (!c.conn.preservesOrder) expect(c.received.map((e) => [e.type, e.payload['runId']])).toEqual(expected);
            expect(c.received).toHaveLength(expected.length);
          }
          expect(router.stats().orderingViolations).toBe(0);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('strict mode accepts exactly the events a reference lifecycle model accepts, over random event streams', async () => {
    const eventArb = fc.record({
      type: fc.constantFrom<AgentEventType>(
        'agent_started',
        'agent_thinking',
        'tool_executing',
        'tool_completed',
        'agent_completed',
      ),
      run: fc.nat(1),
      tool: fc.constantFrom('x', 'y'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { maxLength: 30 }), async (events) => {
        const router = createMessageRouter();
        const conn = recordingConnection('c', 'u', [], true);
        router.register(conn.conn);
        // Reference model, written independently of RunOrderTracker.
        const model = new Map<number, { done: boolean; open: string[] }>();
        const accepted: string[] = [];
        let rejected = 0;
        for (const e of events) {
          const runId = `r${e.run}`;
          const payloads: Record<AgentEventType, AnyPayload> = {
            agent_started: { runId, agentName: 'a', threadId: 't' },
            agent_thinking: { runId, reasoning: '' },
            tool_executing: { runId, toolName: e.tool, parameters: {} },
            tool_completed: { runId, toolName: e.tool, results: 1, durationMs: 1 },
            agent_completed: { runId, status: 'success', finalResponse: '' },
          };
          const state = model.get(e.run);
          let ok: boolean;
          if (e.type === 'agent_started') ok = state === undefined;
          else if (!state || state.done) ok = false;
          else if (e.type === 'tool_completed') ok = state.open.includes(e.tool);
          else ok = true;
          const outcome = await router
            .forUser('u')
            .emit(e.type, payloads[e.type])
            .then(
              () => true,
              (err: unknown) => {
                expect(err).toBeInstanceOf(EventOrderError);
                return false;
              },
            );
          expect(outcome, JSON.stringify(e)).toBe(ok);
          if (!ok) {
            rejected++;
            continue;
          }
          accepted.push(`${e.type}:${runId}`);
          if (e.type === 'agent_started') model.set(e.run, { done: false, open: [] });
          else if (e.type === 'tool_executing') state!.open.push(e.tool);
          else if (e.type === 'tool_completed') state!.open.splice(state!.open.indexOf(e.tool), 1);
          else if (e.type === 'agent_completed') state!.done = true;
        }
        expect(conn.received.map((r) => `${r.type}:${String(r.payload['runId'])}`)).toEqual(accepted);
        expect(router.stats().orderingViolations).toBe(rejected);
      }),
      { numRuns: 200 },
    );
  });
});

describe('property: ack bookkeeping', () => {
  it('with many sends in flight (ring growth and wrap-around), every ack settles exactly its own event, in order', async () => {
    // Sends outnumber acks 3:1 so many sends are in flight and the ring grows after wrapping.
    const op = fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 120 }), fc.nat(120), async (ops, failAt) => {
        const router = createMessageRouter({ maxPendingPerConnection: 10_000 });
        const acks: Array<(e?: Error | null) => void> = [];
        router.register({
          id: 'c',
          userId: 'u',
          preservesOrder: true,
          send: () => undefined,
          sendWithAck: (_d, ack) => void acks.push(ack),
          close: () => {},
        });
        const scope = router.forUser('u');
        const results: Array<Promise<number>> = [];
        const settledOrder: number[] = [];
        let acked = 0;
        const ack = () => {
          if (acked >= acks.length) return;
          const n = acked++;
          acks[n]!(n === failAt ? new Error('boom') : null);
        };
        for (const send of ops) {
          if (send) {
            const n = results.length;
            results.push(
              scope.broadcast({ type: 'n', payload: n }).then((r) => {
                settledOrder.push(n);
                return r.delivered;
              }),
            );
          } else ack();
        }
        while (acked < acks.length) ack();
        const delivered = await Promise.all(results);
        // Model: every send that reached the transport reports its own ack (so only the one acked
        // with an error fails); sends made after that failure never reach the dropped connection.
        const expected = results.map((_, n) => (n < acks.length && n !== failAt ? 1 : 0));
        expect(delivered).toEqual(expected);
        // Without a failure, events settle in send order (acks are in order).
        if (failAt >= acks.length) expect(settledOrder).toEqual([...settledOrder].sort((a, b) => a - b));
      }),
      { numRuns: 200 },
    );
  });
});
