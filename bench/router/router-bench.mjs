#!/usr/bin/env node
// Router delivery benchmark: the canonical router over real `ws` sockets on loopback, side by
// side with a bare `ws` send loop over the SAME client sockets, with the SAME frames, in the same
// run. Not a test: it measures, prints, and leaves judging to the reader (goals are printed).
//
//   npx tsc -p tsconfig.build.json && node bench/router/router-bench.mjs [--connections 1000]
//     [--users 100] [--events 200] [--rounds 50] [--repeats 3] [--payload-bytes 200] [--json]
//
// Layout: the server (router or bare loop) runs in this process; all client sockets run in a child
// process, so the two sides use separate cores the way a real server and its clients would, and
// process.cpuUsage() here measures the server's CPU alone (reported as CPU us per delivery, a
// number much less sensitive to other load on the machine than wall-clock throughput).
// Latency = client receive time - event timestamp; both sides read performance.timeOrigin +
// performance.now(), an absolute epoch-based clock with sub-millisecond resolution.
//
// Modes, rotated within each repeat, `repeats` times (medians reported):
//   bare:     for each of the user's sockets, ws.send(frame). The baseline the goal refers to.
//   bare-ack: the same, but waiting for ws's write callbacks and counting successes: what exact
//             delivery counts cost without any router (the router must do this to never over-count).
//   router:   forUser(ctx).emit(type, payload): validation, ordering, queues, exact counts.
// Phases of each mode:
//   flood:  every user gets `events` events, one per user per event-loop turn, nothing awaited in
//           between; throughput = deliveries / time until the clients received all of them.
//   burst:  `rounds` rounds; in each, all users' events are sent in one synchronous burst
//           (1,000 frames at once); the next round starts when the previous one fully arrived.
//   steady: like burst, but each user's event is sent in its own event-loop turn, the way
//           events of independent agent runs reach a real server.

import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { WebSocket } from 'ws';

const now = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------- client side (child process)

const parentPort = {
  postMessage: (msg) => process.send(msg),
  on: (event, fn) => process.on(event, fn),
};

