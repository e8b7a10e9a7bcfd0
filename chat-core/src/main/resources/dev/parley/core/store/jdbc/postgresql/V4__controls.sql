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
