import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import {
  attachRouter,
  createMessageRouter,
  UNAUTHENTICATED_CLOSE_CODE,
  type CanonicalMessageRouter,
  type HandlerContext,
  type InboundMessage,
  type RouterServer,
} from '../../src/router/index.js';
import { connect, startServer, testAuthenticate, until, type Frame, type TestClient } from './ws-helpers.js';

const RUN_ORDER = [
  'agent_started',
  'agent_thinking',
  'tool_executing',
  'tool_completed',
  'tool_executing',
  'tool_completed',
  'agent_completed',
];

let server: RouterServer | undefined;
let clients: TestClient[] = [];
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const c of clients) c.ws.terminate();
  await Promise.all(clients.map((c) => c.closed));
  clients = [];
  await server?.close();
  server = undefined;
  for (const fn of cleanups.splice(0)) await fn();
});

async function open(userId: string, connectionId: string, thread?: string): Promise<TestClient> {
  const c = await connect(server!.url, userId, connectionId, thread);
  clients.push(c);
  return c;
}

/** A handler that runs a fake agent for the sender: 7 events, interleaving with other runs at every await. */
function installAgent(router: CanonicalMessageRouter): void {
  router.on('run_agent', async (ctx: HandlerContext, message: InboundMessage) => {
    const runId = String((message.payload as { runId: string }).runId);
    const s = ctx.scope;
    await s.emit('agent_started', { runId, agentName: 'tester', threadId: ctx.threadId ?? 'none' });
    await s.emit('agent_thinking', { runId, reasoning: `thinking for ${ctx.userId}` });
    for (const tool of ['search', 'fetch']) {
      await s.emit('tool_executing', { runId, toolName: tool, parameters: { q: runId } });
      await new Promise((r) => setImmediate(r));
      await s.emit('tool_completed', { runId, toolName: tool, results: { owner: ctx.userId }, durationMs: 1 });
    }
    await s.emit('agent_completed', { runId, status: 'success', finalResponse: `done ${runId}` });
  });
}

const agentFrames = (frames: Frame[]): Frame[] =>
  frames.filter((f) => f.type.startsWith('agent_') || f.type.startsWith('tool_'));
const errorFrames = (frames: Frame[]): Frame[] => frames.filter((f) => f.type === 'error');

