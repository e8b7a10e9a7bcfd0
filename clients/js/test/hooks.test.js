// The hooks an application builds on (the web client uses each): a token store of its own,
// beforeSync, disconnect() that keeps the outbox, reconnectNow(), untrack().

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rest } from '../src/index.js';
import { NO_SERVER, SERVER_URL, SHORT_TOKEN_URL, account, clientFor, next, pair, until } from '../testing/support.js';

const NO_SHORT = NO_SERVER || (SHORT_TOKEN_URL ? false : 'PARLEY_SHORT_TOKEN_URL is not set');

/** An application's token store: it holds the pair, refreshes it itself and tells subscribers. */
function memoryStore(url, tokens) {
  const rest = new Rest(url);
  const listeners = new Set();
  const store = {
    tokens: { ...tokens },
    refreshes: 0,
    access: () => store.tokens.access,
    async refresh() {
      store.refreshes += 1;
      store.tokens = await rest.refresh(store.tokens.refresh);
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return store;
}

test('a token store: the connection outlives its tokens through the store’s own refreshes', { skip: NO_SHORT }, async () => {
  // access tokens live 4 s here and an expired connection is closed 1 s later
  const { alice, thread } = await pair(SHORT_TOKEN_URL);
  const store = memoryStore(SHORT_TOKEN_URL, alice.tokens);
  const a = clientFor(alice, { url: SHORT_TOKEN_URL, tokens: undefined, tokenStore: store });
  const hellos = [];
  const told = [];
  a.on('hello', (h) => hellos.push(h));
  a.on('tokens', (t) => told.push(t.access));
  // the store's schedule, not the client's: every 2 s
  const schedule = setInterval(() => store.refresh().catch(() => {}), 2_000);
  try {
    await a.connect();
    await until(() => Date.now() > hellos[0].expiresAt + 2_000, 'past the first token and its grace', 20_000);
    const ack = await a.send(thread, 'still connected');
    assert.equal(ack.seq, 1);
    assert.equal(hellos.length, 1, 'no reconnect was needed');
    assert.ok(store.refreshes >= 2, `the store refreshed (${store.refreshes})`);
    assert.equal(told.at(-1), store.tokens.access, 'the client took the store\'s newest token');
    assert.equal(a.accessToken, store.tokens.access);
  } finally {
    clearInterval(schedule);
    a.close();
  }
});

test('a token store is asked to refresh when the server refuses its access token', { skip: NO_SERVER }, async () => {
  const alice = await account('alice');
  const store = memoryStore(SERVER_URL, { access: 'not-a-token', refresh: alice.tokens.refresh });
  const a = clientFor(alice, { tokens: undefined, tokenStore: store });
  try {
    const hello = await a.connect();
    assert.equal(hello.user.id, alice.id);
    assert.equal(store.refreshes, 1);
  } finally {
    a.close();
  }
});

test('a token store that refuses to refresh closes the client with unauthorized', { skip: NO_SERVER }, async () => {
  const alice = await account('alice');
  const store = {
    access: () => 'not-a-token',
    refresh: () => Promise.reject(Object.assign(new Error('signed out'), { status: 401 })),
  };
  const a = clientFor(alice, { tokens: undefined, tokenStore: store });
  await assert.rejects(a.connect(), (e) => e.code === 'unauthorized');
  assert.equal(a.state, 'closed');
});

test('beforeSync runs after every hello, before the sync, and decides what is synced', { skip: NO_SERVER }, async () => {
  const alice = await account('alice');
  const bob = await account('bob');
  const carol = await account('carol');
  const rest = new Rest(SERVER_URL);
  const post = (who, t, body) => rest.request('POST', `/api/threads/${t}/messages`, { token: who.tokens.access, body: { body } });
  const withBob = (await rest.request('POST', '/api/threads', { token: alice.tokens.access, body: { kind: 'direct', members: [bob.id] } })).id;
  const withCarol = (await rest.request('POST', '/api/threads', { token: alice.tokens.access, body: { kind: 'direct', members: [carol.id] } })).id;
  await post(bob, withBob, 'from bob');
  await post(carol, withCarol, 'from carol');

  const calls = [];
  const a = clientFor(alice, {
    threads: { [withCarol]: 0 },
    async beforeSync(hello) {
      calls.push({ user: hello.user.id, state: a.state });
      if (calls.length === 1) throw new Error('the application could not load its state');
      a.untrack(withCarol);
      a.track(withBob, 0);
    },
  });
  const received = [];
  a.on('message', (m) => received.push(m.body));
  try {
    await a.connect();
    assert.equal(calls.length, 2, 'a failed beforeSync drops and reconnects');
    assert.deepEqual(calls.map((c) => c.state), ['syncing', 'syncing']);
    assert.equal(calls[1].user, alice.id);
    assert.deepEqual(received, ['from bob']);
    assert.deepEqual(a.seen(), { [withBob]: 1 });
  } finally {
    a.close();
  }
});

test('disconnect() keeps the outbox; the next connect() sends it in order', { skip: NO_SERVER }, async () => {
  const { alice, thread } = await pair();
  const a = clientFor(alice);
  try {
    await a.connect();
    a.disconnect();
    assert.equal(a.state, 'idle');
    const sends = ['one', 'two', 'three'].map((body) => a.send(thread, body));
    assert.deepEqual(a.pendingMessages().map((m) => m.body), ['one', 'two', 'three']);
    await a.connect();
    assert.deepEqual((await Promise.all(sends)).map((ack) => ack.seq), [1, 2, 3]);
    assert.deepEqual(a.pendingMessages(), []);
  } finally {
    a.close();
  }
});

test('reconnectNow() skips the backoff wait', { skip: NO_SERVER }, async () => {
  const alice = await account('alice');
  const a = clientFor(alice, { backoff: { base: 60_000, max: 60_000 } }); // a 30 to 60 s wait
  try {
    await a.connect();
    const disconnected = next(a, 'disconnected');
    a.drop('test');
    await disconnected;
    assert.equal(a.state, 'reconnecting');
    const synced = next(a, 'synced');
    a.reconnectNow();
    await Promise.race([synced, new Promise((_, reject) => setTimeout(() => reject(new Error('no reconnect within 10 s')), 10_000))]);
    assert.equal(a.state, 'ready');
  } finally {
    a.close();
  }
});
