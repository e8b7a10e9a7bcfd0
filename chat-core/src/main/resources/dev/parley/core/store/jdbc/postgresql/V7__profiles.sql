-- Parley store, version 7 (postgresql): profile pictures and "last seen" (issue 18).
-- users.avatar_version names the current picture (null: none); it is part of the picture's URL,
-- so a browser may keep the bytes under one URL for good. The picture itself is small (the
-- server encodes it again at most 256 x 256), so it lives in the database, where every node of a
-- cluster finds it. users.last_seen_at is when the user was last connected (epoch ms): written
-- when a first connection opens and when the last one on a node closes.
ALTER TABLE users ADD COLUMN avatar_version TEXT;
ALTER TABLE users ADD COLUMN last_seen_at BIGINT;

CREATE TABLE avatars (
  user_id      TEXT   NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  version      TEXT   NOT NULL,
  content_type TEXT   NOT NULL,
  data         BYTEA  NOT NULL,
  updated_at   BIGINT NOT NULL
);