describe('ws adapter with real sockets on 127.0.0.1', () => {
  it('20 users x 3 connections, 2 concurrent runs each: zero cross-user deliveries, every run in order', async () => {
    const router = createMessageRouter();
    installAgent(router);
    server = await startServer(router);
    expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    const USERS = 20;
    const PER_USER = 3;
    const RUNS = 2;
    const byUser = new Map<string, TestClient[]>();
    await Promise.all(
      Array.from({ length: USERS }, async (_, u) => {
        const userId = `user${u}`;
        const conns = await Promise.all(Array.from({ length: PER_USER }, (_, k) => open(userId, `${userId}-c${k}`)));
        byUser.set(userId, conns);
      }),
    );
    expect(router.stats()).toMatchObject({ connections: USERS * PER_USER, users: USERS });

    // Every user starts RUNS runs at once, from different connections.
    for (const [userId, conns] of byUser) {
      for (let r = 0; r < RUNS; r++)
        conns[r % conns.length]!.send({ type: 'run_agent', payload: { runId: `${userId}:run${r}` } });
    }
    const expected = RUNS * RUN_ORDER.length;
    await Promise.all(clients.map((c) => c.waitFor((f) => agentFrames(f).length >= expected)));

    for (const [userId, conns] of byUser) {
      for (const c of conns) {
        const events = agentFrames(c.frames);
        expect(errorFrames(c.frames)).toEqual([]);
        expect(events).toHaveLength(expected);
        // Isolation, checked on what the client actually received.
        for (const e of events) expect(String(e.payload?.['runId'])).toMatch(new RegExp(`^${userId}:`));
        // Per run: the lifecycle order; per connection: timestamps never go backwards.
        for (let r = 0; r < RUNS; r++) {
          const run = events.filter((e) => e.payload?.['runId'] === `${userId}:run${r}`);
          expect(run.map((e) => e.type)).toEqual(RUN_ORDER);
        }
        const ts = events.map((e) => e.timestamp);
        expect([...ts].sort((a, b) => a - b)).toEqual(ts);
      }
    }
    const stats = router.stats();
    expect(stats).toMatchObject({ failedSends: 0, isolationRejections: 0, messagesRouted: USERS * RUNS });
    expect(stats.eventsDelivered).toBe(USERS * PER_USER * expected);
  });

  it('spoofed identities are refused with an error frame, counted, and never reach the other user', async () => {
    const router = createMessageRouter();
    const seenBy: string[] = [];
    router.on('chat', async (ctx) => {
      seenBy.push(ctx.userId);
      await ctx.scope.broadcast({ type: 'chat_ack' });
    });
    server = await startServer(router);
    const alice = await open('alice', 'a1');
    const bob = await open('bob', 'b1');
    alice.send({ type: 'chat', userId: 'bob', requestId: 'r1' });
    alice.send({ type: 'chat', payload: { user_id: 'bob' } });
    await alice.waitFor((f) => errorFrames(f).length === 2);
    expect(errorFrames(alice.frames).map((f) => f.code)).toEqual(['ISOLATION_VIOLATION', 'ISOLATION_VIOLATION']);
    expect(alice.frames[0]).toMatchObject({ inReplyTo: 'chat', requestId: 'r1' });
    // A legitimate message after the spoofs proves the socket survived and the handler is reachable.
    bob.send({ type: 'chat' });
    await bob.waitFor((f) => f.some((x) => x.type === 'chat_ack'));
    expect(seenBy).toEqual(['bob']);
    expect(bob.frames.map((f) => f.type)).toEqual(['chat_ack']);
    expect(alice.frames.filter((f) => f.type === 'chat_ack')).toEqual([]);
    expect(router.stats().isolationRejections).toBe(2);
  });

  it('malformed JSON, oversize and binary frames get error frames; the connection keeps working', async () => {
    const router = createMessageRouter();
    router.on('ping', (ctx) => ctx.scope.broadcast({ type: 'pong' }).then(() => undefined));
    server = await startServer(router, { maxFrameBytes: 1024 });
    const c = await open('u', 'c');
    c.send('{"type": "ping"'); // truncated JSON
    c.send(JSON.stringify({ type: 'ping', payload: 'x'.repeat(2000) }));
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    c.send('"just a string"');
    c.send({ type: 'unknown_type' });
    c.send({ type: 'ping' });
    await c.waitFor((f) => f.some((x) => x.type === 'pong'));
    expect(c.frames.map((f) => f.code ?? f.type)).toEqual([
      'MALFORMED_MESSAGE',
      'FRAME_TOO_LARGE',
      'UNSUPPORTED_FRAME',
      'MALFORMED_MESSAGE',
      'NO_HANDLER',
      'pong',
    ]);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('a frame beyond the hard ws limit closes only that socket (1009); the server keeps serving', async () => {
    const router = createMessageRouter();
    router.on('ping', (ctx) => ctx.scope.broadcast({ type: 'pong' }).then(() => undefined));
    server = await startServer(router, { maxFrameBytes: 1024 });
    const big = await open('u', 'big');
    const other = await open('u', 'other');
    big.send('x'.repeat(2 * 1024 * 1024));
    expect((await big.closed).code).toBe(1009);
    other.send({ type: 'ping' });
    await other.waitFor((f) => f.some((x) => x.type === 'pong'));
    await until(() => !router.hasConnection('big'), 5000, 'big unregistered');
  });

  it('unauthenticated upgrades are refused with HTTP 401 and never registered', async () => {
    const router = createMessageRouter();
    server = await startServer(router);
    const attempt = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(`${server!.url}/`, { headers });
        ws.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.on('open', () => {
          ws.terminate();
          reject(new Error('upgrade was accepted'));
        });
        ws.on('error', () => {});
      });
    expect(await attempt({})).toBe(401);
    expect(await attempt({ authorization: 'Bearer nope' })).toBe(401);
    expect(router.stats().connections).toBe(0);
    const ok = await open('legit', 'l1');
    expect(ok.ws.readyState).toBe(WebSocket.OPEN);
    expect(router.stats().connections).toBe(1);
  });

  it('an authenticator that throws or resolves null refuses the upgrade', async () => {
    const router = createMessageRouter();
    let mode: 'throw' | 'null' | 'async-null' = 'throw';
    server = await (
      await import('../../src/router/index.js')
    ).createRouterServer({
      router,
      authenticate: async () => {
        if (mode === 'throw') throw new Error('auth backend down');
        if (mode === 'async-null') return Promise.resolve(null);
        return null;
      },
    });
    for (const m of ['throw', 'null', 'async-null'] as const) {
      mode = m;
      const status = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`${server!.url}/`);
        ws.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.on('error', () => {});
      });
      expect(status, m).toBe(401);
    }
    expect(router.stats().connections).toBe(0);
  });

  it('a throwing handler and a dead connection are tolerated; others keep receiving', async () => {
    const router = createMessageRouter();
    installAgent(router);
    router.on('boom', () => {
      throw new Error('handler exploded with a secret');
    });
    server = await startServer(router);
    const live = await open('u', 'live');
    const dead = await open('u', 'dead');
    const bystander = await open('v', 'v1');

    live.send({ type: 'boom' });
    await live.waitFor((f) => errorFrames(f).length === 1);
    expect(errorFrames(live.frames)[0]).toMatchObject({ code: 'HANDLER_FAILED', message: 'a handler failed' });
    expect(JSON.stringify(live.frames)).not.toContain('secret');

    // Kill one of u's sockets abruptly and deliver straight away, before the server may notice.
    dead.ws.terminate();
    const result = await router.forUser('u').broadcast({ type: 'note' });
    expect(result.targeted).toBe(result.delivered + result.failed + result.skippedClosed);
    await live.waitFor((f) => f.some((x) => x.type === 'note'));
    await until(() => !router.hasConnection('dead'), 5000, 'dead connection dropped');
    expect(router.forUser('u').connectionIds()).toEqual(['live']);

    // The user can still run an agent, and the bystander saw none of it.
    live.send({ type: 'run_agent', payload: { runId: 'after' } });
    await live.waitFor((f) => agentFrames(f).length === RUN_ORDER.length);
    expect(agentFrames(live.frames).map((f) => f.type)).toEqual(RUN_ORDER);
    expect(bystander.frames).toEqual([]);
    expect((await router.forUser('u').broadcast({ type: 'x' })).delivered).toBe(1);
  });

  it('thread-bound connections only get their thread when the scope has one', async () => {
    const router = createMessageRouter();
    installAgent(router);
    server = await startServer(router);
    const t1 = await open('u', 't1', 'T1');
    const t2 = await open('u', 't2', 'T2');
    t1.send({ type: 'run_agent', payload: { runId: 'in-T1' } });
    await t1.waitFor((f) => agentFrames(f).length === RUN_ORDER.length);
    expect(agentFrames(t1.frames)[0]?.payload).toMatchObject({ threadId: 'T1' });
    // The run is finished (agent_completed arrived on t1), so t2 would have it by now if it were sent.
    await router.forUser('u').broadcast({ type: 'marker' }, { threadId: 'T2' });
    await t2.waitFor((f) => f.some((x) => x.type === 'marker'));
    expect(t2.frames.map((f) => f.type)).toEqual(['marker']);
  });

  it('events reach every socket of the user as UTF-8 text frames with identical bytes (one encode per event)', async () => {
    const router = createMessageRouter();
    server = await startServer(router);
    const sockets = [await open('u', 'a'), await open('u', 'b'), await open('u', 'c')];
    const other = await open('v', 'd');
    const scope = router.forUser('u');
    // Non-ASCII text of equal length in consecutive events: a stale cached encoding would show.
    const texts = ['Grüße, 世界 🚀', 'Grüße, 世界 🚁', 'ünïcödé'];
    await scope.emit('agent_started', { runId: 'r', agentName: 'ä', threadId: 't' });
    for (const reasoning of texts)
      expect((await scope.emit('agent_thinking', { runId: 'r', reasoning })).delivered).toBe(3);
    await router.forUser('v').emit('agent_started', { runId: 'r', agentName: 'other', threadId: 't' });
    await other.waitFor((f) => f.length === 1);
    for (const c of sockets) {
      await c.waitFor((f) => f.length === 4);
      expect(c.raw.every((r) => !r.binary)).toBe(true);
      expect(c.frames.slice(1).map((f) => f.payload?.['reasoning'])).toEqual(texts);
      expect(c.raw.map((r) => r.text)).toEqual(sockets[0]!.raw.map((r) => r.text));
    }
    expect(other.raw).toHaveLength(1);
    expect(other.frames[0]?.payload).toMatchObject({ agentName: 'other' });
  });

  it('cleans up on close: closed sockets are unregistered', async () => {
    const router = createMessageRouter();
    server = await startServer(router);
    const a = await open('u', 'a');
    await open('u', 'b');
    expect(router.stats().connections).toBe(2);
    a.ws.close(1000, 'bye');
    await a.closed;
    await until(() => router.stats().connections === 1, 5000, 'one connection left');
    expect(server.binding.socketCount).toBe(1);
    await server.close();
    server = undefined;
    await until(() => router.stats().connections === 0, 5000, 'all unregistered');
  });

  it('attachRouter on a server-mode WebSocketServer closes unauthenticated sockets with 1008', async () => {
    const router = createMessageRouter();
    router.on('ping', (ctx) => ctx.scope.broadcast({ type: 'pong' }).then(() => undefined));
    const http = createServer();
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const wss = new WebSocketServer({ server: http });
    // A slow (async) authenticator: frames sent right after 'open' must wait for it, not get lost.
    const binding = attachRouter(wss, router, {
      authenticate: async (req) => {
        for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
        return testAuthenticate(req);
      },
    });
    cleanups.push(async () => {
      binding.close();
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    });
    const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const anon = new WebSocket(url);
    const started = Date.now();
    const code = await new Promise<number>((r) => anon.on('close', (c) => r(c)));
    expect(code).toBe(UNAUTHENTICATED_CLOSE_CODE);
    // The closing handshake completes promptly (not via ws's 30 s close timeout).
    expect(Date.now() - started).toBeLessThan(5000);
    const c = await connect(url, 'u', 'c1');
    clients.push(c);
    c.send({ type: 'ping' }); // before authentication finished on the server
    await c.waitFor((f) => f.some((x) => x.type === 'pong'));
    expect(router.hasConnection('c1')).toBe(true);
  });
});

