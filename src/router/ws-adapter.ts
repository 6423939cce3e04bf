// Adapter between the `ws` package and the canonical router: authenticates upgrades, turns each
// socket into a router Connection, parses and routes frames, answers bad frames with an error
// frame (never a crash), and unregisters sockets when they close.
//
// Memory per socket is bounded whatever the client sends: every frame the server sends (events,
// replies, error frames) goes through the router's bounded queue for that connection, at most
// `maxInboundPending` messages and `maxInboundPendingBytes` of text wait for their handlers, and
// a client that keeps sending refused frames exhausts its error budget and is closed (1008).

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { CanonicalMessageRouter } from './router.js';
import type { Connection, UserContext } from './types.js';

export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
export const DEFAULT_MAX_INBOUND_PENDING = 256;
export const DEFAULT_MAX_INBOUND_PENDING_BYTES = 1024 * 1024;
export const DEFAULT_MAX_INBOUND_ERRORS = 32;
export const DEFAULT_INBOUND_ERROR_WINDOW_MS = 10_000;
/** Close code for sockets that got past the upgrade without an identity (attach to a non-noServer wss). */
export const UNAUTHENTICATED_CLOSE_CODE = 1008;
/** Close code for a client that went over its error budget: 1008 "Policy Violation". */
export const TOO_MANY_ERRORS_CLOSE_CODE = 1008;
/** Longest `type` / `requestId` an error frame echoes; longer ones are left out, so error frames stay small. */
export const MAX_ECHO_CHARS = 128;

export type Authenticate = (
  request: IncomingMessage,
) => UserContext | null | undefined | Promise<UserContext | null | undefined>;

export interface WebSocketAdapterOptions {
  /** Yields the identity of an upgrade request, or null/undefined (or a throw) to refuse it with 401. */
  readonly authenticate: Authenticate;
  /** Text frames larger than this get an error frame instead of being routed (default 64 KiB). */
  readonly maxFrameBytes?: number;
  /** Messages per socket waiting for their handlers before new ones are dropped (default 256). */
  readonly maxInboundPending?: number;
  /**
   * UTF-8 bytes of the messages per socket waiting for their handlers before new ones are dropped
   * (default 1 MiB; a message is always accepted when none is waiting).
   */
  readonly maxInboundPendingBytes?: number;
  /**
   * Error frames a socket may earn per `inboundErrorWindowMs` (default 32): the budget refills
   * evenly over the window, and a refused frame with no budget left closes the socket with 1008.
   * Handler failures are the server's fault and do not count.
   */
  readonly maxInboundErrors?: number;
  /** The window of `maxInboundErrors`, in milliseconds (default 10,000). */
  readonly inboundErrorWindowMs?: number;
  /** Monotonic clock in milliseconds for the error budget (default performance.now); for tests. */
  readonly now?: () => number;
}

/** What the adapter refused or dropped, over all its sockets since it was attached. */
export interface WebSocketAdapterStats {
  /** Sockets currently bound. */
  readonly sockets: number;
  /** Error frames handed to sockets' queues. */
  readonly errorFrames: number;
  /**
   * Messages dropped because `maxInboundPending` (or `maxInboundPendingBytes`) were already
   * waiting; one INBOUND_OVERFLOW answers each run of drops.
   */
  readonly inboundDropped: number;
  /** Sockets closed with 1008 because they went over their error budget. */
  readonly errorBudgetCloses: number;
}

/** The frame a client receives when its frame was refused. */
export interface ErrorFrame {
  readonly type: 'error';
  readonly code: string;
  readonly message: string;
  readonly timestamp: number;
  /** The `type` of the refused message, when it could be read (and is at most MAX_ECHO_CHARS long). */
  readonly inReplyTo?: string;
  /** Echo of the refused message's `requestId`, when it had one (of at most MAX_ECHO_CHARS). */
  readonly requestId?: string;
}

export interface WebSocketRouterBinding {
  /** Call from an http server's 'upgrade' event: authenticates, then upgrades or answers 401. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
  /** Wires an already-authenticated socket to the router. Returns its connection id. */
  bindSocket(ws: WebSocket, ctx: UserContext): string;
  /** Number of sockets currently bound. */
  readonly socketCount: number;
  /** Counters of what the adapter refused or dropped (router-level counts are in router.stats()). */
  stats(): WebSocketAdapterStats;
  /** Stops listening and closes every bound socket (1001). */
  close(): void;
}

