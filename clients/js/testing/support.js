// Test support: the server under test, accounts, and a TCP proxy that can cut connections.

import net from 'node:net';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { ParleyClient, Rest } from '../src/index.js';

/** The Parley server under test (JsClientIT sets it), and one whose tokens live 3 s. */
export const SERVER_URL = process.env.PARLEY_URL;
export const SHORT_TOKEN_URL = process.env.PARLEY_SHORT_TOKEN_URL;
export const PASSWORD = 'password123';
export const NO_SERVER = SERVER_URL ? false : 'PARLEY_URL is not set: run through JsClientIT (mvn verify) or point it at a server';

/** Registers and logs in a fresh user; its id, name and tokens. */
export async function account(prefix, url = SERVER_URL) {
  const rest = new Rest(url);
  const username = `${prefix}_${randomUUID().slice(0, 8)}`;
  const user = await rest.register(username, PASSWORD);
  const tokens = await rest.login(username, PASSWORD);
  return { ...user, username, tokens };
}

/** The direct thread of two accounts. */
export async function directThread(a, b, url = SERVER_URL) {
  const thread = await new Rest(url).request('POST', '/api/threads',
    { token: a.tokens.access, body: { kind: 'direct', members: [b.id] } });
  return thread.id;
}

/** Two fresh accounts and their direct thread. */
export async function pair(url = SERVER_URL) {
  const alice = await account('alice', url);
  const bob = await account('bob', url);
  const thread = await directThread(alice, bob, url);
  return { alice, bob, thread };
}

/** A client for `who`, with fast backoff so that tests do not wait on it. */
export function clientFor(who, options = {}) {
  const client = new ParleyClient({
    url: SERVER_URL,
    WebSocket,
    tokens: who.tokens,
    backoff: { base: 50, max: 500 },
    ...options,
  });
  return client;
}

/** Resolves when `predicate()` holds, checking on every event of `client` and every 20 ms. */
export function until(predicate, what, timeoutMs = 15_000) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      let ok = false;
      try { ok = predicate(); } catch (e) { clearInterval(timer); reject(e); return; }
      if (ok) { clearInterval(timer); resolve(); return; }
      if (Date.now() - started > timeoutMs) { clearInterval(timer); reject(new Error(`timed out waiting for ${what}`)); }
    };
    const timer = setInterval(check, 20);
    check();
  });
}

/** Resolves with the next `event` emitted by `client`. */
export function next(client, event) {
  return new Promise((resolve) => {
    const off = client.on(event, (d) => { off(); resolve(d); });
  });
}

/**
 * A TCP proxy in front of the server: `cut()` destroys every connection through it at once (the
 * client sees the server go away without a closing handshake); while `refusing` is set, new
 * connections are closed as soon as they arrive; while `muted` is set, what the server sends is
 * dropped (so a frame can reach the server while its answer is lost).
 */
export async function startProxy(targetUrl = SERVER_URL) {
  const target = new URL(targetUrl);
  const pairs = new Set();
  const proxy = {
    refusing: false,
    muted: false,
    connections: 0,
    url: '',
    cut() {
      this.muted = false;
      for (const pair of pairs) for (const s of pair) s.destroy();
      pairs.clear();
    },
    close() {
      this.cut();
      return new Promise((resolve) => server.close(resolve));
    },
  };
  const server = net.createServer((inbound) => {
    if (proxy.refusing) { inbound.destroy(); return; }
    proxy.connections += 1;
    const outbound = net.connect(Number(target.port), target.hostname);
    const pair = [inbound, outbound];
    pairs.add(pair);
    const end = () => { pairs.delete(pair); inbound.destroy(); outbound.destroy(); };
    inbound.on('error', end).on('close', end);
    outbound.on('error', end).on('close', end);
    inbound.pipe(outbound);
    outbound.on('data', (chunk) => { if (!proxy.muted) inbound.write(chunk); });
  });
  server.unref(); // a test that fails half-way must not keep node alive
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${server.address().port}`;
  return proxy;
}
