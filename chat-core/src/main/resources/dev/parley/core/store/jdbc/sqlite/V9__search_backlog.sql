-- Parley store, version 9 (SQLite): the search index is filled behind the group commit.
-- FTS5 writes a new segment for every transaction that adds to it, and merges the segments
-- later: added in each group commit, the index cost a third of the WAL frames of a commit of a
-- few messages (BENCHMARKS.md, "Session 17"). A message now gets its
-- document number (messages.doc_id) when it is stored; the index takes in every number above
-- indexed_through in bulk, in a later group commit once due (50 ms, or 1,024 waiting) and
-- before any search.
-- Every number at or below indexed_through is in the index (unless taken out since, which sets
-- doc_id to NULL); every number above it is not yet. New numbers are always above it.
CREATE TABLE search_state (
  id               INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  indexed_through  INTEGER NOT NULL
);
INSERT INTO search_state (id, indexed_through)
  SELECT 1, coalesce(max(doc_id), 0) FROM messages WHERE doc_id IS NOT NULL;
