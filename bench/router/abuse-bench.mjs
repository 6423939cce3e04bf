#!/usr/bin/env node
// Router abuse benchmark: how much memory one abusive client can make a router server hold.
// Not a test: it measures and prints; the goal (issue #15) is printed next to each figure.
//
//   npx tsc -p tsconfig.build.json && node bench/router/abuse-bench.mjs [--scale 1] [--only a,b] [--json]
//     [--router-dist DIR]   (a built tree whose dist/src/router/index.js to measure; default: this repo)
//   npm run bench -- --suite router-abuse        (the same, through the bench harness)
//
// Layout: for every attack a fresh server (createRouterServer at DEFAULT settings, a few handlers)
// runs in a child process started with --expose-gc; this process is the one abusive client. Per
// attack:
//   before: server RSS after a warm-up client came and went, then a full GC;
//   peak:   the largest server RSS seen while attacking (VmRSS from /proc/<pid>/status every 10 ms);
//   after:  server RSS once the client disconnected and the server let go of its socket: the lowest
//           of full-GC readings every 2 s for up to 16 s (V8 shrinks a grown young generation only
//           after some seconds of quiet), stopping early within 1 MiB of `before`.
// The goal: peak - before < 64 MiB, and after back near before.

import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { WebSocket } from 'ws';

const SERVER_FLAG = '--router-abuse-server';
const MiB = 1024 * 1024;
const GOAL_PEAK_MIB = 64;
const ACK_TEXT = 'k'.repeat(1024);

// ---------------------------------------------------------------- server side (child process)

async function serverMain({ dist }) {
  const { createMessageRouter, createRouterServer } = await import(
    pathToFileURL(path.join(dist, 'dist/src/router/index.js')).href
  );
  const router = createMessageRouter();
  router.on('chat', () => {});
  // An ack of 1 KiB to the sending socket (older builds without reply(): to the user's sockets).
  router.on('echo', (ctx) => {
    const ack = { type: 'ack', text: ACK_TEXT };
    void (typeof ctx.scope.reply === 'function' ? ctx.scope.reply(ack) : ctx.scope.broadcast(ack)).catch(() => {});
  });
  router.on('slow', () => new Promise((resolve) => setTimeout(resolve, 50)));
  router.on('start', (ctx, m) =>
    ctx.scope
      .emit('agent_started', { runId: String(m.runId), agentName: 'bench', threadId: 't' })
      .then(() => undefined),
  );
  const server = await createRouterServer({
    router,
    authenticate: (req) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams;
      return q.get('token') === 'ok' && q.get('user') ? { userId: q.get('user') } : null;
    },
  });
  const report = () => ({
    kind: 'mem',
    ...process.memoryUsage(),
    sockets: server.binding.socketCount,
    router: router.stats(),
    adapter: typeof server.binding.stats === 'function' ? server.binding.stats() : undefined,
  });
  process.on('message', async (msg) => {
    if (msg.kind === 'mem') {
      if (msg.gc) {
        // Two collections with a turn between them: the first can leave finalizers for the second.
        globalThis.gc();
        await new Promise((r) => setTimeout(r, 50));
        globalThis.gc();
      }
      process.send(report());
    } else if (msg.kind === 'close') {
      await server.close();
      router.close();
      process.send({ kind: 'closed' });
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ kind: 'ready', url: server.url });
}

const isServerProcess = process.argv[2] === SERVER_FLAG && typeof process.send === 'function';
if (isServerProcess) {
  serverMain(JSON.parse(process.argv[3])).catch((err) => {
    process.send({ kind: 'error', message: String(err?.stack ?? err) });
  });
}

// ---------------------------------------------------------------- client side (this process)

const turn = () => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function vmRssKb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Samples the server's RSS every 10 ms until stopped; returns the largest value in bytes. */
function startSampler(pid) {
  let peakKb = vmRssKb(pid) ?? 0;
  const timer = setInterval(() => {
    const kb = vmRssKb(pid);
    if (kb !== undefined && kb > peakKb) peakKb = kb;
  }, 10);
  return {
    peek: () => peakKb * 1024,
    stop() {
      clearInterval(timer);
      const kb = vmRssKb(pid);
      if (kb !== undefined && kb > peakKb) peakKb = kb;
      return peakKb * 1024;
    },
  };
}

