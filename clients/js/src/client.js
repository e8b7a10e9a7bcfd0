// One logical connection to a Parley server that survives drops: authenticates, reconnects with
// backoff, syncs every tracked thread from its last seen seq, then flushes the outbox in order.

import { Backoff } from './backoff.js';
import { ParleyError } from './errors.js';
import { Outbox } from './outbox.js';
import { Rest } from './rest.js';
import { StoreTokens, TokenKeeper } from './tokens.js';

/** Close codes after which reconnecting cannot help (contract section 3). */
const STAY_CLOSED = new Map([
  [1003, 'binary frame sent'],
  [1009, 'frame over the limit'],
  [4403, 'user deleted or disabled'],
]);
/** Frames that are entries of a thread's log: each has `thread` and `seq`. */
const LOG_ENTRIES = new Set(['message', 'edited', 'deleted', 'reaction']);
const OPEN = 1;

/**
 * @typedef {'idle' | 'connecting' | 'syncing' | 'ready' | 'reconnecting' | 'closed'} State
 *
 * @typedef {object} ClientOptions
 * @property {string} url the server's base URL, `http(s)://host:port`
 * @property {any} [WebSocket] a WHATWG-style WebSocket class (default `globalThis.WebSocket`;
 *   in Node 20 pass the `ws` package's default export)
 * @property {typeof fetch} [fetch] default `globalThis.fetch`
 * @property {{access: string, refresh?: string, expiresIn?: number}} [tokens] tokens saved earlier
 * @property {Record<string, number>} [threads] last seen seq per thread, synced from on connect
 * @property {'ticket' | 'header'} [auth] how the socket authenticates: a single-use ticket in
 *   the URL (default; works in browsers) or an Authorization header (needs a WebSocket class
 *   that takes `{headers}` as third argument, like `ws`)
 * @property {import('./backoff.js').BackoffOptions} [backoff]
 * @property {number} [refreshMargin] refresh this many ms before the access token expires (default 60000)
 * @property {number} [ackTimeout] ms to wait for a send's ack before reconnecting (default 20000)
 * @property {number} [requestTimeout] ms to wait for other answers (default 15000)
 * @property {import('./tokens.js').TokenStore} [tokenStore] the application keeps the tokens
 *   and refreshes them itself; the client asks it for the access token and to refresh after a
 *   refusal, and hands every new access token it reports to the open connection in band
 * @property {(hello: object) => Promise<void> | void} [beforeSync] awaited after every `hello`,
 *   before the sync: the place to reload the application's state and `track()` / `untrack()`
 *   threads. Entries arriving meanwhile are held back; a rejection drops and reconnects.
 */

export class ParleyClient {
  /** @param {ClientOptions} options */
  constructor(options) {
    if (!options || !options.url) throw new TypeError('options.url is required');
    this.options = options;
    this.WebSocket = options.WebSocket || globalThis.WebSocket;
    if (!this.WebSocket) throw new TypeError('no WebSocket: pass options.WebSocket (e.g. the ws package)');
    this.rest = new Rest(options.url, options.fetch);
    this.wsUrl = this.rest.baseUrl.replace(/^http/, 'ws') + '/ws';
    this.authMode = options.auth || 'ticket';
    this.refreshMargin = options.refreshMargin ?? 60_000;
    this.requestTimeout = options.requestTimeout ?? 15_000;
    this.backoff = new Backoff(options.backoff);
    /** @type {Map<string, Set<Function>>} */
    this.listeners = new Map();
    const onTokens = (t) => this.onTokens(t);
    this.tokens = options.tokenStore ? new StoreTokens(options.tokenStore, onTokens) : new TokenKeeper(this.rest, onTokens);
    if (options.tokens) this.tokens.set(options.tokens);
    /** @type {string | undefined} the access token the open socket is authenticated with */
    this.socketToken = undefined;
    /** @type {Map<string, number>} thread id -> highest seq seen */
    this.positions = new Map(Object.entries(options.threads || {}));
    this.outbox = new Outbox({
      ready: () => this.state === 'ready',
      request: (frame, timeout, id) => this.request(frame, { timeout, id }),
      drop: (reason) => this.drop(reason),
    }, { ackTimeout: options.ackTimeout, onChange: () => this.emit('outbox', this.outbox.pending()) });
    /** @type {State} */
    this.state = 'idle';
    /** @type {Map<string, {resolve: Function, reject: Function, timer: any}>} */
    this.pending = new Map();
    this.ws = null;
    this.hello = null;
    this.nextId = 1;
    this.stopped = true;
    this.failedBeforeHello = false;
    this.opening = false;
    this.buffer = [];
    this.timers = { reconnect: null, refresh: null, ping: null };
  }

  // ---- events ----

