-- Parley store, version 11 (SQLite): messages without the unique index on id.
-- The id column was declared UNIQUE, so every message also went into an index that no query
-- reads: messages are found by (thread, seq), by clientId and by search document number. Ids are
-- made by the server, 48 bits of time and 80 random bits, so the index only ever confirmed what
-- the randomness already gives. It was 7 to 13 % of what a commit writes, and up to a tenth of
-- the commit thread's CPU per message (BENCHMARKS.md, "Session 19").
-- A column's UNIQUE cannot be dropped in SQLite: the table is copied into one declared without
-- it, in this migration's transaction. That takes time and disk in proportion to the messages
-- stored (the copy, then the old table's pages are free for reuse); the server starts once it is
-- done. The view over the bodies that search reads names the table, so it is made again.
DROP VIEW search_content;
CREATE TABLE messages_v11 (
  thread_id   TEXT    NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  id          TEXT    NOT NULL,
  sender      TEXT    NOT NULL,
  body        TEXT    NOT NULL,
  ts          INTEGER NOT NULL,
  client_id   TEXT,
  attachments TEXT,
  kind        INTEGER NOT NULL DEFAULT 0,
  target      INTEGER,
  emoji       TEXT,
  reaction_on INTEGER,
  reply_to    INTEGER,
  edited_at   INTEGER,
  deleted     INTEGER NOT NULL DEFAULT 0,
  doc_id      INTEGER,
  PRIMARY KEY (thread_id, seq)
) WITHOUT ROWID;
INSERT INTO messages_v11 (thread_id, seq, id, sender, body, ts, client_id, attachments, kind,
    target, emoji, reaction_on, reply_to, edited_at, deleted, doc_id)
  SELECT thread_id, seq, id, sender, body, ts, client_id, attachments, kind,
    target, emoji, reaction_on, reply_to, edited_at, deleted, doc_id
  FROM messages ORDER BY thread_id, seq;
DROP TABLE messages;
ALTER TABLE messages_v11 RENAME TO messages;
CREATE INDEX messages_target ON messages (thread_id, target) WHERE target IS NOT NULL;
CREATE UNIQUE INDEX messages_doc ON messages (doc_id) WHERE doc_id IS NOT NULL;
CREATE UNIQUE INDEX messages_client ON messages (client_id, sender, thread_id)
  WHERE client_id IS NOT NULL;
CREATE VIEW search_content AS SELECT doc_id, body FROM messages WHERE doc_id IS NOT NULL;
