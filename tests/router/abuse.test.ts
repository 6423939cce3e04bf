// Abuse suite (issue #15): hostile clients over real `ws` sockets on 127.0.0.1. Each case is
// bounded in frames sent and waits with a deadline that only turns a hang into a failure; nothing
// here asserts how long anything took. Memory is judged by what the server holds for the socket
// (its write buffer, queues and maps), sampled during the attack; RSS over time is measured by the
// router-abuse bench (bench/router/abuse-bench.mjs), not here.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  createMessageRouter,
  createRouterServer,
  SLOW_CONSUMER_CLOSE_CODE,
  TOO_MANY_ERRORS_CLOSE_CODE,
  type CanonicalMessageRouter,
  type HandlerContext,
  type RouterOptions,
  type RouterServer,
  type WebSocketAdapterOptions,
} from '../../src/router/index.js';
import { connect, testAuthenticate, until, type Frame, type TestClient } from './ws-helpers.js';

let server: RouterServer | undefined;
let clients: TestClient[] = [];

afterEach(async () => {
  for (const c of clients) c.ws.terminate();
  await Promise.all(clients.map((c) => c.closed));
  clients = [];
  await server?.close();
  server = undefined;
});

async function start(
  routerOptions: RouterOptions = {},
  adapter: Partial<WebSocketAdapterOptions> = {},
): Promise<CanonicalMessageRouter> {
  const router = createMessageRouter(routerOptions);
  server = await createRouterServer({ router, authenticate: testAuthenticate, ...adapter });
  return router;
}

async function open(userId: string, connectionId: string): Promise<TestClient> {
  const c = await connect(server!.url, userId, connectionId);
  clients.push(c);
  return c;
}

type RawSocket = { pause(): void; resume(): void };
/** Stops reading on the client: the server's writes to it back up, as with a stalled or hostile peer. */
const stopReading = (c: TestClient): void => (c.ws as unknown as { _socket: RawSocket })._socket.pause();
const resumeReading = (c: TestClient): void => (c.ws as unknown as { _socket: RawSocket })._socket.resume();

/** Turns a hang into a failure; asserts nothing about time. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: still pending after ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** The server's end of client `c`'s socket (the one whose peer port is the client's local port). */
function serverSide(c: TestClient): WebSocket {
  const localPort = (c.ws as unknown as { _socket: { localPort: number } })._socket.localPort;
  const found = [...server!.wss.clients].find(
    (s) => (s as unknown as { _socket: { remotePort: number } })._socket.remotePort === localPort,
  );
  if (!found) throw new Error(`no server socket for ${c.connectionId}`);
  return found;
}

/**
 * Sends `frame()` up to `max` times in batches, yielding between batches, until `stop()` holds.
 * Returns the frames sent and the largest write buffer the server held for the socket meanwhile.
 */
async function flood(
  c: TestClient,
  frame: () => string | Buffer,
  max: number,
  stop: () => boolean,
): Promise<{ sent: number; peakBuffered: number }> {
  const target = serverSide(c);
  let sent = 0;
  let peakBuffered = 0;
  while (sent < max && !stop()) {
    for (let i = 0; i < 200 && sent < max; i++, sent++) c.ws.send(frame());
    await new Promise((r) => setTimeout(r, 1));
    peakBuffered = Math.max(peakBuffered, target.bufferedAmount);
  }
  return { sent, peakBuffered };
}

const errorsOf = (frames: Frame[]): Frame[] => frames.filter((f) => f.type === 'error');
const frozen = { now: () => 0 }; // the error budget never refills: exact counts