describe('ws adapter: connection ids and slow consumers', () => {
  it('a connectionId held by another user is refused (1008, counted); the same user reconnecting replaces the old socket', async () => {
    const router = createMessageRouter();
    server = await startServer(router);
    const alice = await open('alice', 'shared-id');
    const mallory = await open('mallory', 'shared-id');
    expect((await mallory.closed).code).toBe(UNAUTHENTICATED_CLOSE_CODE);
    expect(router.stats().isolationRejections).toBe(1);
    expect(router.forUser('alice').connectionIds()).toEqual(['shared-id']);
    expect((await router.forUser('alice').broadcast({ type: 'still-mine' })).delivered).toBe(1);
    await alice.waitFor((f) => f.some((x) => x.type === 'still-mine'));

    const alice2 = await open('alice', 'shared-id');
    expect((await alice.closed).code).toBe(1000);
    expect((await router.forUser('alice').broadcast({ type: 'to-new' })).delivered).toBe(1);
    await alice2.waitFor((f) => f.some((x) => x.type === 'to-new'));
  });

  it('a client flooding faster than its handlers: one INBOUND_OVERFLOW for the drops; the rest in order', async () => {
    const router = createMessageRouter();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const order: number[] = [];
    router.on('work', async (ctx, m) => {
      await gate;
      order.push((m.payload as { n: number }).n);
      await ctx.scope.broadcast({ type: 'worked', payload: (m.payload as { n: number }).n });
    });
    server = await (
      await import('../../src/router/index.js')
    ).createRouterServer({ router, authenticate: testAuthenticate, maxInboundPending: 3 });
    const c = await open('u', 'c');
    for (let n = 0; n < 5; n++) c.send({ type: 'work', payload: { n } });
    await until(() => server!.binding.stats().inboundDropped >= 1, 5000, 'a message dropped');
    release();
    // Reading pauses while dropping and resumes once the backlog is handled: whatever was not read
    // yet when the 4th message was dropped is handled afterwards.
    await until(() => order.length + server!.binding.stats().inboundDropped === 5, 5000, 'all 5 accounted for');
    await c.waitFor((f) => f.filter((x) => x.type === 'worked').length === order.length);
    expect(order.slice(0, 3)).toEqual([0, 1, 2]);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // One refusal for the run of drops, ahead of the replies (it was sent while they waited).
    expect(c.frames.map((f) => f.code ?? f.type)).toEqual(['INBOUND_OVERFLOW', ...order.map(() => 'worked')]);
  });

  it('a client that stops reading is closed with 1013 once its queue is full; it keeps a gap-free prefix; others get everything', async () => {
    const router = createMessageRouter({ maxPendingPerConnection: 16 });
    server = await startServer(router);
    const slow = await open('u', 'slow');
    const fast = await open('u', 'fast');
    // Stop reading on the slow client: the kernel buffers fill, ws write callbacks stop, pending grows.
    (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const scope = router.forUser('u');
    const big = 'x'.repeat(32 * 1024);
    const results: Array<Promise<{ delivered: number }>> = [];
    let sent = 0;
    // Bounded: 2,000 x 32 KiB is far beyond any loopback buffer; we stop as soon as the drop happens.
    while (router.hasConnection('slow') && sent < 2000) {
      results.push(scope.broadcast({ type: 'chunk', payload: { seq: sent, big } }));
      sent++;
      if (sent % 8 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(router.hasConnection('slow')).toBe(false);
    expect(router.stats().slowConsumerDrops).toBe(1);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect((await slow.closed).code).toBe(1013);
    await fast.waitFor((f) => f.length === sent);
    expect(fast.frames.map((f) => f.payload?.['seq'])).toEqual(Array.from({ length: sent }, (_, i) => i));
    const slowSeqs = slow.frames.map((f) => f.payload?.['seq']);
    expect(slowSeqs).toEqual(Array.from({ length: slowSeqs.length }, (_, i) => i));
    expect(slowSeqs.length).toBeLessThan(sent);
    // Counts are exact: the fast client got every event, the slow one exactly what was written to it.
    const delivered = (await Promise.all(results)).reduce((n, r) => n + r.delivered, 0);
    expect(delivered).toBe(sent + slowSeqs.length);
  });
});
