// Per-connection delivery queue: keeps each connection's events in order and bounds how far a
// slow client may fall behind.
//
// Policy when a connection falls behind (documented in docs/router.md):
//   * "pending" = sends handed to the connection that have not settled + events waiting to start,
//     counted in frames and in UTF-8 bytes.
//   * When an event would make pending exceed `maxPending` frames, or `maxPendingBytes` bytes
//     while anything is pending (a single frame larger than that still goes out alone), the
//     connection is declared a slow consumer: it is closed with code 1013 ("try again later"),
//     removed from the router, and
//     every event still waiting for it is reported as not delivered.
//   * Events are never dropped from the middle of a stream. A client therefore always sees a
//     gap-free prefix of its events and then a close, which it can detect and recover from
//     (reconnect and resync), instead of silently missing, say, a tool_completed.
//   * A send that throws or rejects ends the connection for the same reason: continuing after a
//     lost event would hand the client a stream with a hole in it.
//
// The queue reports outcomes through a callback rather than a promise per send: delivering one
// event to a thousand sockets should not allocate a thousand promises.

import type { Connection } from './types.js';

export type SendOutcome = 'delivered' | 'failed' | 'overflow';
export type FatalReason = 'failed' | 'overflow';
/** Receives the outcome of a send that did not settle synchronously. */
export type OutcomeCallback = (outcome: SendOutcome) => void;

interface Waiting {
  readonly data: string;
  readonly bytes: number;
  readonly done: OutcomeCallback;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

export class DeliveryQueue {
  readonly #conn: Connection;
  readonly #maxPending: number;
  readonly #maxPendingBytes: number;
  readonly #onFatal: (reason: FatalReason, error?: unknown) => void;
  /** Serial mode waits for each send to settle before starting the next one. */
  readonly #serial: boolean;
  #inFlight = 0;
  /** UTF-8 bytes of the frames in flight or waiting. */
  #pendingBytes = 0;
  #waiting: Waiting[] = [];
  #dead = false;
  /**
   * sendWithAck path: a ring buffer of the outcome callbacks of in-flight sends. Send number `s`
   * lives at `s & #mask`; #acked..#sent-1 are pending. A ring (not push/shift on an array that
   * drains to empty after nearly every event) keeps the hot path free of allocations.
   */
  #ring = new Array<OutcomeCallback | undefined>(8);
  /** Byte size of the send in the same slot of #ring. */
  #ringBytes = new Array<number>(8).fill(0);
  #mask = 7;
  #sent = 0;
  #acked = 0;
  /** Number of the send currently inside sendWithAck, to recognise a synchronous ack. */
  #inCallSeq = -1;
  #syncOutcome: SendOutcome | undefined;

  /**
   * @param onFatal called once when the connection must be dropped (failed send or overflow).
   * @param maxPendingBytes bound on the UTF-8 bytes pending (default: no byte bound).
   */
  constructor(
    conn: Connection,
    maxPending: number,
    onFatal: (reason: FatalReason, error?: unknown) => void,
    maxPendingBytes = Infinity,
  ) {
    this.#conn = conn;
    this.#maxPending = Math.max(1, maxPending);
    this.#maxPendingBytes = Math.max(1, maxPendingBytes);
    this.#onFatal = onFatal;
    // Transports that keep call order on the wire (ws, net) can have several sends in flight;
    // for any other send we cannot know, so we serialize to guarantee per-connection order.
    this.#serial = conn.preservesOrder !== true;
  }

  get pending(): number {
    return this.#inFlight + this.#waiting.length;
  }