describe('a client that keeps sending refused frames is closed once its error budget is spent', () => {
  const floods: Array<{
    kind: string;
    code: string;
    frame: () => string | Buffer;
    adapter?: Partial<WebSocketAdapterOptions>;
  }> = [
    { kind: '1-byte invalid frames', code: 'MALFORMED_MESSAGE', frame: () => 'x' },
    { kind: 'frames of an unknown type', code: 'NO_HANDLER', frame: () => '{"type":"nope"}' },
    {
      kind: 'spoofed identities',
      code: 'ISOLATION_VIOLATION',
      frame: () => '{"type":"chat","payload":{"userId":"victim"}}',
    },
    {
      kind: 'oversize frames',
      code: 'FRAME_TOO_LARGE',
      frame: () => 'y'.repeat(1500),
      adapter: { maxFrameBytes: 1024 },
    },
    { kind: 'binary frames', code: 'UNSUPPORTED_FRAME', frame: () => Buffer.from([1, 2, 3]) },
  ];
  for (const f of floods) {
    it(`${f.kind} from a client that stopped reading: 32 error frames, close 1008, socket released`, async () => {
      const router = await start({}, { ...frozen, ...f.adapter });
      router.on('chat', () => {});
      const attacker = await open('mallory', 'm1');
      const bystander = await open('alice', 'a1');
      stopReading(attacker);
      const { peakBuffered } = await flood(
        attacker,
        f.frame,
        5_000,
        () => server!.binding.stats().errorBudgetCloses === 1,
      );
      expect(server!.binding.stats().errorBudgetCloses).toBe(1);
      expect(router.hasConnection('m1')).toBe(false);
      resumeReading(attacker);
      expect((await within(attacker.closed, 10_000, 'attacker closed')).code).toBe(TOO_MANY_ERRORS_CLOSE_CODE);
      const errors = errorsOf(attacker.frames);
      expect(errors).toHaveLength(32);
      // Frames that arrive in one read faster than they are handled may also be dropped (answered
      // by INBOUND_OVERFLOW, which spends budget like any refusal); nothing else is answered.
      expect(errors.some((e) => e.code === f.code)).toBe(true);
      expect(errors.filter((e) => e.code !== f.code && e.code !== 'INBOUND_OVERFLOW')).toEqual([]);
      // What the server buffered for the attacker never exceeded the 32 small error frames.
      expect(peakBuffered).toBeLessThanOrEqual(32 * 1024);
      await until(() => server!.binding.socketCount === 1, 10_000, 'attacker socket released');
      expect(router.stats()).toMatchObject({ connections: 1, users: 1 });
      // The bystander never noticed.
      expect((await router.forUser('alice').broadcast({ type: 'still-here' })).delivered).toBe(1);
      await bystander.waitFor((fr) => fr.some((x) => x.type === 'still-here'));
      expect(errorsOf(bystander.frames)).toEqual([]);
    });
  }
});

