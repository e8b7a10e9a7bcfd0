-- Parley store, version 10 (SQLite): the clientId index keyed by clientId first.
-- messages_client enforces one message per (thread, clientId, sender), the key a resent message
-- is found by. Keyed by thread first, each commit inserted into the middle of the index at the
-- end of every thread it wrote to, and SQLite rebalances a full page there with its siblings:
-- about four pages written per thread per commit (BENCHMARKS.md, "What a commit writes, by
-- table"). The web client's and the SDK's clientIds start with the time, so keyed by clientId
-- first new entries land at the end of the index, where a full page is split without touching
-- its neighbours. The same columns make the same entries unique; the look-up by thread, sender
-- and clientIds is still a point look-up per clientId.
DROP INDEX messages_client;
CREATE UNIQUE INDEX messages_client ON messages (client_id, sender, thread_id)
  WHERE client_id IS NOT NULL;
