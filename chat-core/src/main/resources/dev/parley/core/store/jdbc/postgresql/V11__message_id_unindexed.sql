-- Parley store, version 11 (postgresql): messages without the unique index on id. No query
-- reads messages by id (they are found by thread and seq, by clientId, and by the search index),
-- and ids are made by the server with 80 random bits: the index only cost every insert an
-- entry. Dropping it removes the index; no table is rewritten.
ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_id_key;
