import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rest } from '../src/index.js';
import { NO_SERVER, SERVER_URL, clientFor, next, pair, startProxy, until } from '../testing/support.js';

test('100 quick sends survive a dropped connection: all stored once, in order', { skip: NO_SERVER }, async () => {
  const { alice, bob, thread } = await pair();
  const proxy = await startProxy();
  const a = clientFor(alice, { url: proxy.url, threads: { [thread]: 0 } });
  const b = clientFor(bob, { threads: { [thread]: 0 } });
  const atBob = [];
  const atAlice = [];
  b.on('message', (m) => atBob.push(m));
  a.on('message', (m) => atAlice.push(m));
  let hellos = 0;
  a.on('hello', () => { hellos += 1; });
  try {
    await a.connect();
    await b.connect();
    const acks = [];
    let cut = false;
    const sends = [];
    for (let i = 0; i < 100; i++) {
      sends.push(a.send(thread, `m${i}`).then((ack) => {
        acks.push(ack);
        if (acks.length === 30) {
          // in the middle of the burst: the next send reaches the server but its ack is lost
          proxy.muted = true;
          until(() => atBob.some((m) => m.body === 'm30'), 'm30 stored').then(() => { cut = true; proxy.cut(); });
        }
        return ack;
      }));
    }
    const results = await Promise.all(sends);
    assert.ok(cut, 'the connection was cut');
    assert.ok(hellos >= 2, `reconnected (hellos: ${hellos})`);
    // every promise has its own seq, in the order the messages were queued
    assert.deepEqual(results.map((r) => r.seq), Array.from({ length: 100 }, (_, i) => i + 1));

    await until(() => atBob.length >= 100 && atAlice.length >= 100, 'all 100 at both clients');
    const bodies = Array.from({ length: 100 }, (_, i) => `m${i}`);
    // a marker proves nothing more (no duplicate) is on its way
    const marker = await a.send(thread, 'marker');
    await until(() => atBob.some((m) => m.body === 'marker') && atAlice.some((m) => m.body === 'marker'), 'the marker');
    assert.deepEqual(atBob.map((m) => m.body), [...bodies, 'marker']);
    assert.deepEqual(atAlice.map((m) => m.body), [...bodies, 'marker']);
    assert.equal(marker.seq, 101);

    const history = await new Rest(SERVER_URL).request('GET', `/api/threads/${thread}/messages?limit=200`,
      { token: bob.tokens.access });
    assert.deepEqual(history.messages.map((m) => m.body), [...bodies, 'marker']);
  } finally {
    a.close();
    b.close();
    await proxy.close();
  }
});

test('a reconnect syncs what arrived while the client was away', { skip: NO_SERVER }, async () => {
  const { alice, bob, thread } = await pair();
  const proxy = await startProxy();
  const a = clientFor(alice, { url: proxy.url, threads: { [thread]: 0 } });
  const b = clientFor(bob);
  const atAlice = [];
  a.on('message', (m) => atAlice.push(m.body));
  try {
    await a.connect();
    await b.connect();
    await b.send(thread, 'before');
    await until(() => atAlice.length === 1, 'the first message');

    proxy.refusing = true;
    const disconnected = next(a, 'disconnected');
    proxy.cut();
    await disconnected;
    for (let i = 0; i < 5; i++) await b.send(thread, `away ${i}`);
    const queued = a.send(thread, 'written while away'); // waits in the outbox
    assert.equal(a.pendingMessages().length, 1);
    proxy.refusing = false;

    const ack = await queued;
    assert.equal(ack.seq, 7);
    await until(() => atAlice.length === 7, 'the missed messages and our own');
    assert.deepEqual(atAlice, ['before', 'away 0', 'away 1', 'away 2', 'away 3', 'away 4', 'written while away']);
    assert.deepEqual(a.seen(), { [thread]: 7 });
  } finally {
    a.close();
    b.close();
    await proxy.close();
  }
});
