import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParleyError } from '../src/index.js';
import { NO_SERVER, account, clientFor, directThread, pair, until } from '../testing/support.js';

test('send resolves with the ack and the message reaches the other member', { skip: NO_SERVER }, async () => {
  const { alice, bob, thread } = await pair();
  const a = clientFor(alice);
  const b = clientFor(bob, { threads: { [thread]: 0 } });
  const received = [];
  b.on('message', (m) => received.push(m));
  try {
    const hello = await a.connect();
    assert.equal(hello.user.id, alice.id);
    assert.equal(await a.connect(), hello, 'connect() on a ready client resolves at once');
    await b.connect();

    const ack = await a.send(thread, 'hello bob', { clientId: 'c-1' });
    assert.equal(ack.type, 'ack');
    assert.equal(ack.thread, thread);
    assert.equal(ack.seq, 1);
    assert.ok(ack.messageId);

    await until(() => received.length === 1, 'bob to receive the message');
    assert.equal(received[0].body, 'hello bob');
    assert.equal(received[0].sender, alice.id);
    assert.equal(received[0].seq, 1);
    assert.equal(received[0].clientId, 'c-1');
    assert.deepEqual(b.seen(), { [thread]: 1 });

    // the same clientId again is deduplicated by the server: same seq, nothing new delivered
    const again = await a.send(thread, 'hello bob', { clientId: 'c-1' });
    assert.equal(again.seq, 1);
    const marker = await a.send(thread, 'marker');
    assert.equal(marker.seq, 2);
    await until(() => received.length === 2, 'the marker');
    assert.deepEqual(received.map((m) => m.body), ['hello bob', 'marker']);
  } finally {
    a.close();
    b.close();
  }
});

test('an error frame rejects the send with its code and the outbox moves on', { skip: NO_SERVER }, async () => {
  const alice = await account('alice');
  const bob = await account('bob');
  const carol = await account('carol');
  const theirs = await directThread(bob, carol);
  const ours = await directThread(alice, bob);
  const a = clientFor(alice);
  try {
    await a.connect();
    const forbidden = a.send(theirs, 'not my thread');
    const tooLarge = a.send(ours, 'x'.repeat(17 * 1024));
    const fine = a.send(ours, 'still works');
    await assert.rejects(forbidden, (e) => e instanceof ParleyError && e.code === 'forbidden');
    await assert.rejects(tooLarge, (e) => e instanceof ParleyError && e.code === 'too_large');
    assert.equal((await fine).seq, 1);
    assert.deepEqual(a.pendingMessages(), []);
  } finally {
    a.close();
  }
});

test('other frames: typing, read and presence reach listeners and answers', { skip: NO_SERVER }, async () => {
  const { alice, bob, thread } = await pair();
  const a = clientFor(alice);
  const b = clientFor(bob);
  const typing = [];
  const reads = [];
  b.on('typing', (f) => typing.push(f));
  b.on('read', (f) => reads.push(f));
  try {
    await a.connect();
    await b.connect();
    const presence = await b.presence([alice.id]);
    assert.equal(presence.users[alice.id], 'online');
    assert.equal(a.typing(thread), true);
    await until(() => typing.length === 1, 'the typing signal');
    assert.equal(typing[0].user, alice.id);
    const { seq } = await a.send(thread, 'read me');
    await a.read(thread, seq);
    await until(() => reads.length === 1, 'the read position');
    assert.equal(reads[0].seq, seq);
  } finally {
    a.close();
    b.close();
  }
});

test('close rejects what is still queued and connect needs tokens', { skip: NO_SERVER }, async () => {
  const alice = await account('alice');
  const a = clientFor(alice);
  const queued = a.send('some-thread', 'never connected');
  a.close();
  await assert.rejects(queued, (e) => e.code === 'closed');
  const anonymous = clientFor({ tokens: undefined });
  await assert.rejects(anonymous.connect(), (e) => e.code === 'unauthorized');
});
