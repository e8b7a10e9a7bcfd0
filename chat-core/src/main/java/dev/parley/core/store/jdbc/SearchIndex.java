package dev.parley.core.store.jdbc;

import dev.parley.core.search.SearchText;
import dev.parley.protocol.model.Message;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Keeps the search index (contract 7.3) in step with the messages, always on the caller's
 * connection, so that the index changes in the same transaction as the message: {@link #add} from
 * the group commit, and, for the thread log's edits and deletions, {@link #remove} <em>before</em>
 * the stored body changes (SQLite's external-content index needs the old text to take it out)
 * and {@link #add} again after an edit. {@link #reindex} does both around an edit.
 */
final class SearchIndex {
  private final Dialect dialect;

  SearchIndex(Dialect dialect) {
    this.dialect = dialect;
  }

  /** Indexes a message's current text (its row must exist, in this transaction). */
  void put(Connection c, String conversationId, long seq, String body) throws SQLException {
    try (StatementCache.Statements fresh = StatementCache.none(c)) {
      add(c, fresh, List.of(new Doc(conversationId, seq, body)));
    }
  }

  /**
   * Indexes messages just inserted on {@code c} (their rows must exist, in this transaction), with
   * statements from the group commit's {@code statements}.
   */
  void add(Connection c, StatementCache.Statements statements, List<Message> messages)
      throws SQLException {
    if (messages.isEmpty()) {
      return;
    }
    add(c, statements, messages.stream().map(m -> new Doc(m.thread(), m.seq(), m.body())).toList());
  }

  /** What the index keeps of a message: where it is and its text. */
  private record Doc(String thread, long seq, String body) {
  }

  private void add(Connection c, StatementCache.Statements statements,
                   java.util.Collection<Doc> messages) throws SQLException {
    if (dialect == Dialect.SQLITE) {
      // the batch's doc ids follow the largest one: the transaction already holds the write
      // lock (its messages are in), so no one else can take them. One look-up and two batches
      // instead of an INSERT ... RETURNING and its result set per message.
      long next;
      try (ResultSet rs = statements.prepare("SELECT coalesce(max(doc_id), 0) FROM search_docs")
          .executeQuery()) {
        rs.next();
        next = rs.getLong(1) + 1;
      }
      PreparedStatement doc = statements.prepare(
          "INSERT INTO search_docs (doc_id, thread_id, seq) VALUES (?, ?, ?)");
      PreparedStatement fts = statements.prepare("INSERT INTO search_fts (rowid, body) VALUES (?, ?)");
      for (Doc m : messages) {
        long docId = next++;
        doc.setLong(1, docId);
        doc.setString(2, m.thread());
        doc.setLong(3, m.seq());
        doc.addBatch();
        fts.setLong(1, docId);
        fts.setString(2, m.body());
        fts.addBatch();
      }
      doc.executeBatch();
      fts.executeBatch();
    } else {
      PreparedStatement ps = statements.prepare(
          "INSERT INTO message_search (thread_id, seq, words) VALUES (?, ?, to_tsvector('simple', ?))");
      for (Doc m : messages) {
        ps.setString(1, m.thread());
        ps.setLong(2, m.seq());
        ps.setString(3, SearchText.normalised(m.body()));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Takes a message out of the index: call it before its body is erased or replaced, in the same
   * transaction. Nothing happens for a message that is not indexed.
   */
  void remove(Connection c, String conversationId, long seq) throws SQLException {
    if (dialect == Dialect.SQLITE) {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO search_fts (search_fts, rowid, body) SELECT 'delete', doc_id, body"
              + " FROM search_content WHERE doc_id ="
              + " (SELECT doc_id FROM search_docs WHERE thread_id = ? AND seq = ?)")) {
        ps.setString(1, conversationId);
        ps.setLong(2, seq);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM search_docs WHERE thread_id = ? AND seq = ?")) {
        ps.setString(1, conversationId);
        ps.setLong(2, seq);
        ps.executeUpdate();
      }
    } else {
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM message_search WHERE thread_id = ? AND seq = ?")) {
        ps.setString(1, conversationId);
        ps.setLong(2, seq);
        ps.executeUpdate();
      }
    }
  }

}