  /** UTF-8 bytes of the frames counted in `pending`. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  get dead(): boolean {
    return this.#dead;
  }

  /**
   * Queues `data` (`bytes`: its UTF-8 size, when the caller already knows it). Returns the outcome
   * when it is known synchronously (sync sends, overflow, dead connection); otherwise returns
   * undefined and calls `done` exactly once later.
   */
  enqueue(data: string, done: OutcomeCallback, bytes = Buffer.byteLength(data, 'utf8')): SendOutcome | undefined {
    if (this.#dead) return 'failed';
    const pending = this.pending;
    if (pending >= this.#maxPending || (pending > 0 && this.#pendingBytes + bytes > this.#maxPendingBytes)) {
      this.#kill('overflow');
      return 'overflow';
    }
    this.#pendingBytes += bytes;
    if (!this.#serial || pending === 0) return this.#start(data, bytes, done);
    this.#waiting.push({ data, bytes, done });
    return undefined;
  }

  #start(data: string, bytes: number, done: OutcomeCallback): SendOutcome | undefined {
    const conn = this.#conn;
    if (typeof conn.sendWithAck === 'function') return this.#startWithAck(conn, data, bytes, done);
    let result: unknown;
    try {
      result = conn.send(data);
    } catch (error) {
      this.#pendingBytes -= bytes;
      this.#kill('failed', error);
      return 'failed';
    }
    if (!isThenable(result)) {
      this.#pendingBytes -= bytes;
      return 'delivered';
    }
    this.#inFlight++;
    result.then(
      () => {
        this.#inFlight--;
        this.#pendingBytes -= bytes;
        done('delivered');
        this.#pump();
      },
      (error: unknown) => {
        this.#inFlight--;
        this.#pendingBytes -= bytes;
        this.#kill('failed', error);
        done('failed');
      },
    );
    return undefined;
  }

  #startWithAck(conn: Connection, data: string, bytes: number, done: OutcomeCallback): SendOutcome | undefined {
    const seq = this.#sent;
    if (seq - this.#acked === this.#ring.length) this.#grow();
    this.#ring[seq & this.#mask] = done;
    this.#ringBytes[seq & this.#mask] = bytes;
    this.#sent = seq + 1;
    this.#inFlight++;
    this.#inCallSeq = seq;
    this.#syncOutcome = undefined;
    try {
      // One ack function per connection (not a closure per send): cheaper, and a transport that
      // batches callbacks (Node merges after-write ticks for an identical callback) can do so.
      conn.sendWithAck!(data, this.#onAck);
    } catch (error) {
      const unacked = this.#inCallSeq === seq;
      this.#inCallSeq = -1;
      if (!unacked) return this.#syncOutcome ?? 'failed';
      // The send never happened: forget it and fail the connection.
      this.#ring[seq & this.#mask] = undefined;
      if (this.#sent === seq + 1) this.#sent = seq;
      this.#inFlight--;
      this.#pendingBytes -= bytes;
      this.#kill('failed', error);
      return 'failed';
    }
    this.#inCallSeq = -1;
    return this.#syncOutcome;
  }

  #grow(): void {
    const old = this.#ring;
    const oldMask = this.#mask;
    const oldBytes = this.#ringBytes;
    const ring = new Array<OutcomeCallback | undefined>(old.length * 2);
    const ringBytes = new Array<number>(old.length * 2).fill(0);
    const mask = ring.length - 1;
    for (let s = this.#acked; s < this.#sent; s++) {
      ring[s & mask] = old[s & oldMask];
      ringBytes[s & mask] = oldBytes[s & oldMask]!;
    }
    this.#ring = ring;
    this.#ringBytes = ringBytes;
    this.#mask = mask;
  }

  /**
   * Acks arrive in send order (the contract of `sendWithAck` on an order-preserving transport; in
   * serial mode only one send is ever in flight), so each one settles the oldest pending send.
   * Extra acks (nothing pending) are ignored rather than counted.
   */
  readonly #onAck = (error?: Error | null): void => {
    const seq = this.#acked;
    if (seq >= this.#sent) return;
    this.#acked = seq + 1;
    const slot = seq & this.#mask;
    const done = this.#ring[slot];
    this.#ring[slot] = undefined;
    this.#pendingBytes -= this.#ringBytes[slot]!;
    const sync = seq === this.#inCallSeq;
    if (sync) this.#inCallSeq = -1;
    this.#inFlight--;
    const outcome: SendOutcome = error ? 'failed' : 'delivered';
    if (error) this.#kill('failed', error);
    if (sync) {
      this.#syncOutcome = outcome;
      return;
    }
    done?.(outcome); // undefined only for a send whose sendWithAck threw (already reported)
    if (!error) this.#pump();
  };

  /** Serial mode: start waiting sends once nothing is in flight. */
  #pump(): void {
    while (!this.#dead && this.#inFlight === 0) {
      const next = this.#waiting.shift();
      if (!next) return;
      const outcome = this.#start(next.data, next.bytes, next.done);
      if (outcome !== undefined) next.done(outcome);
    }
  }

  /**
   * The connection left the router (unregistered or replaced): fail whatever waits to start, without
   * reporting a fatal error (nothing went wrong with the transport). Sends already in flight still
   * report their real outcome.
   */
  abandon(): void {
    if (this.#dead) return;
    this.#dead = true;
    this.#failWaiting();
  }

  #failWaiting(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const w of waiting) {
      this.#pendingBytes -= w.bytes;
      w.done('failed');
    }
  }

  #kill(reason: FatalReason, error?: unknown): void {
    if (this.#dead) return;
    this.#dead = true;
    this.#failWaiting();
    this.#onFatal(reason, error);
  }
}
