-- Parley store, version 2 (PostgreSQL): login sessions and single-use WebSocket tickets.
-- A session's refresh tokens carry its id and a generation; only the current generation may
-- refresh (the one before it for 5 s after a rotation). revoked_at is set once, never cleared.
CREATE TABLE sessions (
  id         TEXT    NOT NULL PRIMARY KEY,
  user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at BIGINT  NOT NULL,
  generation BIGINT  NOT NULL,
  rotated_at BIGINT  NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_revoked ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;

-- Only a hash of each ticket is kept: the table leaks nothing usable.
CREATE TABLE ws_tickets (
  hash             TEXT    NOT NULL PRIMARY KEY,
  user_id          TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  session_id       TEXT,
  token_expires_at BIGINT  NOT NULL,
  expires_at       BIGINT  NOT NULL
);
CREATE INDEX ws_tickets_expiry ON ws_tickets (expires_at);
