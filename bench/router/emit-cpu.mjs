#!/usr/bin/env node
// CPU time of the router's send path without sockets: forUser(ctx).emit to 10 connections whose
// sendWithAck UTF-8 encodes the frame once per event (as the ws adapter does) and acks at once.
// Process CPU time (user + system) is much less sensitive to other load on the machine than wall
// time, so two builds can be compared on a busy machine.
//
//   npx tsc -p tsconfig.build.json && node bench/router/emit-cpu.mjs [--router-dist DIR] [--runs 20000]

import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const dist = path.resolve(flag('--router-dist', path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..')));
const runs = Number(flag('--runs', '20000'));
const { createMessageRouter } = await import(pathToFileURL(path.join(dist, 'dist/src/router/index.js')).href);

const router = createMessageRouter();
let lastText;
let lastBytes;
let sink = 0;
const encode = (text) => {
  if (text !== lastText) {
    lastBytes = Buffer.from(text, 'utf8');
    lastText = text;
  }
  return lastBytes;
};
for (let i = 0; i < 10; i++) {
  router.register({
    id: `c${i}`,
    userId: 'u',
    preservesOrder: true,
    send() {},
    sendWithAck(data, ack) {
      sink += encode(data).length;
      ack();
    },
  });
}
const scope = router.forUser('u');
const reasoning = 'x'.repeat(200);
let run = 0;
/** One run of 20 events: started, 18 x thinking (200 characters), completed. */
function oneRun() {
  const runId = `r${run++}`;
  scope.emit('agent_started', { runId, agentName: 'bench', threadId: 't' });
  for (let i = 0; i < 18; i++) scope.emit('agent_thinking', { runId, reasoning });
  scope.emit('agent_completed', { runId, status: 'success', finalResponse: reasoning });
}
for (let i = 0; i < 2000; i++) oneRun(); // warm-up
const cpu0 = process.cpuUsage();
for (let i = 0; i < runs; i++) oneRun();
const cpu = process.cpuUsage(cpu0);
const events = runs * 20;
console.log(
  `${dist}: ${((cpu.user + cpu.system) / events).toFixed(3)} us CPU per event to 10 connections ` +
    `(${events} events, ${sink} bytes encoded)`,
);
