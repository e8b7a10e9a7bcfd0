-- Parley store, version 5 (sqlite): Web Push and webhooks (issue 17).
-- The VAPID key pair: one row, written by the first node that starts, read by every other.
CREATE TABLE vapid_keys (
  id          INTEGER NOT NULL PRIMARY KEY,
  public_key  TEXT    NOT NULL,
  private_key TEXT    NOT NULL
);

-- A browser's PushSubscription. ord orders a user's subscriptions (the oldest is dropped first).
CREATE TABLE push_subscriptions (
  id         TEXT    NOT NULL PRIMARY KEY,
  user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  endpoint   TEXT    NOT NULL,
  p256dh     TEXT    NOT NULL,
  auth       TEXT    NOT NULL,
  created_at INTEGER  NOT NULL,
  ord        INTEGER  NOT NULL
);
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id, ord);

-- Webhook receivers, by the hash of their URL: since when they exist, and which node holds the
-- lease to deliver to them (one node per cluster in normal operation).
CREATE TABLE webhook_receivers (
  receiver    TEXT    NOT NULL PRIMARY KEY,
  created_at  INTEGER  NOT NULL,
  holder      TEXT,
  lease_until INTEGER  NOT NULL DEFAULT 0
);

-- The last log seq of each thread a receiver has been given (2xx, or a 4xx that is not retried).
-- The queue is the log itself: every entry of a thread above its cursor.
CREATE TABLE webhook_cursors (
  receiver  TEXT    NOT NULL,
  thread_id TEXT    NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  seq       INTEGER  NOT NULL,
  PRIMARY KEY (receiver, thread_id)
);