async function clientMain({ url, connections, users }) {
  const sockets = [];
  let expected = Infinity;
  let received = 0;
  let latencies = new Float64Array(0);
  let phase = '';
  const onFrame = (data) => {
    const t = now();
    const frame = JSON.parse(data.toString());
    if (received < latencies.length) latencies[received] = t - frame.timestamp;
    received++;
    if (received === expected) {
      const done = latencies.subarray(0, received);
      parentPort.postMessage({ kind: 'done', phase, received, latencies: done });
      expected = Infinity;
    }
  };
  const open = (i) =>
    new Promise((resolve, reject) => {
      const user = `user${i % users}`;
      const ws = new WebSocket(`${url}/?user=${user}&cid=c${i}`, { perMessageDeflate: false });
      ws.on('message', onFrame);
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
  // Open in batches so the listen backlog is never the bottleneck.
  for (let i = 0; i < connections; i += 100) {
    const batch = [];
    for (let j = i; j < Math.min(connections, i + 100); j++) batch.push(open(j));
    sockets.push(...(await Promise.all(batch)));
  }
  parentPort.on('message', (msg) => {
    if (msg.kind === 'expect') {
      phase = msg.phase;
      received = 0;
      latencies = new Float64Array(msg.count);
      expected = msg.count;
      parentPort.postMessage({ kind: 'armed', phase });
    } else if (msg.kind === 'close') {
      for (const ws of sockets) ws.close();
      parentPort.postMessage({ kind: 'closed' });
    }
  });
  // If the server side goes away, do not linger.
  process.on('disconnect', () => {
    for (const ws of sockets) ws.terminate();
    process.exit(0);
  });
  parentPort.postMessage({ kind: 'ready', sockets: sockets.length });
}

const CLIENT_FLAG = '--router-bench-clients';
const isClientProcess = process.argv[2] === CLIENT_FLAG && typeof process.send === 'function';
if (isClientProcess) {
  clientMain(JSON.parse(process.argv[3])).catch((err) => {
    parentPort.postMessage({ kind: 'error', message: String(err?.stack ?? err) });
  });
}

// ---------------------------------------------------------------- server side (main thread)

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

function summarize(latencies) {
  const sorted = Float64Array.from(latencies).sort();
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs the benchmark and returns the measurements. Requires the built router (dist/).
 * @param {{ connections?: number, users?: number, events?: number, rounds?: number, repeats?: number, payloadBytes?: number, log?: (line: string) => void }} [options]
 */
export async function runRouterBench(options = {}) {
  const connections = options.connections ?? 1000;
  const users = options.users ?? 100;
  const events = Math.max(3, options.events ?? 200);
  const rounds = Math.max(3, options.rounds ?? 50);
  const repeats = Math.max(1, options.repeats ?? 3);
  const payloadBytes = options.payloadBytes ?? 200;
  const log = options.log ?? (() => {});
  if (connections % users !== 0)
    throw new Error('connections must be a multiple of users (equal connections per user)');

  const { createMessageRouter, createRouterServer } = await import(
    new URL('../../dist/src/router/index.js', import.meta.url).href
  );
  const router = createMessageRouter({ clock: now });
  const server = await createRouterServer({
    router,
    host: '127.0.0.1',
    port: 0,
    authenticate: (req) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams;
      const userId = q.get('user');
      return userId ? { userId, connectionId: q.get('cid') ?? undefined } : null;
    },
  });
  // The bare loop targets the very same server-side sockets, grouped by user.
  const socketsByUser = new Map();
  server.wss.on('connection', (ws, req) => {
    const userId = new URL(req.url ?? '/', 'http://x').searchParams.get('user');
    if (!socketsByUser.has(userId)) socketsByUser.set(userId, []);
    socketsByUser.get(userId).push(ws);
  });

  const worker = fork(
    fileURLToPath(import.meta.url),
    [CLIENT_FLAG, JSON.stringify({ url: server.url, connections, users })],
    {
      serialization: 'advanced', // structured clone: latency arrays travel as Float64Array
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const inbox = [];
  const waiting = [];
  worker.on('message', (msg) => {
    if (msg.kind === 'error') throw new Error(`client worker: ${msg.message}`);
    const w = waiting.findIndex((x) => x.kind === msg.kind);
    if (w >= 0) waiting.splice(w, 1)[0].resolve(msg);
    else inbox.push(msg);
  });
  const next = (kind) => {
    const i = inbox.findIndex((m) => m.kind === kind);
    if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0]);
    return new Promise((resolve) => waiting.push({ kind, resolve }));
  };
  const ready = await next('ready');
  while (router.stats().connections < connections) await turn();
  log(`connected ${ready.sockets} clients for ${users} users`);

  const userIds = Array.from({ length: users }, (_, u) => `user${u}`);
  // Like a real server, hold one scope per user (a handler gets it as ctx.scope) instead of
  // building one per event; the bare loop likewise holds its per-user socket lists.
  const scopes = userIds.map((userId) => router.forUser({ userId }));
  const reasoning = 'x'.repeat(payloadBytes);
  let runCounter = 0;
  // One agent run per user per phase: started, thinking..., completed (valid for strict ordering).
  const eventFor = (u, i, total, runId) => {
    if (i === 0) return ['agent_started', { runId, agentName: 'bench', threadId: `t-${u}` }];
    if (i === total - 1) return ['agent_completed', { runId, status: 'success', finalResponse: reasoning }];
    return ['agent_thinking', { runId, reasoning }];
  };

  async function expectFrames(phase, count) {
    worker.send({ kind: 'expect', phase, count });
    await next('armed');
  }

  /**
   * One user's event, sent by the mode under test. Returns the delivered count: a DeliveryResult
   * promise (router), a promise of write-acknowledged sends (bare-ack), or the sends made (bare).
   */
  function sendOne(mode, u, i, total, runIds) {
    const [type, payload] = eventFor(u, i, total, runIds[u]);
    if (mode === 'router') return scopes[u].emit(type, payload);
    // Same wire shape and the same clock as the router's frames.
    const data = JSON.stringify({ type, timestamp: now(), payload });
    const sockets = socketsByUser.get(userIds[u]);
    if (mode === 'bare') {
      for (const ws of sockets) ws.send(data);
      return sockets.length;
    }
    // bare-ack: what exact counting costs without any router: wait for ws's write callbacks.
    return new Promise((resolve) => {
      let left = sockets.length;
      let ok = 0;
      const cb = (err) => {
        if (!err) ok++;
        if (--left === 0) resolve(ok);
      };
      for (const ws of sockets) ws.send(data, cb);
    });
  }

  async function flood(mode) {
    const runIds = userIds.map(() => `run${runCounter++}`);
    const deliveries = users * (connections / users) * events;
    await expectFrames(`${mode}-flood`, deliveries);
    const elu0 = performance.eventLoopUtilization();
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    const pending = [];
    for (let i = 0; i < events; i++) {
      for (let u = 0; u < users; u++) pending.push(sendOne(mode, u, i, events, runIds));
      await turn();
    }
    const done = await next('done');
    const elapsedMs = performance.now() - started;
    const elu = performance.eventLoopUtilization(elu0);
    const cpu = process.cpuUsage(cpu0);
    const counted = (await Promise.all(pending)).reduce((n, r) => n + (typeof r === 'number' ? r : r.delivered), 0);
    if (done.received !== deliveries || counted !== deliveries)
      throw new Error(`${mode} flood: received ${done.received}, counted ${counted}, expected ${deliveries}`);
    return {
      deliveries,
      elapsedMs,
      throughput: (deliveries / elapsedMs) * 1000,
      latency: summarize(done.latencies),
      // Busy time of the server thread per delivery: the router's own cost shows up here even when
      // the clients, not the server, limit throughput.
      serverUsPerDelivery: (elu.active * 1000) / deliveries,
      // CPU time of the server process (user + system) per delivery: the least load-sensitive number.
      serverCpuUsPerDelivery: (cpu.user + cpu.system) / deliveries,
      serverEventLoopUtilization: elu.utilization,
    };
  }

  /**
   * Latency rounds. `burst`: all users' events in one synchronous burst (1,000 frames at the same
   * instant, the worst case). `steady`: each user's event in its own event-loop turn, as events of
   * independent agent runs arrive in a real server.
   */
  async function paced(mode, style) {
    const runIds = userIds.map(() => `run${runCounter++}`);
    const all = [];
    let counted = 0;
    for (let i = 0; i < rounds; i++) {
      await expectFrames(`${mode}-${style}-${i}`, connections);
      const pending = [];
      for (let u = 0; u < users; u++) {
        pending.push(sendOne(mode, u, i, rounds, runIds));
        if (style === 'steady') await turn();
      }
      const done = await next('done');
      counted += (await Promise.all(pending)).reduce((n, r) => n + (typeof r === 'number' ? r : r.delivered), 0);
      all.push(...done.latencies);
    }
    if (counted !== rounds * connections)
      throw new Error(`${mode} ${style}: counted ${counted}, expected ${rounds * connections}`);
    return { deliveries: all.length, latency: summarize(all) };
  }

  // Warm up both paths (JIT, socket buffers) before measuring.
  const modes = ['bare', 'bare-ack', 'router'];
  for (const mode of modes) await flood(mode);
  const results = Object.fromEntries(modes.map((m) => [m, { flood: [], burst: [], steady: [] }]));
  for (let r = 0; r < repeats; r++) {
    // Rotate which mode goes first so drift in machine load does not favour one of them.
    for (const mode of [...modes.slice(r % modes.length), ...modes.slice(0, r % modes.length)]) {
      results[mode].flood.push(await flood(mode));
      results[mode].burst.push(await paced(mode, 'burst'));
      results[mode].steady.push(await paced(mode, 'steady'));
      const f = results[mode].flood.at(-1);
      log(
        `repeat ${r + 1}/${repeats} ${mode.padEnd(8)}: ${Math.round(f.throughput)} deliveries/s (server: ${f.serverUsPerDelivery.toFixed(2)} us busy, ${f.serverCpuUsPerDelivery.toFixed(2)} us CPU per delivery), ` +
          `burst p95 ${results[mode].burst.at(-1).latency.p95.toFixed(3)} ms, steady p95 ${results[mode].steady.at(-1).latency.p95.toFixed(3)} ms`,
      );
    }
  }

  worker.send({ kind: 'close' });
  await next('closed');
  worker.disconnect();
  await new Promise((resolve) => (worker.exitCode !== null ? resolve() : worker.once('exit', resolve)));
  await server.close();
  router.close();

  const pct = (list) => ({
    p50: median(list.map((x) => x.latency.p50)),
    p95: median(list.map((x) => x.latency.p95)),
    p99: median(list.map((x) => x.latency.p99)),
  });
  const agg = (mode) => ({
    throughputPerSec: median(results[mode].flood.map((x) => x.throughput)),
    throughputRangePerSec: [
      Math.min(...results[mode].flood.map((x) => x.throughput)),
      Math.max(...results[mode].flood.map((x) => x.throughput)),
    ],
    serverUsPerDelivery: median(results[mode].flood.map((x) => x.serverUsPerDelivery)),
    serverCpuUsPerDelivery: median(results[mode].flood.map((x) => x.serverCpuUsPerDelivery)),
    floodLatencyMs: pct(results[mode].flood),
    burstLatencyMs: pct(results[mode].burst),
    steadyLatencyMs: pct(results[mode].steady),
  });
  const bare = agg('bare');
  const bareAck = agg('bare-ack');
  const routed = agg('router');
  const ratio = routed.throughputPerSec / bare.throughputPerSec;
  return {
    config: { connections, users, events, rounds, repeats, payloadBytes, deliveriesPerFlood: connections * events },
    machine: { node: process.version, platform: `${process.platform}-${process.arch}` },
    bare,
    bareAck,
    router: routed,
    throughputRatio: ratio,
    throughputRatioVsBareAck: routed.throughputPerSec / bareAck.throughputPerSec,
    /** bare CPU per delivery / router CPU per delivery: the throughput ratio a CPU-bound server would see. */
    cpuEfficiencyRatio: bare.serverCpuUsPerDelivery / routed.serverCpuUsPerDelivery,
    goals: {
      routerSteadyP95Under5ms: routed.steadyLatencyMs.p95 < 5,
      routerBurstP95Under5ms: routed.burstLatencyMs.p95 < 5,
      throughputAtLeast80PercentOfBare: ratio >= 0.8,
    },
    raw: results,
  };
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') out.json = true;
    else if (a.startsWith('--')) {
      const key = a.slice(2).replace(/-([a-z])/g, (_, c) => c.toUpperCase());
      const value = Number(argv[++i]);
      if (!Number.isFinite(value)) throw new Error(`${a} needs a number`);
      out[key] = value;
    }
  }
  return out;
}

const isEntry =
  !isClientProcess && process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntry) {
  const args = parseArgs(process.argv.slice(2));
  const result = await runRouterBench({ ...args, log: args.json ? undefined : (l) => console.error(l) });
  if (args.json) {
    console.log(JSON.stringify({ ...result, raw: undefined }, null, 2));
  } else {
    const f = (n) => n.toFixed(3);
    const c = result.config;
    console.log(
      `router bench: ${c.connections} connections / ${c.users} users, ${c.events} events per user per flood, ${c.rounds} paced rounds, ${c.repeats} repeats (medians), node ${result.machine.node}`,
    );
    const lat = (l) => `${f(l.p50)}/${f(l.p95)}/${f(l.p99)}`;
    for (const [mode, r] of [
      ['bare', result.bare],
      ['bare-ack', result.bareAck],
      ['router', result.router],
    ]) {
      console.log(
        `${mode.padEnd(8)} throughput ${Math.round(r.throughputPerSec).toLocaleString('en-US')} deliveries/s ` +
          `(range ${r.throughputRangePerSec.map((x) => Math.round(x).toLocaleString('en-US')).join('-')}; server per delivery: ${r.serverUsPerDelivery.toFixed(2)} us busy, ${r.serverCpuUsPerDelivery.toFixed(2)} us CPU)`,
      );
      console.log(
        `${''.padEnd(8)} latency p50/p95/p99 ms: steady ${lat(r.steadyLatencyMs)} | burst ${lat(r.burstLatencyMs)} | flood ${lat(r.floodLatencyMs)}`,
      );
    }
    console.log(
      `router/bare throughput: ${(result.throughputRatio * 100).toFixed(1)}% (goal >= 80%: ${result.goals.throughputAtLeast80PercentOfBare ? 'met' : 'NOT met'}); router/bare-ack: ${(result.throughputRatioVsBareAck * 100).toFixed(1)}%`,
    );
    console.log(
      `server CPU per delivery, bare/router: ${(result.cpuEfficiencyRatio * 100).toFixed(1)}% (the throughput ratio of a CPU-bound server)`,
    );
    console.log(
      `router steady p95: ${f(result.router.steadyLatencyMs.p95)} ms (goal < 5 ms: ${result.goals.routerSteadyP95Under5ms ? 'met' : 'NOT met'}); burst p95: ${f(result.router.burstLatencyMs.p95)} ms (${result.goals.routerBurstP95Under5ms ? 'under' : 'NOT under'} 5 ms)`,
    );
  }
}
