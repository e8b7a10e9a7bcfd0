-- Parley store, version 6 (postgresql): attachment bytes in the database (issue 20), so that any
-- node of a cluster serves any attachment without a shared file system. A blob is written chunk by
-- chunk as its upload arrives and becomes readable once complete; an unfinished one is swept.
CREATE TABLE attachment_blobs (
  blob_key   TEXT     NOT NULL PRIMARY KEY,
  size       BIGINT   NOT NULL DEFAULT 0,
  chunk_size INTEGER  NOT NULL,
  complete   SMALLINT NOT NULL DEFAULT 0,
  created_at BIGINT   NOT NULL
);
CREATE INDEX attachment_blobs_unfinished ON attachment_blobs (created_at) WHERE complete = 0;

-- The bytes, in chunks of chunk_size (the last one shorter), numbered from 0.
CREATE TABLE attachment_chunks (
  blob_key TEXT    NOT NULL REFERENCES attachment_blobs (blob_key) ON DELETE CASCADE,
  n        INTEGER NOT NULL,
  data     BYTEA   NOT NULL,
  PRIMARY KEY (blob_key, n)
);
-- chunks are read and written one at a time: no need to compress what uploads already compress
ALTER TABLE attachment_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
