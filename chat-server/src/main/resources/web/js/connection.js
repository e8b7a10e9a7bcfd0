// The WebSocket, through the JS SDK (clients/js, copied in by the build to /sdk/): its client
// connects with a single-use ticket (no token ever goes into the URL), reconnects with backoff,
// syncs every thread, and sends the outbox in order with clientId retries. This adapter gives it
// the app's token store (api.js: localStorage, shared between tabs, refreshed on its own
// schedule) and speaks to the views in their terms: DOM events and four states.

import { ParleyClient } from '../sdk/index.js';

/** The SDK's states as the views name them. */
const STATES = {
  idle: 'offline',
  connecting: 'connecting',
  syncing: 'connected',
  ready: 'connected',
  reconnecting: 'reconnecting',
  closed: 'offline',
};

/**
 * One logical connection that survives drops. Events:
 * 'state' (detail: 'connecting' | 'connected' | 'reconnecting' | 'offline'),
 * 'hello' (detail: the hello frame), 'synced' (caught up after a hello; the outbox goes out),
 * 'frame' (detail: any unprompted frame; thread log entries once each, in seq order).
 */
export class Connection extends EventTarget {
  constructor(api) {
    super();
    this.api = api;
    this.state = 'offline';
    /** Awaited after every hello, before the sync (the chat reloads its thread list there). */
    this.beforeSync = async () => {};
    this.client = new ParleyClient({
      url: location.origin,
      tokenStore: {
        access: () => api.access,
        refresh: () => api.refresh(), // one tab at a time, a refused refresh signs out
        subscribe: (listener) => {
          api.addEventListener('tokens', listener); // refreshed here or in another tab
          return () => api.removeEventListener('tokens', listener);
        },
      },
      backoff: { base: 500, max: 30_000 },
      ackTimeout: 20_000,
      beforeSync: (hello) => this.beforeSync(hello),
    });
    this.client.on('state', () => this.showState());
    this.client.on('hello', (hello) => this.dispatchEvent(new CustomEvent('hello', { detail: hello })));
    this.client.on('synced', () => this.dispatchEvent(new Event('synced')));
    this.client.on('frame', (f) => this.dispatchEvent(new CustomEvent('frame', { detail: f })));
    window.addEventListener('online', () => this.client.reconnectNow());
    window.addEventListener('offline', () => this.showState());
  }

  /** The socket, while there is one (its URL carries the ticket, never a token). */
  get ws() {
    return this.client.ws;
  }

  isOpen() {
    const ws = this.client.ws;
    return this.state === 'connected' && ws !== null && ws.readyState === WebSocket.OPEN;
  }

  start() {
    this.client.connect().catch(() => { /* closed for good: the state says so */ });
  }

  /** Offline until start(); what is queued stays queued. */
  stop() {
    this.client.disconnect();
  }

  /** Drops the socket as a network failure would (used to exercise recovery). */
  drop() {
    this.client.drop('client drop');
  }

  showState() {
    const s = STATES[this.client.state] || 'offline';
    this.setState(s === 'reconnecting' && navigator.onLine === false ? 'offline' : s);
  }

  setState(s) {
    if (this.state === s) return;
    this.state = s;
    this.dispatchEvent(new CustomEvent('state', { detail: s }));
  }

  /** Syncs exactly these threads from these seqs after every hello: {threadId: seq}. */
  follow(positions) {
    for (const id of Object.keys(this.client.seen())) {
      if (!(id in positions)) this.client.untrack(id);
    }
    for (const [id, seq] of Object.entries(positions)) this.client.track(id, seq);
  }

  /** Sends a frame without waiting for an answer; false when not connected. */
  send(frame) {
    return this.client.notify(frame);
  }

  /** Sends a frame with a fresh id and resolves with the answer carrying that id. */
  request(frame, timeoutMs) {
    return this.client.request(frame, timeoutMs === undefined ? {} : { timeout: timeoutMs });
  }

  /**
   * Queues a message in the SDK's outbox (one queue, in order, same clientId on every retry).
   * Resolves with the ack; rejects with the server's code when refused for good.
   */
  queue(item) {
    const opts = { clientId: item.clientId };
    if (item.attachments && item.attachments.length) opts.attachments = item.attachments.map((a) => a.id);
    if (item.replyTo !== undefined) opts.replyTo = item.replyTo;
    return this.client.send(item.thread, item.body, opts);
  }

  /** Takes a queued message back if it is not on the wire; false otherwise. */
  cancel(clientId) {
    return this.client.cancel(clientId);
  }
}
