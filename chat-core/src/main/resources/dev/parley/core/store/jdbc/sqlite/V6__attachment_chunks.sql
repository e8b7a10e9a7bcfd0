-- Parley store, version 6 (sqlite): attachment bytes in the database (issue 20); see the
-- postgresql script. On one node this is optional (--attachments=database); the default keeps
-- files on disk.
CREATE TABLE attachment_blobs (
  blob_key   TEXT    NOT NULL PRIMARY KEY,
  size       INTEGER NOT NULL DEFAULT 0,
  chunk_size INTEGER NOT NULL,
  complete   INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX attachment_blobs_unfinished ON attachment_blobs (created_at) WHERE complete = 0;

CREATE TABLE attachment_chunks (
  blob_key TEXT    NOT NULL REFERENCES attachment_blobs (blob_key) ON DELETE CASCADE,
  n        INTEGER NOT NULL,
  data     BLOB    NOT NULL,
  PRIMARY KEY (blob_key, n)
);
