// Real-socket helpers: a router server on 127.0.0.1:0 and ws clients that record what they got.
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import {
  createRouterServer,
  type CanonicalMessageRouter,
  type RouterServer,
  type UserContext,
} from '../../src/router/index.js';

export type Frame = { type: string; timestamp: number; payload?: Record<string, unknown>; code?: string } & Record<
  string,
  unknown
>;

export interface TestClient {
  readonly ws: WebSocket;
  readonly frames: Frame[];
  /** The raw text of every frame, in arrival order, and whether ws flagged it binary. */
  readonly raw: Array<{ text: string; binary: boolean }>;
  readonly userId: string;
  readonly connectionId: string;
  /** Resolves once `predicate(frames)` holds; rejects after `timeoutMs` or if the socket closes first. */
  waitFor(predicate: (frames: Frame[]) => boolean, timeoutMs?: number): Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  send(value: unknown): void;
}

/** Tokens look like `tok:<userId>`; anything else is refused. Threads and connection ids come from the query. */
export function testAuthenticate(request: IncomingMessage): UserContext | null {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer tok:([\w-]+)$/.exec(header);
  if (!match?.[1]) return null;
  const url = new URL(request.url ?? '/', 'http://localhost');
  const threadId = url.searchParams.get('thread');
  const connectionId = url.searchParams.get('cid');
  return { userId: match[1], ...(threadId ? { threadId } : {}), ...(connectionId ? { connectionId } : {}) };
}

export async function startServer(
  router: CanonicalMessageRouter,
  extra: { maxFrameBytes?: number } = {},
): Promise<RouterServer> {
  return createRouterServer({ router, authenticate: testAuthenticate, host: '127.0.0.1', port: 0, ...extra });
}

export function connect(url: string, userId: string, connectionId: string, thread?: string): Promise<TestClient> {
  const query = new URLSearchParams({ cid: connectionId, ...(thread ? { thread } : {}) });
  const ws = new WebSocket(`${url}/?${query.toString()}`, { headers: { authorization: `Bearer tok:${userId}` } });
  const frames: Frame[] = [];
  const raw: Array<{ text: string; binary: boolean }> = [];
  const waiters = new Set<() => void>();
  let closeInfo: { code: number; reason: string } | undefined;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => {
      closeInfo = { code, reason: reason.toString() };
      resolve(closeInfo);
      for (const w of [...waiters]) w();
    });
  });
  ws.on('message', (data, isBinary) => {
    raw.push({ text: data.toString(), binary: isBinary });
    frames.push(JSON.parse(data.toString()) as Frame);
    for (const w of [...waiters]) w();
  });
  const client: TestClient = {
    ws,
    frames,
    raw,
    userId,
    connectionId,
    closed,
    send: (value) => ws.send(typeof value === 'string' ? value : JSON.stringify(value)),
    waitFor(predicate, timeoutMs = 10_000) {
      return new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (predicate(frames)) {
            done();
            resolve();
          } else if (closeInfo) {
            done();
            reject(
              new Error(
                `${connectionId} closed (${closeInfo.code}) before the condition held; got ${frames.length} frames`,
              ),
            );
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${connectionId}: condition not met within ${timeoutMs} ms; got ${frames.length} frames`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('error', reject);
  });
}

/** Polls a server-side condition each event-loop turn, bounded by a deadline. */
export async function until(condition: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