/** ws options for a Buffer that must go out as a text frame (ws would send a Buffer as binary). */
const TEXT_FRAME = Object.freeze({ binary: false });

function byteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function toText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('utf8');
}

function isUserContext(value: unknown): value is UserContext {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as UserContext).userId === 'string' &&
    (value as UserContext).userId.length > 0
  );
}

const echoable = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_ECHO_CHARS;

/** Error messages may quote what the client sent (a type, a claimed id); keep the frame small. */
const MAX_ERROR_MESSAGE_CHARS = 512;
const clip = (message: string): string =>
  message.length <= MAX_ERROR_MESSAGE_CHARS ? message : `${message.slice(0, MAX_ERROR_MESSAGE_CHARS - 1)}…`;

/** Best-effort peek at a refused frame so the error frame can name what it answers. */
function peek(text: string): { inReplyTo?: string; requestId?: string } {
  try {
    const v: unknown = JSON.parse(text);
    if (v === null || typeof v !== 'object') return {};
    const o = v as { type?: unknown; requestId?: unknown };
    return {
      ...(echoable(o.type) ? { inReplyTo: o.type } : {}),
      ...(echoable(o.requestId) ? { requestId: o.requestId } : {}),
    };
  } catch {
    return {};
  }
}

/**
 * A token bucket: `capacity` tokens, refilled evenly over `windowMs`. `take()` spends one if there is
 * one. Kept per socket, so one client's errors never cost another client anything.
 */
class ErrorBudget {
  readonly #capacity: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  #tokens: number;
  #at: number;

  constructor(capacity: number, windowMs: number, now: () => number) {
    this.#capacity = capacity;
    this.#windowMs = windowMs;
    this.#now = now;
    this.#tokens = capacity;
    this.#at = now();
  }

