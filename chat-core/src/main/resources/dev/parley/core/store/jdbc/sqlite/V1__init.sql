-- Parley store, version 1 (SQLite).
CREATE TABLE users (
  id            TEXT    NOT NULL PRIMARY KEY,
  username      TEXT    NOT NULL,
  username_lc   TEXT    NOT NULL UNIQUE,
  display_name  TEXT    NOT NULL,
  password_hash TEXT    NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL
);

CREATE TABLE threads (
  id            TEXT    NOT NULL PRIMARY KEY,
  kind          TEXT    NOT NULL,
  title         TEXT,
  creator       TEXT    NOT NULL,
  direct_key    TEXT    UNIQUE,
  created_at    INTEGER NOT NULL,
  last_seq      INTEGER NOT NULL DEFAULT 0,
  last_activity INTEGER NOT NULL
);

CREATE TABLE members (
  thread_id TEXT    NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  user_id   TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  joined_at INTEGER NOT NULL,
  read_seq  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (thread_id, user_id)
);
CREATE INDEX members_user ON members (user_id);

CREATE TABLE messages (
  thread_id   TEXT    NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  id          TEXT    NOT NULL UNIQUE,
  sender      TEXT    NOT NULL,
  body        TEXT    NOT NULL,
  ts          INTEGER NOT NULL,
  client_id   TEXT,
  attachments TEXT,
  PRIMARY KEY (thread_id, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX messages_client ON messages (thread_id, client_id, sender)
  WHERE client_id IS NOT NULL;

CREATE TABLE attachments (
  id           TEXT    NOT NULL PRIMARY KEY,
  uploader     TEXT    NOT NULL,
  content_type TEXT    NOT NULL,
  size         INTEGER NOT NULL,
  filename     TEXT,
  storage_key  TEXT    NOT NULL,
  created_at   INTEGER NOT NULL
);

CREATE TABLE message_attachments (
  attachment_id TEXT NOT NULL,
  thread_id     TEXT NOT NULL,
  PRIMARY KEY (attachment_id, thread_id)
);
