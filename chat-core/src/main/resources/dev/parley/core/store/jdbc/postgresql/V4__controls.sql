-- Parley store, version 4 (PostgreSQL): blocking, muting and group admins (issue 16).
-- (Version 3 is the thread log's.)
-- A block is one-way: blocker stops blocked from reaching it (contract 7.4).
CREATE TABLE blocks (
  blocker    TEXT   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  blocked    TEXT   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (blocker, blocked)
);
CREATE INDEX blocks_blocked ON blocks (blocked);

-- Roles and mutes belong to a membership: leaving a group drops both.
ALTER TABLE members ADD COLUMN admin BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE members ADD COLUMN muted BOOLEAN NOT NULL DEFAULT FALSE;

-- Message search (contract 7.3): a tsvector per message over its words as SearchText normalises
-- them in Java (lower case, diacritics removed, runs of letters and digits), so both dialects
-- agree on what a word is; the 'simple' configuration adds no stemming. Rows are written by
-- SearchIndex in the same transaction as the message. Messages stored before this version are
-- indexed by lower case only (no Java here to remove their diacritics).
CREATE TABLE message_search (
  thread_id TEXT     NOT NULL,
  seq       BIGINT   NOT NULL,
  words     TSVECTOR NOT NULL,
  PRIMARY KEY (thread_id, seq)
);
CREATE INDEX message_search_words ON message_search USING GIN (words);
INSERT INTO message_search (thread_id, seq, words)
  SELECT thread_id, seq, to_tsvector('simple', lower(body)) FROM messages WHERE kind = 0 AND deleted = 0;
