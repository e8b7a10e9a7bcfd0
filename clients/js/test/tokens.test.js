import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_SERVER, SHORT_TOKEN_URL, account, clientFor, pair, until } from '../testing/support.js';

const NO_SHORT = NO_SERVER || (SHORT_TOKEN_URL ? false : 'PARLEY_SHORT_TOKEN_URL is not set');

test('tokens are refreshed before they expire and the connection stays open', { skip: NO_SHORT }, async () => {
  // on this server access tokens live 4 s and an expired connection is closed 1 s later
  const { alice, thread } = await pair(SHORT_TOKEN_URL);
  const a = clientFor(alice, { url: SHORT_TOKEN_URL, auth: 'header' });
  const refreshed = [];
  const hellos = [];
  a.on('tokens', (t) => refreshed.push(t));
  a.on('hello', (h) => hellos.push(h));
  try {
    await a.connect();
    const firstExpiry = hellos[0].expiresAt;
    await until(() => refreshed.length >= 3, 'three refreshes', 20_000);
    assert.ok(Date.now() > firstExpiry + 1_000, 'past the first token and its grace period');
    const ack = await a.send(thread, 'still connected');
    assert.equal(ack.seq, 1);
    assert.equal(hellos.length, 1, 'no reconnect was needed');
    assert.notEqual(refreshed.at(-1).access, alice.tokens.access);
  } finally {
    a.close();
  }
});

test('a refused access token is refreshed and the client connects', { skip: NO_SERVER }, async () => {
  const alice = await account('alice');
  const tokens = [];
  const a = clientFor(alice, { tokens: { access: 'not-a-token', refresh: alice.tokens.refresh } });
  a.on('tokens', (t) => tokens.push(t));
  try {
    const hello = await a.connect();
    assert.equal(hello.user.id, alice.id);
    assert.equal(tokens.length, 1);
    assert.notEqual(tokens[0].refresh, alice.tokens.refresh, 'the refresh token rotated');
  } finally {
    a.close();
  }
});

test('a refused refresh token closes the client with unauthorized', { skip: NO_SERVER }, async () => {
  const alice = await account('alice');
  const a = clientFor(alice, { tokens: { access: 'not-a-token', refresh: 'not-a-refresh-token' } });
  const closed = [];
  a.on('closed', (e) => closed.push(e));
  await assert.rejects(a.connect(), (e) => e.code === 'unauthorized');
  assert.equal(closed.length, 1);
  assert.equal(a.state, 'closed');
});