async function startServer(dist) {
  const child = fork(fileURLToPath(import.meta.url), [SERVER_FLAG, JSON.stringify({ dist })], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map();
  child.on('message', (msg) => {
    if (msg.kind === 'error') throw new Error(`server: ${msg.message}`);
    const w = waiting.get(msg.kind);
    if (w) {
      waiting.delete(msg.kind);
      w(msg);
    }
  });
  const next = (kind) => new Promise((resolve) => waiting.set(kind, resolve));
  const ready = await next('ready');
  return {
    child,
    url: ready.url,
    async mem(gc = false) {
      const p = next('mem');
      child.send({ kind: 'mem', gc });
      return p;
    },
    async close() {
      const p = next('closed');
      child.send({ kind: 'close' });
      await p;
      child.disconnect();
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    },
  };
}

let clientSeq = 0;
function openClient(url, { token = 'ok', user = 'mallory', paused = false } = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}/?token=${token}&user=${user}&n=${clientSeq++}`, { perMessageDeflate: false });
    const info = { ws, closeCode: undefined, closed: new Promise((r) => ws.once('close', r)) };
    ws.on('close', (code) => (info.closeCode = code));
    ws.on('error', () => {});
    ws.on('message', () => {});
    ws.once('open', () => {
      if (paused) ws._socket.pause(); // stop reading: everything the server sends backs up
      resolve(info);
    });
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve({ ws, closeCode: undefined, status: res.statusCode });
    });
    ws.once('error', reject);
  });
}

/** How long one attack may send: a server that pushes back (TCP flow control) slows the client down. */
const ATTACK_MAX_MS = 20_000;

/**
 * Sends up to `count` frames made by `frame(i)` in batches, keeping at most 4 MiB in the client's
 * own buffer, for at most ATTACK_MAX_MS. A closed socket is replaced (the same client reconnects)
 * when `reconnect` is set. Returns the frames actually sent.
 */
async function floodFrames(url, { count, frame, paused, reconnect, ping = false, batch = 1000 }) {
  let client = await openClient(url, { paused });
  let connections = 1;
  const closes = {};
  const deadline = performance.now() + ATTACK_MAX_MS;
  let i = 0;
  while (i < count && performance.now() < deadline) {
    if (client.ws.readyState !== WebSocket.OPEN) {
      await Promise.race([client.closed, sleep(2000)]);
      closes[client.closeCode ?? 'unknown'] = (closes[client.closeCode ?? 'unknown'] ?? 0) + 1;
      if (!reconnect) break;
      client = await openClient(url, { paused });
      connections++;
    }
    for (let k = 0; k < batch && i < count && client.ws.readyState === WebSocket.OPEN; k++, i++) {
      if (ping) client.ws.ping();
      else client.ws.send(frame(i));
    }
    const highWater = batch === 1 ? 0 : 4 * MiB;
    while (
      client.ws.readyState === WebSocket.OPEN &&
      client.ws.bufferedAmount > highWater &&
      performance.now() < deadline
    )
      await sleep(1);
    await (batch === 1 ? sleep(20) : turn());
  }
  // Let the server read what is still in flight before the client goes.
  for (
    let waited = 0;
    waited < 2000 && client.ws.readyState === WebSocket.OPEN && client.ws.bufferedAmount > 0;
    waited += 5
  )
    await sleep(5);
  await sleep(500);
  if (!paused && client.ws.readyState !== WebSocket.OPEN) {
    await Promise.race([client.closed, sleep(2000)]);
    closes[client.closeCode ?? 'unknown'] = (closes[client.closeCode ?? 'unknown'] ?? 0) + 1;
  }
  client.ws.terminate();
  return { frames: i, connections, closes };
}

const ATTACKS = [
  {
    id: 'invalid-frames',
    what: '1-byte invalid frames from a client that does not read (the report: 55 -> 518 MB over 1 M frames)',
    run: (url, s) => floodFrames(url, { count: 1_000_000 * s, frame: () => 'x', paused: true }),
  },
  {
    id: 'invalid-frames-reconnecting',
    what: 'the same from a client that reads, and reconnects each time it is closed',
    run: (url, s) => floodFrames(url, { count: 1_000_000 * s, frame: () => 'x', paused: false, reconnect: true }),
  },
  {
    id: 'unknown-type',
    what: 'frames of an unknown type, not reading (the report: 57 -> 410 MB over 400 k frames)',
    run: (url, s) => floodFrames(url, { count: 400_000 * s, frame: () => '{"type":"unknown_type"}', paused: true }),
  },
  {
    id: 'spoofed-ids',
    what: 'messages claiming another user at a second identity position, not reading',
    run: (url, s) =>
      floodFrames(url, {
        count: 200_000 * s,
        frame: () => '{"type":"chat","userId":"mallory","payload":{"userId":"victim"}}',
        paused: true,
      }),
  },
  {
    id: 'oversize-frames',
    what: 'frames of 64 KiB + 1 byte (over maxFrameBytes, under ws maxPayload), not reading',
    run: (url, s) => {
      const big = 'o'.repeat(64 * 1024 + 1);
      return floodFrames(url, { count: Math.max(10, Math.round(3_000 * s)), frame: () => big, paused: true });
    },
  },
  {
    id: 'max-payload',
    what: 'frames of 2 MiB (over ws maxPayload: closed with 1009), reconnecting',
    run: (url, s) => {
      const huge = 'h'.repeat(2 * MiB);
      return floodFrames(url, {
        count: Math.max(5, Math.round(100 * s)),
        frame: () => huge,
        paused: false,
        reconnect: true,
        batch: 1,
      });
    },
  },
  {
    id: 'slow-reader-acks',
    what: 'valid messages each answered by a 1 KiB ack, from a client that does not read',
    run: (url, s) => floodFrames(url, { count: 400_000 * s, frame: () => '{"type":"echo"}', paused: true }),
  },
  {
    id: 'slow-handler-flood',
    what: 'valid messages to a 50 ms handler, far faster than it runs (inbound overflow), not reading',
    run: (url, s) => floodFrames(url, { count: 400_000 * s, frame: () => '{"type":"slow"}', paused: true }),
  },
  {
    id: 'slow-handler-big-frames',
    what: 'valid 60 KiB messages to the 50 ms handler (inbound byte bound), not reading',
    run: (url, s) => {
      const big = `{"type":"slow","pad":"${'b'.repeat(60 * 1024)}"}`;
      return floodFrames(url, {
        count: Math.max(10, Math.round(20_000 * s)),
        frame: () => big,
        paused: true,
        batch: 100,
      });
    },
  },
  {
    id: 'run-flood',
    what: 'one user starting 100 k agent runs that never complete',
    run: (url, s) =>
      floodFrames(url, { count: 100_000 * s, frame: (i) => `{"type":"start","runId":"r${i}"}`, paused: false }),
  },
  {
    id: 'ping-flood',
    what: 'ws pings from a client that does not read the pongs',
    run: (url, s) => floodFrames(url, { count: 1_000_000 * s, ping: true, paused: true }),
  },
  {
    id: 'churn',
    what: 'connect, send one message, disconnect (half abruptly), over and over',
    run: async (url, s) => {
      const count = Math.max(10, Math.round(5_000 * s));
      for (let i = 0; i < count; i++) {
        const c = await openClient(url);
        c.ws.send('{"type":"chat"}');
        if (i % 2) c.ws.terminate();
        else c.ws.close();
        if (i % 50 === 0) await turn();
      }
      await sleep(500);
      return { frames: count, connections: count, closes: {} };
    },
  },
  {
    id: 'unauthenticated',
    what: 'upgrades without a valid token (HTTP 401)',
    run: async (url, s) => {
      const count = Math.max(10, Math.round(5_000 * s));
      const statuses = {};
      for (let i = 0; i < count; i += 50) {
        const round = await Promise.all(
          Array.from({ length: Math.min(50, count - i) }, () => openClient(url, { token: 'forged' })),
        );
        for (const r of round) {
          statuses[r.status ?? 'opened'] = (statuses[r.status ?? 'opened'] ?? 0) + 1;
          r.ws.terminate();
        }
      }
      await sleep(500);
      return { frames: 0, connections: count, closes: statuses };
    },
  },
];

async function runAttack(attack, { dist, scale, log, maxQuietMs }) {
  const server = await startServer(dist);
  try {
    // Warm-up: one well-behaved client, so code paths are compiled before the baseline is taken.
    const warm = await openClient(server.url, { user: 'warmup' });
    for (let i = 0; i < 50; i++) warm.ws.send(i % 2 ? '{"type":"echo"}' : '{"type":"nope"}');
    await sleep(200);
    warm.ws.close();
    while ((await server.mem()).sockets > 0) await sleep(10);
    const before = await server.mem(true);
    const sampler = startSampler(server.child.pid);
    const started = performance.now();
    const result = await attack.run(server.url, scale);
    const attackMs = performance.now() - started;
    // The client is gone; wait until the server let go of every socket (bounded: ws's close timeout is 30 s).
    for (let waited = 0; waited < 35_000 && (await server.mem()).sockets > 0; waited += 20) await sleep(20);
    const settled = await server.mem();
    // V8 keeps a grown young generation until its memory reducer shrinks it after some seconds of
    // quiet, GC or not; so "after" is the lowest RSS over up to 16 s of quiet, with a full GC every 2 s.
    let after = await server.mem(true);
    let quietMs = 0;
    while (after.rss > before.rss + MiB && quietMs < maxQuietMs) {
      await sleep(2000);
      quietMs += 2000;
      const m = await server.mem(true);
      if (m.rss < after.rss) after = m;
    }
    const peak = sampler.stop();
    const row = {
      attack: attack.id,
      what: attack.what,
      ...result,
      attackMs,
      rssBefore: before.rss,
      rssPeak: Math.max(peak, before.rss),
      rssAfter: after.rss,
      afterQuietMs: quietMs,
      heapUsedBefore: before.heapUsed,
      heapUsedAfter: after.heapUsed,
      heapTotalBefore: before.heapTotal,
      heapTotalAfter: after.heapTotal,
      externalAfter: after.external,
      socketsLeft: settled.sockets,
      // Counted during the attack only (the warm-up client's are subtracted).
      router: diffStats(pickStats(after.router), pickStats(before.router)),
      adapter: diffStats(after.adapter, before.adapter),
    };
    log(
      `${attack.id}: RSS ${mib(row.rssBefore)} -> peak ${mib(row.rssPeak)} (+${mib(row.rssPeak - row.rssBefore)})` +
        ` -> after ${mib(row.rssAfter)} MiB; ${result.frames} frames, ${result.connections} connection(s),` +
        ` ${attackMs.toFixed(0)} ms`,
    );
    return row;
  } finally {
    await server.close();
  }
}

function pickStats(s) {
  if (!s) return undefined;
  const keys = [
    'messagesRouted',
    'messagesRejected',
    'handlerErrors',
    'eventsDelivered',
    'isolationRejections',
    'runLimitRefusals',
    'slowConsumerDrops',
    'connections',
  ];
  return Object.fromEntries(keys.filter((k) => k in s).map((k) => [k, s[k]]));
}

function diffStats(after, before) {
  if (!after) return undefined;
  return Object.fromEntries(
    Object.entries(after).map(([k, v]) => [k, k === 'connections' || k === 'sockets' ? v : v - (before?.[k] ?? 0)]),
  );
}

const mib = (bytes) => (bytes / MiB).toFixed(1);
const signed = (bytes) => `${bytes >= 0 ? '+' : ''}${mib(bytes)}`;

/** The server's own counts (a client that does not read never sees its close frame). */
function serverActions(r) {
  const parts = [];
  const a = r.adapter ?? {};
  const s = r.router ?? {};
  if (a.errorFrames) parts.push(`${a.errorFrames.toLocaleString('en-US')} error frames`);
  if (a.errorBudgetCloses) parts.push(`${a.errorBudgetCloses} closed 1008`);
  if (s.slowConsumerDrops) parts.push(`${s.slowConsumerDrops} closed 1013`);
  if (a.inboundDropped) parts.push(`${a.inboundDropped.toLocaleString('en-US')} dropped`);
  if (s.runLimitRefusals) parts.push(`${s.runLimitRefusals.toLocaleString('en-US')} runs refused`);
  for (const [code, n] of Object.entries(r.closes))
    if (code !== '1008' && code !== '1013') parts.push(`client saw ${code} x${n}`);
  return parts.join(', ') || '-';
}

/**
 * Runs the attacks and returns one row per attack. Requires a built router (dist/).
 * @param {import('./abuse-bench.d.mts').AbuseBenchOptions} [options]
 */
export async function runRouterAbuseBench(options = {}) {
  const scale = options.scale ?? 1;
  const maxQuietMs = options.maxQuietMs ?? 16_000;
  const dist = path.resolve(options.dist ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..'));
  const log = options.log ?? (() => {});
  if (!fs.existsSync(path.join(dist, 'dist/src/router/index.js')))
    throw new Error(`${dist}/dist/src/router/index.js is missing: build first (npx tsc -p tsconfig.build.json)`);
  const unknown = (options.only ?? []).filter((id) => !ATTACKS.some((a) => a.id === id));
  if (unknown.length)
    throw new Error(`unknown attack(s) ${unknown.join(', ')}; known: ${ATTACKS.map((a) => a.id).join(', ')}`);
  const attacks = options.only?.length ? ATTACKS.filter((a) => options.only.includes(a.id)) : ATTACKS;
  const rows = [];
  for (const attack of attacks) rows.push(await runAttack(attack, { dist, scale, log, maxQuietMs }));
  return {
    config: { scale, dist, goalPeakMiB: GOAL_PEAK_MIB },
    machine: { node: process.version, platform: `${process.platform}-${process.arch}` },
    rows,
    goalMet: rows.every((r) => r.rssPeak - r.rssBefore < GOAL_PEAK_MIB * MiB),
  };
}

export const ABUSE_ATTACKS = ATTACKS.map((a) => ({ id: a.id, what: a.what }));

/** The result as a Markdown table (what docs/benchmarks-router.md holds). */
export function formatAbuseTable(result) {
  const lines = [
    '| attack | frames / connections | what the server did | RSS before | peak (above before) ' +
      '| after (above before; s of quiet) | heap used before -> after |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const r of result.rows) {
    lines.push(
      [
        '',
        r.attack,
        `${r.frames.toLocaleString('en-US')} / ${r.connections.toLocaleString('en-US')}`,
        serverActions(r),
        `${mib(r.rssBefore)} MiB`,
        `${mib(r.rssPeak)} MiB (+${mib(r.rssPeak - r.rssBefore)})`,
        `${mib(r.rssAfter)} MiB (${signed(r.rssAfter - r.rssBefore)}; ${r.afterQuietMs / 1000} s)`,
        `${mib(r.heapUsedBefore)} -> ${mib(r.heapUsedAfter)} MiB`,
        '',
      ]
        .join(' | ')
        .trim(),
    );
  }
  return lines.join('\n');
}

/**
 * Replaces the measured section of `file` (between <!-- bench:router-abuse:start --> and
 * <!-- bench:router-abuse:end -->, appended when missing) with `result` and the command that made it.
 */
export function writeAbuseDocs(file, result, command) {
  const cpus = os.cpus();
  const worst = result.rows.reduce(
    (w, r) => (r.rssPeak - r.rssBefore > w.rssPeak - w.rssBefore ? r : w),
    result.rows[0],
  );
  const section = [
    '<!-- bench:router-abuse:start -->',
    `Measured ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC with:`,
    '',
    '```sh',
    command.trim(),
    '```',
    '',
    `Machine: ${os.availableParallelism?.() ?? cpus.length} cores (${cpus[0]?.model?.trim() ?? 'unknown'}), ` +
      `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}; 1-min load average ` +
      `${os.loadavg()[0].toFixed(2)} at the end (shared machine). Scale ${result.config.scale}.`,
    '',
    formatAbuseTable(result),
    '',
    `Largest peak above baseline: ${mib(worst.rssPeak - worst.rssBefore)} MiB (${worst.attack}); ` +
      `goal < ${GOAL_PEAK_MIB} MiB: **${result.goalMet ? 'met' : 'NOT met'}**.`,
    '<!-- bench:router-abuse:end -->',
  ].join('\n');
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const re = /<!-- bench:router-abuse:start -->[\s\S]*?<!-- bench:router-abuse:end -->/;
  text = re.test(text) ? text.replace(re, () => section) : `${text.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(file, text);
}

function parseArgs(argv) {
  const out = { only: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') out.json = true;
    else if (a === '--scale') out.scale = Number(argv[++i]);
    else if (a === '--only')
      out.only = String(argv[++i] ?? '')
        .split(',')
        .filter(Boolean);
    else if (a === '--router-dist') out.dist = argv[++i];
    else throw new Error(`unknown flag ${a}`);
  }
  if (out.scale !== undefined && !(out.scale > 0)) throw new Error('--scale needs a positive number');
  return out;
}

const isEntry =
  !isServerProcess && process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntry) {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`abuse-bench: ${e.message}\n`);
    process.exit(2);
  }
  const result = await runRouterAbuseBench({ ...args, log: (l) => process.stderr.write(`${l}\n`) });
  if (args.json) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(
      'router abuse bench: one abusive client per attack against a fresh server at default settings; ' +
        `scale ${result.config.scale}; node ${result.machine.node}`,
    );
    console.log(formatAbuseTable(result));
    const worst = result.rows.reduce(
      (w, r) => (r.rssPeak - r.rssBefore > w.rssPeak - w.rssBefore ? r : w),
      result.rows[0],
    );
    console.log(
      `largest peak above baseline: ${mib(worst.rssPeak - worst.rssBefore)} MiB (${worst.attack}); ` +
        `goal < ${GOAL_PEAK_MIB} MiB: ${result.goalMet ? 'met' : 'NOT met'}`,
    );
  }
}