describe("every frame the server sends goes through the connection's bounded queue", () => {
  it('error frames: with no error budget, a client that does not drain them is closed (1013), counted', async () => {
    const router = await start({ maxPendingPerConnection: 16 }, { maxInboundErrors: 1e9 });
    const attacker = await open('mallory', 'm1');
    stopReading(attacker);
    const { sent } = await flood(
      attacker,
      () => 'x',
      20_000,
      () => !router.hasConnection('m1'),
    );
    expect(router.hasConnection('m1')).toBe(false);
    expect(router.stats().slowConsumerDrops).toBe(1);
    resumeReading(attacker);
    expect((await within(attacker.closed, 10_000, 'attacker closed')).code).toBe(SLOW_CONSUMER_CLOSE_CODE);
    // It got a gap-free prefix of its answers (as many as were written before the close), no more.
    expect(errorsOf(attacker.frames).length).toBeLessThan(sent);
    expect(errorsOf(attacker.frames).length).toBeLessThanOrEqual(server!.binding.stats().errorFrames);
    await until(() => server!.binding.socketCount === 0, 10_000, 'socket released');
  });

  it('replies (acks): a client that does not read them is closed (1013); other sockets and users go on', async () => {
    const router = await start({ maxPendingPerConnection: 32 });
    const ack = 'a'.repeat(8 * 1024);
    // Not awaited: a handler that awaited its reply would stall its own socket's inbound queue
    // instead (bounded by maxInboundPending), and the outbound bound would never be reached.
    router.on('echo', (ctx: HandlerContext) => {
      void ctx.scope.reply({ type: 'ack', ack });
    });
    const slow = await open('mallory', 'slow');
    const sameUser = await open('mallory', 'fast');
    const other = await open('alice', 'a1');
    stopReading(slow);
    const { peakBuffered } = await flood(
      slow,
      () => '{"type":"echo"}',
      20_000,
      () => !router.hasConnection('slow'),
    );
    expect(router.stats().slowConsumerDrops).toBe(1);
    // Bounded by the queue: 32 pending acks of 8 KiB (plus frame headers), whatever was sent.
    expect(peakBuffered).toBeLessThanOrEqual(33 * (8 * 1024 + 64));
    resumeReading(slow);
    expect((await within(slow.closed, 10_000, 'slow closed')).code).toBe(SLOW_CONSUMER_CLOSE_CODE);
    // Acks, and INBOUND_OVERFLOW if frames arrived in one read faster than they were handled.
    expect(slow.frames.filter((f) => f.type !== 'ack' && f.code !== 'INBOUND_OVERFLOW')).toEqual([]);
    sameUser.send({ type: 'echo' });
    other.send({ type: 'echo' });
    await sameUser.waitFor((f) => f.length === 1);
    await other.waitFor((f) => f.length === 1);
    expect([sameUser.frames[0]?.type, other.frames[0]?.type]).toEqual(['ack', 'ack']);
  });

  /**
   * A handler blocked on a gate until the test releases it; records the `n` of each message it
   * handled and answers it with a `worked` reply.
   */
  function gatedWork(router: CanonicalMessageRouter) {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const state = { handled: [] as number[], release: () => release() };
    router.on('work', async (ctx, m) => {
      await gate;
      state.handled.push(Number(m['n']));
      void ctx.scope.reply({ type: 'worked' });
    });
    return state;
  }

  it('inbound overflow: one INBOUND_OVERFLOW per run of drops, not per message; nothing lost silently', async () => {
    const router = await start({}, { maxInboundPending: 8, maxInboundErrors: 1e9 });
    const work = gatedWork(router);
    const c = await open('u', 'c');
    for (let n = 0; n < 500; n++) c.send({ type: 'work', n });
    await until(() => server!.binding.stats().inboundDropped >= 2, 10_000, 'two messages dropped');
    const droppedWhileBlocked = server!.binding.stats().inboundDropped;
    work.release();
    // Reading paused during the run of drops and resumed once the backlog was handled, so every
    // message ends up handled or counted as dropped.
    await until(
      () => work.handled.length + server!.binding.stats().inboundDropped === 500,
      10_000,
      'all 500 accounted for',
    );
    // The first 8 waited; the 9th was the first one dropped.
    expect(work.handled.slice(0, 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(work.handled[8] ?? 500).toBeGreaterThan(8);
    await c.waitFor((f) => f.filter((x) => x.type === 'worked').length === work.handled.length);
    // All drops before the release were one run, answered by one frame ahead of the first reply.
    const beforeFirstReply = c.frames.slice(
      0,
      c.frames.findIndex((f) => f.type === 'worked'),
    );
    expect(beforeFirstReply.map((f) => f.code)).toEqual(['INBOUND_OVERFLOW']);
    expect(droppedWhileBlocked).toBeGreaterThanOrEqual(2);
    const refusals = c.frames.filter((f) => f.code === 'INBOUND_OVERFLOW').length;
    expect(server!.binding.stats().errorFrames).toBe(refusals);
  });

  it('inbound byte bound: messages waiting for a slow handler beyond maxInboundPendingBytes are dropped', async () => {
    const router = await start({}, { maxInboundPendingBytes: 10_000 });
    const work = gatedWork(router);
    const c = await open('u', 'c');
    const message = (n: number): string => {
      const head = `{"type":"work","n":${n},"pad":"`;
      return `${head}${'p'.repeat(3000 - head.length - 2)}"}`;
    };
    expect(Buffer.byteLength(message(0))).toBe(3000);
    for (let n = 0; n < 10; n++) c.send(message(n)); // 3 fit in 10,000 bytes; a 4th would not
    await until(() => server!.binding.stats().inboundDropped >= 1, 10_000, 'a message dropped');
    work.release();
    await until(
      () => work.handled.length + server!.binding.stats().inboundDropped === 10,
      10_000,
      'all 10 accounted for',
    );
    expect(work.handled.slice(0, 3)).toEqual([0, 1, 2]);
    expect(work.handled[3] ?? 10).toBeGreaterThan(3);
    await c.waitFor((f) => f.filter((x) => x.type === 'worked').length === work.handled.length);
    expect(c.frames[0]).toMatchObject({ code: 'INBOUND_OVERFLOW' });
  });

  it('a ping flood from a client that does not read the pongs gets it dropped (ws bounds pending pongs)', async () => {
    const router = await start();
    const attacker = await open('mallory', 'm1');
    stopReading(attacker);
    let sent = 0;
    while (router.hasConnection('m1') && sent < 50_000) {
      for (let i = 0; i < 500; i++, sent++) attacker.ws.ping();
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(router.hasConnection('m1')).toBe(false);
    resumeReading(attacker);
    await within(attacker.closed, 10_000, 'attacker closed');
    expect(router.stats().connections).toBe(0);
  });
});

describe('identity over real sockets', () => {
  it('every mix of an honest and a foreign id is refused, counted, and reaches no handler or user', async () => {
    const router = await start({ identityKeys: ['accountId'] });
    const seen: unknown[] = [];
    router.on('x', (ctx, m) => void seen.push([ctx.userId, m]));
    const alice = await open('alice', 'a1');
    const bob = await open('bob', 'b1');
    const mixes = [
      { type: 'x', userId: 'alice', payload: { userId: 'bob' } },
      { type: 'x', userId: 'alice', user_id: 'bob' },
      { type: 'x', payload: { userId: 'alice', user_id: 'bob' } },
      { type: 'x', user_id: 'alice', payload: { userId: 'bob' } },
      { type: 'x', userId: 'alice', payload: { accountId: 'bob' } },
      { type: 'x', userId: 'alice', payload: { userId: null } },
    ];
    mixes.forEach((m, i) => alice.send({ ...m, requestId: `r${i}` }));
    await alice.waitFor((f) => f.length === mixes.length);
    expect(alice.frames.map((f) => [f.code, f.requestId])).toEqual(
      mixes.map((_, i) => ['ISOLATION_VIOLATION', `r${i}`]),
    );
    expect(seen).toEqual([]);
    expect(bob.frames).toEqual([]);
    expect(router.stats().isolationRejections).toBe(mixes.length);
    alice.send({ type: 'x', userId: 'alice', payload: { user_id: 'alice', accountId: 'alice' } });
    await until(() => seen.length === 1, 10_000, 'honest message handled');
  });
});

describe('run tracking over real sockets', () => {
  it("a user starting runs without end is refused beyond its limit; another user's run goes on", async () => {
    const router = await start({ maxTrackedRunsPerUser: 5 });
    router.on('start', (ctx, m) =>
      ctx.scope
        .emit('agent_started', { runId: String(m['runId']), agentName: 'a', threadId: 't' })
        .then(() => undefined),
    );
    router.on('think', (ctx, m) =>
      ctx.scope.emit('agent_thinking', { runId: String(m['runId']), reasoning: 'r' }).then(() => undefined),
    );
    const victim = await open('victim', 'v1');
    const attacker = await open('mallory', 'm1');
    victim.send({ type: 'start', runId: 'shared-name' });
    await victim.waitFor((f) => f.length === 1);
    for (let i = 0; i < 50; i++) attacker.send({ type: 'start', runId: i === 0 ? 'shared-name' : `m${i}` });
    await attacker.waitFor((f) => f.length === 50);
    expect(attacker.frames.filter((f) => f.type === 'agent_started')).toHaveLength(5);
    expect(errorsOf(attacker.frames).map((f) => f.code)).toEqual(Array(45).fill('HANDLER_FAILED'));
    expect(router.stats().runLimitRefusals).toBe(45);
    victim.send({ type: 'think', runId: 'shared-name' });
    await victim.waitFor((f) => f.length === 2);
    expect(victim.frames.map((f) => f.type)).toEqual(['agent_started', 'agent_thinking']);
  });
});

describe('refused upgrades and churn leave nothing behind', () => {
  it('200 unauthenticated upgrades are answered 401 and register nothing', async () => {
    const router = await start();
    const statuses = await Promise.all(
      Array.from(
        { length: 200 },
        (_, i) =>
          new Promise<number>((resolve) => {
            const ws = new WebSocket(`${server!.url}/`, { headers: i % 2 ? { authorization: 'Bearer forged' } : {} });
            ws.on('unexpected-response', (_req, res) => {
              resolve(res.statusCode ?? 0);
              ws.terminate();
            });
            ws.on('open', () => {
              ws.terminate();
              resolve(101);
            });
            ws.on('error', () => {});
          }),
      ),
    );
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(router.stats()).toMatchObject({ connections: 0, users: 0 });
    expect(server!.binding.stats().sockets).toBe(0);
  });

  it('1,000 connect/send/disconnect cycles (clean and abrupt) return every map to where it was', async () => {
    const router = await start();
    router.on('ping', (ctx) => ctx.scope.reply({ type: 'pong' }).then(() => undefined));
    const keeper = await open('keeper', 'k1');
    const before = { ...router.stats(), sockets: server!.binding.socketCount };
    for (let batch = 0; batch < 50; batch++) {
      const round = await Promise.all(
        Array.from({ length: 20 }, (_, i) => connect(server!.url, `churn${i % 7}`, `c${batch}-${i}`)),
      );
      for (const c of round) c.send({ type: 'ping' });
      await Promise.all(round.map((c) => c.waitFor((f) => f.length === 1)));
      round.forEach((c, i) => (i % 2 ? c.ws.terminate() : c.ws.close()));
      await Promise.all(round.map((c) => c.closed));
    }
    await until(() => router.stats().connections === before.connections, 10_000, 'connections back to baseline');
    await until(() => server!.binding.socketCount === before.sockets, 10_000, 'sockets back to baseline');
    expect(router.stats().users).toBe(before.users);
    expect(router.stats().eventsDelivered).toBe(1_000);
    keeper.send({ type: 'ping' });
    await keeper.waitFor((f) => f.length === 1);
  });
});
