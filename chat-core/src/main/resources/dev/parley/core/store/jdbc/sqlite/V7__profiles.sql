-- Parley store, version 7 (sqlite): profile pictures and "last seen" (issue 18); see the
-- postgresql script.
ALTER TABLE users ADD COLUMN avatar_version TEXT;
ALTER TABLE users ADD COLUMN last_seen_at INTEGER;

CREATE TABLE avatars (
  user_id      TEXT    NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  version      TEXT    NOT NULL,
  content_type TEXT    NOT NULL,
  data         BLOB    NOT NULL,
  updated_at   INTEGER NOT NULL
);