  take(): boolean {
    const t = this.#now();
    if (this.#windowMs > 0) {
      this.#tokens = Math.min(this.#capacity, this.#tokens + ((t - this.#at) * this.#capacity) / this.#windowMs);
    }
    this.#at = t;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/**
 * Attaches `router` to `wss`. For upgrade-time rejection create the server with `noServer: true`
 * and call `binding.handleUpgrade` from the http server's 'upgrade' event (createRouterServer
 * does this). Sockets that reach `wss` some other way are authenticated on 'connection' and closed
 * with 1008 if `authenticate` refuses them.
 */
export function attachRouter(
  wss: WebSocketServer,
  router: CanonicalMessageRouter,
  options: WebSocketAdapterOptions,
): WebSocketRouterBinding {
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const maxInboundPending = options.maxInboundPending ?? DEFAULT_MAX_INBOUND_PENDING;
  const maxInboundBytes = options.maxInboundPendingBytes ?? DEFAULT_MAX_INBOUND_PENDING_BYTES;
  const maxInboundErrors = options.maxInboundErrors ?? DEFAULT_MAX_INBOUND_ERRORS;
  const errorWindowMs = options.inboundErrorWindowMs ?? DEFAULT_INBOUND_ERROR_WINDOW_MS;
  const now = options.now ?? (() => performance.now());
  const counters = { errorFrames: 0, inboundDropped: 0, errorBudgetCloses: 0 };
  const bound = new Map<WebSocket, string>();
  const byId = new Map<string, WebSocket>();
  /** Sockets this binding already dealt with, so the 'connection' listener never binds twice. */
  const handled = new WeakSet<WebSocket>();
  let closed = false;
  // Encode once per event, not once per socket: the router hands every connection of an event the
  // same string in one synchronous pass, so remembering the last string and its UTF-8 bytes spares
  // ws a byteLength scan and an encode per socket. Server frames are not masked, so ws never
  // writes into the buffer and all sockets can share it.
  let lastText: string | undefined;
  let lastBytes: Buffer = Buffer.alloc(0);
  const encode = (text: string): Buffer => {
    if (text !== lastText) {
      lastBytes = Buffer.from(text, 'utf8');
      lastText = text;
    }
    return lastBytes;
  };

  async function authenticate(request: IncomingMessage): Promise<UserContext | undefined> {
    try {
      const ctx = await options.authenticate(request);
      return isUserContext(ctx) ? ctx : undefined;
    } catch {
      return undefined; // an authenticator that throws refuses the request
    }
  }

  function bindSocket(ws: WebSocket, ctx: UserContext): string {
    handled.add(ws);
    const id = ctx.connectionId ?? randomUUID();
    const context: UserContext = { ...ctx, connectionId: id };
    const connection: Connection = {
      id,
      userId: context.userId,
      ...(context.threadId !== undefined ? { threadId: context.threadId } : {}),
      preservesOrder: true, // ws writes frames, and calls their write callbacks, in send() order
      isOpen: () => ws.readyState === WebSocket.OPEN,
      send: (data) => {
        if (ws.readyState !== WebSocket.OPEN) throw new Error(`socket ${id} is not open`);
        // Resolve once ws wrote the frame, so a delivery is counted only when it was written.
        return new Promise<void>((resolve, reject) => {
          ws.send(data, (err) => (err ? reject(err) : resolve()));
        });
      },
      // The router's hot path: ws's write callback is the ack (an error if the write failed; Node
      // also calls it with an error for writes still pending when the socket is destroyed).
      sendWithAck: (data, ack) => {
        if (ws.readyState !== WebSocket.OPEN) throw new Error(`socket ${id} is not open`);
        ws.send(encode(data), TEXT_FRAME, ack);
      },
      close: (code, reason) => ws.close(code, reason),
    };
    let unregister: () => void;
    try {
      unregister = router.register(connection);
    } catch (error) {
      // e.g. authenticate handed out a connectionId another user holds (IsolationError, counted),
      // or the router is closed. Refuse this socket; never crash the server.
      ws.close(UNAUTHENTICATED_CLOSE_CODE, 'connection rejected');
      return id;
    }
    // Same user, same connectionId: the router replaced the old registration, so the old socket
    // would stay open but never receive anything. Close it instead of leaving it dangling.
    const previous = byId.get(id);
    if (previous && previous !== ws) previous.close(1000, 'replaced by a newer connection');
    byId.set(id, ws);
    bound.set(ws, id);

    const scope = router.forUser(context);
    const budget = new ErrorBudget(maxInboundErrors, errorWindowMs, now);
    let leaving = false;
    /** Still this binding's open socket for `id`: otherwise nothing more is routed or answered. */
    const live = (): boolean => !leaving && ws.readyState === WebSocket.OPEN && byId.get(id) === ws;

    /**
     * Answers a refused frame. The error frame goes through the connection's bounded queue like any
     * event (a client that does not read them is closed with 1013 by the router); a client over its
     * error budget is closed with 1008 instead of being answered.
     */
    const refuse = (code: string, message: string, echo: { inReplyTo?: string; requestId?: string } = {}): void => {
      if (!live()) return;
      const serversFault = code === 'HANDLER_FAILED' || code === 'INTERNAL';
      if (!serversFault && !budget.take()) {
        leaving = true;
        counters.errorBudgetCloses++;
        unregister();
        ws.close(TOO_MANY_ERRORS_CLOSE_CODE, 'too many refused messages');
        return;
      }
      counters.errorFrames++;
      scope.reply({ type: 'error', code, message: clip(message), ...echo }).catch(() => {
        // Only an unserializable frame could reject, and these are plain strings.
      });
    };

    // Messages of one socket are handled one after another, in arrival order, and so are the
    // error frames answering them: a client can match replies to what it sent by position.
    let chain: Promise<void> = Promise.resolve();
    let inboundPending = 0;
    /** UTF-8 bytes of the text messages waiting (refusals hold no message text). */
    let inboundBytes = 0;
    /**
     * Set by the first dropped message of a run of drops, cleared once the backlog is worked off.
     * Meanwhile the socket is paused: what the client sends next waits in the kernel (TCP flow
     * control holds the client back) instead of being read only to be dropped.
     */
    let overflowing = false;
    const enqueue = (bytes: number, work: () => Promise<void> | void): void => {
      inboundPending++;
      inboundBytes += bytes;
      chain = chain.then(work).finally(() => {
        inboundBytes -= bytes;
        if (--inboundPending === 0 && overflowing) {
          overflowing = false;
          ws.resume(); // also when closing: the peer's close frame must be read
        }
      });
    };
    ws.on('message', (data, isBinary) => {
      if (!live()) return; // closing: what the peer still sends is read and discarded
      const size = byteLength(data);
      const held = isBinary || size > maxFrameBytes ? 0 : size;
      if (inboundPending >= maxInboundPending || (inboundPending > 0 && inboundBytes + held > maxInboundBytes)) {
        // Dropped, not queued, and answered once per run of drops, not once per message: one
        // error frame per dropped message would grow the outbound side instead.
        counters.inboundDropped++;
        if (!overflowing) {
          overflowing = true;
          ws.pause(); // frames ws already read from the socket still arrive, and are dropped
          const waiting = `${inboundPending} messages (${inboundBytes} bytes) are waiting`;
          refuse('INBOUND_OVERFLOW', `${waiting}; messages are dropped until they are handled`);
        }
        return;
      }
      if (isBinary) {
        enqueue(0, () => refuse('UNSUPPORTED_FRAME', 'binary frames are not accepted; send JSON text'));
        return;
      }
      if (size > maxFrameBytes) {
        enqueue(0, () => refuse('FRAME_TOO_LARGE', `frame of ${size} bytes exceeds the ${maxFrameBytes}-byte limit`));
        return;
      }
      const text = toText(data);
      enqueue(size, () => {
        if (!live()) return undefined;
        return router.route(context, text).then(
          (result) => {
            if (result.ok || !result.error) return;
            // Handler failures are the server's problem; do not leak their messages to clients.
            const message = result.error.code === 'HANDLER_FAILED' ? 'a handler failed' : result.error.message;
            refuse(result.error.code, message, peek(text));
          },
          () => refuse('INTERNAL', 'the message could not be routed', peek(text)),
        );
      });
    });
    ws.on('error', () => {
      // 'close' always follows; unregistering happens there.
    });
    ws.once('close', () => {
      bound.delete(ws);
      if (byId.get(id) === ws) byId.delete(id);
      unregister(); // no-op if a newer socket took over this id
    });
    return id;
  }

  const onConnection = (ws: WebSocket, request: IncomingMessage): void => {
    if (handled.has(ws)) return; // already bound (or refused) by handleUpgrade
    handled.add(ws);
    // Hold frames until we know who this is, so nothing arrives before the handlers are attached.
    ws.pause();
    void authenticate(request).then((ctx) => {
      if (ctx && !closed && ws.readyState === WebSocket.OPEN) bindSocket(ws, ctx);
      else if (ws.readyState === WebSocket.OPEN) ws.close(UNAUTHENTICATED_CLOSE_CODE, 'unauthenticated');
      // Resume in both cases: a refused socket must read the peer's close frame to finish the
      // closing handshake (frames it sent meanwhile have no listener and are dropped).
      ws.resume();
    });
  };
  wss.on('connection', onConnection);

  return {
    async handleUpgrade(request, socket, head) {
      socket.on('error', () => socket.destroy());
      const ctx = closed ? undefined : await authenticate(request);
      if (socket.destroyed) return;
      if (!ctx) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        socket.destroy();
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => {
        bindSocket(ws, ctx);
        wss.emit('connection', ws, request);
      });
    },
    bindSocket,
    get socketCount() {
      return bound.size;
    },
    stats() {
      return { sockets: bound.size, ...counters };
    },
    close() {
      closed = true;
      wss.off('connection', onConnection);
      for (const ws of [...bound.keys()]) ws.close(1001, 'server shutting down');
    },
  };
}

