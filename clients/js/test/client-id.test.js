// newClientId: unique, and later ids sort after earlier ones (the server's dedupe index then
// grows at its end instead of taking a random page per message).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newClientId } from '../src/index.js';

test('clientIds are unique, fixed-format, and sort by the time they were made', async () => {
  const first = Array.from({ length: 1000 }, () => newClientId());
  assert.equal(new Set(first).size, first.length);
  for (const id of first) assert.match(id, /^[0-9a-z]{9}-[0-9a-f]{20}$/);
  const before = Date.now();
  while (Date.now() === before) await new Promise((r) => setTimeout(r, 1));
  const later = newClientId();
  for (const id of first) assert.ok(id < later, `${id} sorts before ${later}`);
});
