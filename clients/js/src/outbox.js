// The ordered outbox: one queue of sends, one on the wire at a time, retried in order with the
// same clientId so that the server stores each exactly once and in the order it was queued.

import { ParleyError, RETRYABLE } from './errors.js';

/**
 * @typedef {object} OutboxItem
 * @property {string} clientId
 * @property {string} thread
 * @property {string} body
 * @property {string[]} [attachments]
 * @property {number} [replyTo]
 * @property {number} attempts
 * @property {(ack: object) => void} resolve
 * @property {(err: Error) => void} reject
 */

/**
 * What the outbox needs of a connection.
 * @typedef {object} OutboxTransport
 * @property {() => boolean} ready open, hello received and synced
 * @property {(frame: object, timeoutMs: number, id: string) => Promise<any>} request
 * @property {(reason: string) => void} drop closes the socket so that it reconnects
 */

/**
 * A new clientId: the time in base 36, fixed width, then 80 random bits in hex. Later ids sort
 * after earlier ones, so the server adds each at the end of its dedupe index, which SQLite
 * keys by clientId first (store version 10): a commit writes a page or two of that index
 * instead of several per thread it touches (BENCHMARKS.md, "Session 18"). `crypto.getRandomValues`
 * also works where `randomUUID` does not (pages served over plain http).
 */
export function newClientId() {
  const time = Date.now().toString(36).padStart(9, '0');
  const random = new Uint8Array(10);
  if (globalThis.crypto && typeof globalThis.crypto.getRandomValues === 'function') {
    globalThis.crypto.getRandomValues(random);
  } else {
    for (let i = 0; i < random.length; i++) random[i] = Math.floor(Math.random() * 256);
  }
  let hex = '';
  for (const b of random) hex += b.toString(16).padStart(2, '0');
  return `${time}-${hex}`;
}

export class Outbox {
  /**
   * @param {OutboxTransport} transport
   * @param {{ ackTimeout?: number, onChange?: () => void }} [options]
   */
  constructor(transport, { ackTimeout = 20_000, onChange = () => {} } = {}) {
    this.transport = transport;
    this.ackTimeout = ackTimeout;
    this.onChange = onChange;
    /** @type {OutboxItem[]} */
    this.queue = [];
    /** @type {OutboxItem | null} */
    this.sending = null;
    this.slowDown = 0;
    this.timer = null;
  }

  /**
   * Queues a message; resolves with the ack (`{seq, messageId, ts, ...}`), rejects with a
   * {@link ParleyError} whose code is the server's when the server refuses it.
   */
  add(thread, body, { clientId = newClientId(), attachments, replyTo } = {}) {
    return new Promise((resolve, reject) => {
      /** @type {OutboxItem} */
      const item = { clientId, thread, body, attempts: 0, resolve, reject };
      if (attachments && attachments.length) item.attachments = [...attachments];
      if (replyTo !== undefined) item.replyTo = replyTo;
      this.queue.push(item);
      this.onChange();
      this.pump();
    });
  }

  /** The queued messages, oldest first, in a form that can be saved and queued again later. */
  pending() {
    return this.queue.map(({ clientId, thread, body, attachments, replyTo }) =>
      ({ clientId, thread, body, attachments, replyTo }));
  }

  /** Removes a message that is not on the wire; its promise rejects with `cancelled`. */
  cancel(clientId) {
    const i = this.queue.findIndex((o) => o.clientId === clientId);
    if (i < 0 || this.queue[i] === this.sending) return false;
    const [item] = this.queue.splice(i, 1);
    item.reject(new ParleyError('cancelled', 'removed from the outbox'));
    this.onChange();
    return true;
  }

  /** Rejects everything queued (the client is closing for good). */
  failAll(err) {
    clearTimeout(this.timer);
    const items = this.queue;
    this.queue = [];
    this.sending = null;
    for (const item of items) item.reject(err);
    if (items.length) this.onChange();
  }

  /** Sends the head of the queue if nothing is on the wire and the connection is ready. */
  pump() {
    if (this.sending || this.queue.length === 0 || !this.transport.ready()) return;
    const item = this.queue[0];
    this.sending = item;
    item.attempts += 1;
    /** @type {Record<string, unknown>} */
    const frame = { type: 'send', thread: item.thread, body: item.body, clientId: item.clientId };
    if (item.attachments) frame.attachments = item.attachments;
    if (item.replyTo !== undefined) frame.replyTo = item.replyTo;
    this.transport.request(frame, this.ackTimeout, `s:${item.clientId}:${item.attempts}`)
      .then((ack) => this.settle(item, () => item.resolve(ack)), (err) => this.failed(item, err));
  }

  settle(item, finish) {
    this.sending = null;
    this.slowDown = 0;
    const i = this.queue.indexOf(item);
    if (i >= 0) this.queue.splice(i, 1);
    this.onChange();
    finish();
    this.pump();
  }

  failed(item, err) {
    if (!this.queue.includes(item)) { // failAll ran meanwhile
      this.sending = null;
      return;
    }
    const code = err && err.code;
    if (!RETRYABLE.has(code)) {
      this.settle(item, () => item.reject(err));
      return;
    }
    // the head waits and nothing overtakes it; a late success of this attempt is deduplicated
    if (code === 'timeout') {
      this.sending = null;
      this.transport.drop('no ack in time'); // reconnect, sync, then pump again
      return;
    }
    if (code === 'rate_limited' || code === 'unavailable') {
      this.slowDown = Math.min(5_000, Math.max(100, this.slowDown * 2));
      this.timer = setTimeout(() => {
        this.sending = null;
        this.pump();
      }, this.slowDown);
      return;
    }
    this.sending = null; // closed: sent again after the next hello and sync
  }
}