export interface RouterServerOptions extends WebSocketAdapterOptions {
  readonly router: CanonicalMessageRouter;
  /** Defaults to 127.0.0.1: listen on loopback unless told otherwise. */
  readonly host?: string;
  /** Defaults to 0 (an ephemeral port). */
  readonly port?: number;
}

export interface RouterServer {
  readonly url: string;
  readonly port: number;
  readonly httpServer: Server;
  readonly wss: WebSocketServer;
  readonly binding: WebSocketRouterBinding;
  /** Closes every socket and the listening server; resolves once the port is released. */
  close(): Promise<void>;
}

/**
 * Creates an http server + WebSocketServer wired to `router`, listening on host:port. ws's own
 * `maxPayload` is set to 16x `maxFrameBytes` (min 1 MiB) as a memory guard: frames between the
 * two limits get an error frame; only absurd frames make ws close the socket (1009).
 */
export async function createRouterServer(options: RouterServerOptions): Promise<RouterServer> {
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const httpServer = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket upgrade required\n');
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: Math.max(1024 * 1024, maxFrameBytes * 16) });
  const binding = attachRouter(wss, options.router, options);
  httpServer.on('upgrade', (req, socket, head) => {
    void binding.handleUpgrade(req, socket, head);
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `ws://${host}:${address.port}`,
    port: address.port,
    httpServer,
    wss,
    binding,
    async close() {
      binding.close();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
