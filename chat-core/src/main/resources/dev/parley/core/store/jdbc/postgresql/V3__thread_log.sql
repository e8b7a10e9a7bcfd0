-- Parley store, version 3 (PostgreSQL): the thread log (contract 7.2). Changes to messages
-- (edits, deletions, reactions) are rows of messages too, so they share the thread's seq, its
-- clientId namespace and its replay. kind: 0 message, 1 edited, 2 deleted, 3 reaction; target:
-- the seq a change applies to. A message row holds its current state (body as last edited,
-- edited_at, deleted); deleting erases the body of the message and of its edited entries.
ALTER TABLE messages ADD COLUMN kind INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN target BIGINT;
ALTER TABLE messages ADD COLUMN emoji TEXT;
ALTER TABLE messages ADD COLUMN reaction_on INTEGER;
ALTER TABLE messages ADD COLUMN reply_to BIGINT;
ALTER TABLE messages ADD COLUMN edited_at BIGINT;
ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
CREATE INDEX messages_target ON messages (thread_id, target) WHERE target IS NOT NULL;

-- The current reactions: who reacted to which message with which emoji.
CREATE TABLE reactions (
  thread_id  TEXT   NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  target     BIGINT NOT NULL,
  user_id    TEXT   NOT NULL,
  emoji      TEXT   NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (thread_id, target, user_id, emoji)
);

-- When an attachment lost its last link because the messages showing it were deleted: such
-- attachments (and uploads never posted, after 24 h) are removed, row and file.
ALTER TABLE attachments ADD COLUMN released_at BIGINT;
