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
 * connection, so that the index changes in the same transaction as the message: the batch from
 * the group commit, and, for the thread log's edits and deletions, {@link #remove} <em>before</em>
 * the stored body changes (SQLite's external-content index needs the old text to take it out)
 * and {@link #put} again after an edit. The group commit indexes its new messages with
 * {@link #addNumbered} on SQLite and {@link #add} on PostgreSQL.
 *
 * <p>On SQLite the FTS index knows a message by its document number, {@code messages.doc_id}
 * (messages has no integer rowid). The group commit numbers its new messages before it inserts
 * them ({@link #numbering}), so that the number is written with the row rather than by a second
 * statement.
 */
final class SearchIndex {
  private final Dialect dialect;

  SearchIndex(Dialect dialect) {
    this.dialect = dialect;
  }

  /**
   * The document numbers of one batch's new messages, by their index in the batch; SQLite only.
   * The numbers follow the largest one in use: the transaction already holds the write lock
   * (SQLite has one writer), so no one else can take them.
   */
  static final class Numbering {
    private final long[] ids;
    private long next;

    private Numbering(int size, long first) {
      this.ids = new long[size];
      this.next = first;
    }

    /** Gives the message at {@code index} of the batch the next number, and returns it. */
    long assign(int index) {
      ids[index] = next;
      return next++;
    }

    /** The number of the message at {@code index}, 0 when it got none. */
    long of(int index) {
      return ids[index];
    }
  }

  /** Numbering for a batch of {@code size} messages on SQLite, in its transaction; null on others. */
  Numbering numbering(StatementCache.Statements statements, int size) throws SQLException {
    if (dialect != Dialect.SQLITE) {
      return null;
    }
    return new Numbering(size, nextDocId(statements.prepare(NEXT_DOC_ID_SQL)));
  }

  private static final String NEXT_DOC_ID_SQL =
      "SELECT coalesce(max(doc_id), 0) + 1 FROM messages WHERE doc_id IS NOT NULL";

  private static long nextDocId(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Indexes a message's current text (its row must exist, in this transaction). */
  void put(Connection c, String conversationId, long seq, String body) throws SQLException {
    if (dialect == Dialect.SQLITE) {
      long docId;
      try (PreparedStatement next = c.prepareStatement(NEXT_DOC_ID_SQL)) {
        docId = nextDocId(next);
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE messages SET doc_id = ? WHERE thread_id = ? AND seq = ?")) {
        ps.setLong(1, docId);
        ps.setString(2, conversationId);
        ps.setLong(3, seq);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(INSERT_FTS_SQL)) {
        ps.setLong(1, docId);
        ps.setString(2, body);
        ps.executeUpdate();
      }
    } else {
      try (StatementCache.Statements fresh = StatementCache.none(c)) {
        addToPostgres(fresh, List.of(new Doc(conversationId, seq, body)));
      }
    }
  }

  private static final String INSERT_FTS_SQL = "INSERT INTO search_fts (rowid, body) VALUES (?, ?)";

  /**
   * Indexes the new messages of a batch just inserted (SQLite), with statements from the group
   * commit's {@code statements}: those {@code numbering} numbered, {@code batch} holding each
   * message at its index in the batch (or null).
   */
  void addNumbered(StatementCache.Statements statements, Numbering numbering, List<Message> batch)
      throws SQLException {
    PreparedStatement fts = null;
    for (int i = 0; i < batch.size(); i++) {
      long docId = numbering.of(i);
      if (docId == 0) {
        continue;
      }
      if (fts == null) {
        fts = statements.prepare(INSERT_FTS_SQL);
      }
      fts.setLong(1, docId);
      fts.setString(2, batch.get(i).body());
      fts.addBatch();
    }
    if (fts != null) {
      fts.executeBatch();
    }
  }

  /**
   * Indexes the new messages of a batch just inserted (PostgreSQL), with statements from the group
   * commit's {@code statements}.
   */
  void add(StatementCache.Statements statements, List<Message> fresh) throws SQLException {
    if (!fresh.isEmpty()) {
      addToPostgres(statements,
          fresh.stream().map(m -> new Doc(m.thread(), m.seq(), m.body())).toList());
    }
  }

  /** What the index keeps of a message: where it is and its text. */
  private record Doc(String thread, long seq, String body) {
  }

  private static void addToPostgres(StatementCache.Statements statements, List<Doc> messages)
      throws SQLException {
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

  /**
   * Takes a message out of the index: call it before its body is erased or replaced, in the same
   * transaction. Nothing happens for a message that is not indexed.
   */
  void remove(Connection c, String conversationId, long seq) throws SQLException {
    if (dialect == Dialect.SQLITE) {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO search_fts (search_fts, rowid, body) SELECT 'delete', doc_id, body"
              + " FROM messages WHERE thread_id = ? AND seq = ? AND doc_id IS NOT NULL")) {
        ps.setString(1, conversationId);
        ps.setLong(2, seq);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE messages SET doc_id = NULL WHERE thread_id = ? AND seq = ? AND doc_id IS NOT NULL")) {
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