  /**
   * Listens to an event: a server frame type (`message`, `edited`, `deleted`, `reaction`,
   * `typing`, `read`, `presence`, `thread`, `removed`, `error`, ...), `frame` (every unprompted
   * frame), `hello`, `synced`, `state`, `tokens`, `outbox`, `closed`.
   * @returns {() => void} removes the listener
   */
  on(event, listener) {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event).add(listener);
    return () => this.off(event, listener);
  }

  off(event, listener) {
    const set = this.listeners.get(event);
    if (set) set.delete(listener);
  }

  emit(event, detail) {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        fn(detail);
      } catch (e) {
        queueMicrotask(() => { throw e; }); // a listener's bug must not break the connection
      }
    }
  }

  setState(s) {
    if (this.state === s) return;
    this.state = s;
    this.emit('state', s);
  }

  // ---- REST authentication ----

  /** Creates an account (it does not log in). */
  register(username, password, displayName) {
    return this.rest.register(username, password, displayName);
  }

  /** Logs in and keeps the tokens; resolves with them. */
  async login(username, password) {
    const t = await this.rest.login(username, password);
    this.tokens.set(t);
    this.scheduleRefresh();
    return t;
  }

  /**
   * Refreshes the tokens now; an open connection gets the new access token in band (`auth`).
   * Rejects with `unauthorized` when the session is over; the client then closes.
   */
  async refresh() {
    try {
      await this.tokens.refresh();
    } catch (e) {
      if (e.code === 'unauthorized') this.fail(e);
      throw e;
    }
    this.scheduleRefresh();
  }

  /** New tokens (a refresh, a login, the token store's news): persist them, and re-auth in band. */
  onTokens(t) {
    this.emit('tokens', t);
    const ws = this.ws;
    if (!ws || !this.hello || ws.readyState !== OPEN || t.access === this.socketToken) return;
    this.socketToken = t.access;
    this.request({ type: 'auth', token: t.access }).catch((e) => {
      if (e.code === 'unauthorized' && ws === this.ws) this.drop('token refused in band');
    });
  }

  /** The current access token, for REST calls of the application's own. */
  get accessToken() {
    return this.tokens.access;
  }

  /** A REST call with the current access token, refreshed once if it is refused. */
  async api(method, path, body) {
    if (this.tokens.due(this.refreshMargin) && this.tokens.canRefresh) await this.refresh();
    try {
      return await this.rest.request(method, path, { token: this.tokens.access, body });
    } catch (e) {
      if (e.code !== 'unauthorized' || !this.tokens.canRefresh) throw e;
      await this.refresh();
      return this.rest.request(method, path, { token: this.tokens.access, body });
    }
  }

  scheduleRefresh() {
    clearTimeout(this.timers.refresh);
    const at = this.tokens.refreshAt(this.refreshMargin);
    if (at === undefined || !this.tokens.canRefresh || this.state === 'closed') return;
    this.timers.refresh = setTimeout(() => {
      this.refresh().catch(() => {
        // out of reach: try again soon; a refused session has closed the client
        if (this.state !== 'closed') this.timers.refresh = setTimeout(() => this.scheduleRefresh(), 5_000);
      });
    }, Math.max(0, at - Date.now()));
  }

  // ---- connection lifecycle ----

  /**
   * Opens the connection; resolves with the `hello` frame once connected and synced. Later
   * drops reconnect by themselves. Rejects if the client closes for good before that.
   * @returns {Promise<object>}
   */
  connect() {
    if (!this.tokens.access && !this.tokens.canRefresh) {
      return Promise.reject(new ParleyError('unauthorized', 'log in first'));
    }
    if (this.state === 'ready') return Promise.resolve(this.hello);
    const ready = new Promise((resolve, reject) => {
      const offSynced = this.on('synced', () => { offSynced(); offClosed(); resolve(this.hello); });
      const offClosed = this.on('closed', (e) => { offSynced(); offClosed(); reject(e.error); });
    });
    if (this.stopped) {
      this.stopped = false;
      this.backoff.reset();
      this.scheduleRefresh();
      this.open();
    }
    return ready;
  }

  /**
   * Closes the connection (code 1000) and stays offline until the next `connect()`. Unlike
   * `close()`, queued sends are kept: they go out, in order, after that connect and its sync.
   */
  disconnect() {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of Object.values(this.timers)) { clearTimeout(t); clearInterval(t); }
    const ws = this.ws;
    this.ws = null;
    this.hello = null;
    if (ws) {
      try { ws.close(1000); } catch { /* already closing */ }
    }
    this.rejectPending();
    this.setState('idle');
  }

  /**
   * Waiting to reconnect (after a drop): tries now, with the backoff reset. For an application
   * that knows the network is back (a browser's `online` event). Does nothing otherwise.
   */
  reconnectNow() {
    if (this.stopped || this.ws || this.opening || this.state !== 'reconnecting') return;
    this.backoff.reset();
    this.open();
  }

  /** Closes for good (code 1000); queued sends are rejected with `closed`. */
  close() {
    this.shutdown(new ParleyError('closed', 'closed by the application'), 1000);
  }

  fail(error) {
    this.shutdown(error, undefined);
  }

  shutdown(error, code) {
    if (this.state === 'closed' && this.stopped) return;
    this.stopped = true;
    for (const t of Object.values(this.timers)) { clearTimeout(t); clearInterval(t); }
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      try { ws.close(1000); } catch { /* already closing */ }
    }
    this.rejectPending();
    this.outbox.failAll(error);
    this.setState('closed');
    this.emit('closed', { code, error });
  }

  async open() {
    clearTimeout(this.timers.reconnect);
    if (this.stopped || this.opening) return;
    this.opening = true;
    try {
      await this.openSocket();
    } finally {
      this.opening = false;
    }
  }

  async openSocket() {
    this.setState(this.backoff.attempt === 0 ? 'connecting' : 'reconnecting');
    let ws;
    try {
      // a socket refused before its hello may have been a refused token: refresh once per streak
      if ((this.failedBeforeHello || this.tokens.due(this.refreshMargin)) && this.tokens.canRefresh) {
        await this.refresh();
        this.failedBeforeHello = false;
      }
      if (this.stopped) return;
      const access = this.tokens.access;
      if (this.authMode === 'header') {
        ws = new this.WebSocket(this.wsUrl, [], { headers: { Authorization: `Bearer ${access}` } });
      } else {
        const ticket = await this.rest.ticket(access);
        if (this.stopped) return;
        ws = new this.WebSocket(`${this.wsUrl}?ticket=${encodeURIComponent(ticket)}`);
      }
      this.socketToken = access;
    } catch (e) {
      if (e.code === 'unauthorized' && this.stopped) return; // the session is over
      if (e.code === 'unauthorized') this.failedBeforeHello = true;
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    this.hello = null;
    ws.onmessage = (e) => this.onText(ws, e.data);
    ws.onclose = (e) => this.onClose(ws, e.code, e.reason);
    ws.onerror = () => { /* onclose follows */ };
  }

  scheduleReconnect() {
    if (this.stopped) return;
    this.setState('reconnecting');
    this.timers.reconnect = setTimeout(() => this.open(), this.backoff.next());
  }

  /** Drops the socket as a network failure would; the client reconnects and syncs. */
  drop(reason = 'dropped') {
    const ws = this.ws;
    if (!ws) return;
    try {
      if (typeof ws.terminate === 'function') ws.terminate();
      else ws.close(4000, reason);
    } catch { /* already closing */ }
    this.onClose(ws, 4000, reason); // a dead peer may never finish the closing handshake
  }

  onClose(ws, code, reason) {
    if (ws !== this.ws) return;
    this.ws = null;
    clearInterval(this.timers.ping);
    const hadHello = Boolean(this.hello);
    this.hello = null;
    this.rejectPending();
    if (this.stopped) return;
    if (STAY_CLOSED.has(code)) {
      this.fail(new ParleyError(code === 4403 ? 'forbidden' : 'bad_request', `closed ${code}: ${STAY_CLOSED.get(code)}`));
      return;
    }
    if (code === 4401 || !hadHello) this.failedBeforeHello = true; // refresh before the next try
    this.emit('disconnected', { code, reason });
    this.scheduleReconnect();
  }

  rejectPending() {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) {
      clearTimeout(p.timer);
      p.reject(new ParleyError('closed', 'connection closed'));
    }
  }

  onText(ws, text) {
    if (ws !== this.ws) return;
    let f;
    try {
      f = JSON.parse(text);
    } catch {
      return;
    }
    if (f.type === 'hello') {
      this.onHello(ws, f);
      return;
    }
    // answers carry our id; a message's own `id` is its message id, never an answer
    if (f.type !== 'message' && f.id !== undefined && this.pending.has(f.id)) {
      const p = this.pending.get(f.id);
      this.pending.delete(f.id);
      clearTimeout(p.timer);
      if (f.type === 'error') p.reject(new ParleyError(f.code, f.message, { frame: f }));
      else p.resolve(f);
      return;
    }
    if (LOG_ENTRIES.has(f.type) && this.state === 'syncing') {
      this.buffer.push(f);
      return;
    }
    this.deliver(f);
  }

  deliver(f) {
    if (LOG_ENTRIES.has(f.type)) {
      const seen = this.positions.get(f.thread) ?? 0;
      if (f.seq <= seen) return; // had it already (live and again through sync)
      this.positions.set(f.thread, f.seq);
    } else if (f.type === 'thread' && f.thread && !this.positions.has(f.thread.id)) {
      this.positions.set(f.thread.id, f.thread.lastSeq || 0);
    } else if (f.type === 'removed') {
      this.positions.delete(f.thread);
    }
    this.emit(f.type, f);
    this.emit('frame', f);
  }

  async onHello(ws, hello) {
    this.hello = hello;
    this.backoff.reset();
    this.failedBeforeHello = false;
    this.startPinging((hello.heartbeat || 25) * 1000);
    this.emit('hello', hello);
    this.setState('syncing');
    this.buffer = [];
    try {
      if (this.options.beforeSync) {
        await this.options.beforeSync(hello);
        if (ws !== this.ws) return;
      }
      await this.syncAll();
    } catch (e) {
      if (ws === this.ws) this.drop(`sync failed: ${e.code}`);
      return;
    }
    if (ws !== this.ws) return;
    const buffered = this.buffer.sort((a, b) => (a.thread === b.thread ? a.seq - b.seq : a.thread < b.thread ? -1 : 1));
    this.buffer = [];
    this.setState('ready');
    for (const f of buffered) this.deliver(f);
    this.emit('synced', hello);
    this.outbox.pump();
  }

  /** Syncs every tracked thread; a thread the user has left is untracked. */
  async syncAll() {
    const threads = Object.fromEntries(this.positions);
    if (Object.keys(threads).length === 0) return;
    try {
      await this.request({ type: 'sync', threads });
    } catch (e) {
      if (e.code !== 'forbidden') throw e;
      for (const [id, seq] of Object.entries(threads)) { // find the one(s) refused
        try {
          await this.request({ type: 'sync', threads: { [id]: seq } });
        } catch (e2) {
          if (e2.code !== 'forbidden') throw e2;
          this.positions.delete(id);
        }
      }
    }
  }

  startPinging(interval) {
    clearInterval(this.timers.ping);
    this.timers.ping = setInterval(() => {
      this.request({ type: 'ping' }, { timeout: interval }).catch((e) => {
        if (e.code === 'timeout') this.drop('no pong');
      });
    }, interval);
  }

  // ---- frames ----

  /** Starts following a thread from `seq` (what the application has seen of it). */
  track(threadId, seq = 0) {
    this.positions.set(threadId, Math.max(seq, this.positions.get(threadId) ?? 0));
  }

  /** Stops following a thread (the user left it): it is no longer synced. */
  untrack(threadId) {
    this.positions.delete(threadId);
  }

  /** The highest seq seen per tracked thread: save it to sync from it next time. */
  seen() {
    return Object.fromEntries(this.positions);
  }

  /**
   * Sends a frame with an id and resolves with the answer, or rejects with a
   * {@link ParleyError}: the error frame's code, `closed`, or `timeout`.
   * @param {Record<string, unknown>} frame
   * @param {{ timeout?: number, id?: string }} [options]
   */
  request(frame, { timeout = this.requestTimeout, id = `r${this.nextId++}` } = {}) {
    return new Promise((resolve, reject) => {
      const ws = this.ws;
      if (!ws || !this.hello || ws.readyState !== OPEN) {
        reject(new ParleyError('closed', 'not connected'));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ParleyError('timeout', `no answer to ${frame.type}`));
      }, timeout);
      this.pending.set(id, { resolve, reject, timer });
      ws.send(JSON.stringify({ ...frame, id }));
    });
  }

  /** Sends a frame that has no answer (`typing`, `read` without id); false when not connected. */
  notify(frame) {
    if (!this.ws || !this.hello || this.ws.readyState !== OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /**
   * Queues a message in the outbox. Resolves with the ack (`{thread, seq, messageId, ts}`) once
   * the server has stored it; rejects with the server's error code when it is refused.
   * Waits through disconnects: sent again, in order and with the same clientId, after the
   * next reconnect and sync.
   * @param {string} threadId
   * @param {string} body
   * @param {{ clientId?: string, attachments?: string[], replyTo?: number }} [opts]
   */
  send(threadId, body, opts) {
    if (this.state === 'closed') return Promise.reject(new ParleyError('closed', 'client is closed'));
    return this.outbox.add(threadId, body, opts);
  }

  /** The queued, unacknowledged messages, oldest first. */
  pendingMessages() {
    return this.outbox.pending();
  }

  /** Removes a queued message that is not on the wire yet. */
  cancel(clientId) {
    return this.outbox.cancel(clientId);
  }

  typing(threadId) {
    return this.notify({ type: 'typing', thread: threadId });
  }

  read(threadId, seq) {
    return this.request({ type: 'read', thread: threadId, seq });
  }

  presence(userIds) {
    return this.request({ type: 'presence', users: userIds });
  }
}
