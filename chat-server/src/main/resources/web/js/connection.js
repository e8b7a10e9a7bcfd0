// The WebSocket: connect with a single-use ticket, answer matching by id, reconnect with backoff
// and jitter. No token ever goes into the URL (URLs end up in logs and proxies).

import { Backoff } from '../sdk/backoff.js'; // the JS SDK's (clients/js), copied in by the build

const STAY_CLOSED = new Set([1000, 4403]);

/**
 * One logical connection that survives drops. Events:
 * 'state' (detail: 'connecting' | 'connected' | 'reconnecting' | 'offline'),
 * 'hello' (detail: the hello frame), 'frame' (detail: any unprompted frame).
 */
export class Connection extends EventTarget {
  constructor(api) {
    super();
    this.api = api;
    this.ws = null;
    this.state = 'offline';
    this.backoff = new Backoff({ base: 500, max: 30_000 });
    this.timer = null;
    this.pingTimer = null;
    this.stopped = true;
    this.nextId = 1;
    this.pending = new Map();
    this.heartbeat = 25;
    this.trace = []; // the last frames in and out, for debugging
    api.addEventListener('tokens', (e) => this.reauth(e.detail));
    window.addEventListener('online', () => { if (!this.stopped && !this.isOpen()) this.reconnectNow(); });
    window.addEventListener('offline', () => { if (!this.stopped && !this.isOpen()) this.setState('offline'); });
  }

  isOpen() {
    return this.state === 'connected' && this.ws && this.ws.readyState === WebSocket.OPEN;
  }

  start() {
    this.stopped = false;
    this.backoff.reset();
    this.open();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.ws) this.ws.close(1000);
    this.ws = null;
    this.setState('offline');
  }

  /** Drops the socket as a network failure would (used to exercise recovery). */
  drop() {
    if (this.ws) this.ws.close(4000, 'client drop');
  }

  setState(s) {
    if (this.state === s) return;
    this.state = s;
    this.dispatchEvent(new CustomEvent('state', { detail: s }));
  }

  async open() {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.setState(this.backoff.attempt === 0 && this.state !== 'reconnecting' ? 'connecting' : 'reconnecting');
    let ticket;
    try {
      ticket = await this.api.ticket(); // a fresh one for every attempt: a ticket works once
    } catch {
      // a refused session has already signed us out; otherwise the server is out of reach
      if (this.api.signedIn) this.scheduleReconnect();
      return;
    }
    if (this.stopped) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/ws?ticket=${encodeURIComponent(ticket)}`);
    this.ws = ws;
    ws.onmessage = (e) => this.onFrame(ws, e.data);
    ws.onclose = (e) => this.onClose(ws, e);
    ws.onerror = () => { /* onclose follows */ };
  }

  record(dir, text) {
    this.trace.push(`${new Date().toISOString().slice(11, 23)} ${dir} ${text.slice(0, 300)}`);
    if (this.trace.length > 100) this.trace.shift();
  }

  onFrame(ws, text) {
    this.record(ws === this.ws ? '<' : '<(old)', text);
    if (ws !== this.ws) return;
    let f;
    try { f = JSON.parse(text); } catch { return; }
    this.lastFrameAt = Date.now();
    if (f.type === 'hello') {
      this.backoff.reset();
      this.heartbeat = f.heartbeat || 25;
      this.startPinging();
      this.setState('connected');
      this.dispatchEvent(new CustomEvent('hello', { detail: f }));
      return;
    }
    // answers carry the request's id; a message event's id is the message id, never ours
    if (f.type !== 'message' && f.id !== undefined && this.pending.has(f.id)) {
      const p = this.pending.get(f.id);
      this.pending.delete(f.id);
      clearTimeout(p.timer);
      if (f.type === 'error') p.reject(Object.assign(new Error(f.message || f.code), { code: f.code, frame: f }));
      else p.resolve(f);
      return;
    }
    this.dispatchEvent(new CustomEvent('frame', { detail: f }));
  }

  onClose(ws, e) {
    this.record('closed', `${e.code} ${e.reason}${ws === this.ws ? '' : ' (old)'}`);
    if (ws !== this.ws) return;
    this.ws = null;
    clearInterval(this.pingTimer);
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(Object.assign(new Error('connection closed'), { code: 'closed' }));
    }
    this.pending.clear();
    if (this.stopped) return;
    if (STAY_CLOSED.has(e.code) && e.code !== 1000) {
      this.stopped = true;
      this.setState('offline');
      return;
    }
    if (e.code === 4401) {
      // the token ran out or the session was revoked: refresh once; a refused refresh signs out
      this.setState('reconnecting');
      this.api.refresh().then(() => this.scheduleReconnect(), () => {
        if (this.api.signedIn) this.scheduleReconnect();
      });
      return;
    }
    this.scheduleReconnect();
  }

  /** Exponential backoff with full jitter on top of half the delay. */
  scheduleReconnect() {
    if (this.stopped) return;
    const delay = this.backoff.next();
    this.setState(navigator.onLine === false ? 'offline' : 'reconnecting');
    this.timer = setTimeout(() => this.open(), delay);
  }

  reconnectNow() {
    this.backoff.reset();
    this.setState('reconnecting');
    this.open();
  }

  /** Client-side liveness check: a ping every heartbeat; no answer in time drops the socket. */
  startPinging() {
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      this.request({ type: 'ping' }, this.heartbeat * 1000).catch((e) => {
        if (e.code === 'timeout') this.drop();
      });
    }, this.heartbeat * 1000);
  }

  /** Sends a frame without waiting for an answer; false when not connected. */
  send(frame) {
    if (!this.isOpen()) return false;
    const text = JSON.stringify(frame);
    this.record('>', text);
    this.ws.send(text);
    return true;
  }

  /** Sends a frame with a fresh id and resolves with the answer carrying that id. */
  request(frame, timeoutMs = 15_000, id = `r${this.nextId++}`) {
    return new Promise((resolve, reject) => {
      if (!this.isOpen()) {
        reject(Object.assign(new Error('not connected'), { code: 'closed' }));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(Object.assign(new Error('no answer'), { code: 'timeout' }));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      const text = JSON.stringify({ ...frame, id });
      this.record('>', text);
      this.ws.send(text);
    });
  }

  /** After a token refresh: hand the new token to the open socket so it is not closed. */
  reauth(token) {
    if (!this.isOpen()) return;
    this.request({ type: 'auth', token }).catch((e) => {
      if (e.code === 'unauthorized') this.drop();
    });
  }
}
