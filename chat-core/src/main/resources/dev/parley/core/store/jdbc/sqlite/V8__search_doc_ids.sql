-- Parley store, version 8 (SQLite): a message's search document number moves onto its row.
-- search_docs gave each indexed message (messages has no integer rowid) the rowid the FTS index
-- knows it by; its unique index on (thread_id, seq) grew at one end per thread, so every group
-- commit dirtied, and wrote to the WAL, one more leaf per thread in the batch, plus the table's
-- own pages: about a quarter of the frames of a commit of 100 messages over 10 threads
-- (BENCHMARKS.md, Session 12). messages.doc_id is written with the message instead; its index
-- grows at one end only. The numbers stay the same, so the FTS index needs no rebuild.
ALTER TABLE messages ADD COLUMN doc_id INTEGER;
UPDATE messages SET doc_id = d.doc_id
  FROM search_docs d WHERE d.thread_id = messages.thread_id AND d.seq = messages.seq;
CREATE UNIQUE INDEX messages_doc ON messages (doc_id) WHERE doc_id IS NOT NULL;
DROP VIEW search_content;
CREATE VIEW search_content AS SELECT doc_id, body FROM messages WHERE doc_id IS NOT NULL;
DROP TABLE search_docs;
