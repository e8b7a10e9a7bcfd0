-- Parley store, version 4 (SQLite): blocking, muting and group admins (issue 16).
-- (Version 3 is the thread log's.)
-- A block is one-way: blocker stops blocked from reaching it (contract 7.4).
CREATE TABLE blocks (
  blocker    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  blocked    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (blocker, blocked)
);
CREATE INDEX blocks_blocked ON blocks (blocked);

-- Roles and mutes belong to a membership: leaving a group drops both.
ALTER TABLE members ADD COLUMN admin INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN muted INTEGER NOT NULL DEFAULT 0;

-- Message search (contract 7.3): an FTS5 index over the bodies, with external content. messages
-- has no integer rowid (WITHOUT ROWID), so search_docs gives each indexed message one, and the
-- search_content view is the FTS table's content. unicode61 with remove_diacritics 2 folds case
-- and diacritics on both sides (Café is found by cafe). Rows are written by SearchIndex in the
-- same transaction as the message.
CREATE TABLE search_docs (
  doc_id    INTEGER PRIMARY KEY,
  thread_id TEXT    NOT NULL,
  seq       INTEGER NOT NULL,
  UNIQUE (thread_id, seq)
);
CREATE VIEW search_content AS
  SELECT d.doc_id AS doc_id, m.body AS body
  FROM search_docs d JOIN messages m ON m.thread_id = d.thread_id AND m.seq = d.seq;
CREATE VIRTUAL TABLE search_fts USING fts5(
  body, content='search_content', content_rowid='doc_id',
  tokenize='unicode61 remove_diacritics 2');
INSERT INTO search_docs (thread_id, seq) SELECT thread_id, seq FROM messages WHERE kind = 0 AND deleted = 0;
INSERT INTO search_fts (search_fts) VALUES ('rebuild');
