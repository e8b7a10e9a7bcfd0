package dev.parley.core.store.jdbc;

import dev.parley.core.search.SearchText;
import dev.parley.protocol.model.Message;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Keeps the search index (contract 7.3) in step with the messages, on the caller's connection and
 * in the caller's transaction: for the thread log's edits and deletions, {@link #remove}
 * <em>before</em> the stored body changes (SQLite's external-content index needs the old text to
 * take it out) and {@link #put} again after an edit.
 *
 * <p>On PostgreSQL the group commit indexes its new messages in its own transaction ({@link
 * #add}).
 *
 * <p>On SQLite the FTS index knows a message by its document number, {@code messages.doc_id}
 * (messages has no integer rowid), and it is filled behind the group commit: FTS5 writes a new
 * segment for every transaction that adds to it, which cost a third of the WAL frames of a
 * commit of a few messages. The group commit numbers its new messages ({@link #numbering}) and
 * writes the number with the row; {@link #catchUp} adds every number above
 * {@code search_state.indexed_through} in one go: inside a group commit's transaction once it is
 * due ({@link #dueInNanos}: 50 ms after the first number waiting, or once 1,024 wait), and in a
 * transaction of its own before every search that finds it {@link #behind}, so a search still
 * finds every message stored before it started. (Numbers that wait while no message comes wait
 * for the next batch or search, or the next start.) Numbers at or below {@code indexed_through} are in the index, numbers above
 * it are not yet; new numbers are always above it.
 */
final class SearchIndex {
  /** A number waits at most this long for the group commit's catch-up. */
  static final long CATCH_UP_DELAY_NANOS = 50_000_000L;
  /** Or until this many wait. */
  static final long CATCH_UP_DOCS = 1024;

  private final Dialect dialect;
  /** SQLite: what is numbered and what is indexed, as far as this store knows. */
  private final Backlog backlog = new Backlog();

  SearchIndex(Dialect dialect) {
    this.dialect = dialect;
  }

  /**
   * The document numbers of one batch's new messages; SQLite only. The numbers follow the largest
   * one in use or indexed: the transaction already holds the write lock (SQLite has one writer),
   * so no one else can take them.
   */
  final class Numbering {
    private long next;

    private Numbering(long first) {
      this.next = first;
    }

    /** Gives the next message of the batch the next number, and returns it. */
    long assign() {
      backlog.numbered(next);
      return next++;
    }
  }

  /** Numbering for a batch on SQLite, in its transaction; null on others. */
  Numbering numbering(StatementCache.Statements statements) throws SQLException {
    if (dialect != Dialect.SQLITE) {
      return null;
    }
    return new Numbering(nextDocId(statements.prepare(NEXT_DOC_ID_SQL)));
  }

  /** Above every number in use and every number the index has seen (one may have been taken out). */
  private static final String NEXT_DOC_ID_SQL =
      "SELECT max(coalesce((SELECT max(doc_id) FROM messages WHERE doc_id IS NOT NULL), 0),"
          + " (SELECT indexed_through FROM search_state)) + 1";

  private static long nextDocId(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Indexes a message's current text (its row must exist, in this transaction); on SQLite it gets
   * a new number and waits for the next catch-up.
   */
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
      backlog.numbered(docId); // the text goes in with the next catch-up
    } else {
      try (StatementCache.Statements fresh = StatementCache.none(c)) {
        addToPostgres(fresh, List.of(new Doc(conversationId, seq, body)));
      }
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
   * transaction. Nothing happens for a message that is not indexed; one still waiting for the
   * catch-up (SQLite) loses its number, so the catch-up skips it.
   */
  void remove(Connection c, String conversationId, long seq) throws SQLException {
    if (dialect == Dialect.SQLITE) {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO search_fts (search_fts, rowid, body) SELECT 'delete', doc_id, body"
              + " FROM messages WHERE thread_id = ? AND seq = ? AND doc_id IS NOT NULL"
              + " AND doc_id <= (SELECT indexed_through FROM search_state)")) {
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

  /**
   * Whether a search must first {@link #catchUp}: some number may not be in the index yet (also
   * when this store has not looked since it opened). Always false on PostgreSQL.
   */
  boolean behind() {
    return dialect == Dialect.SQLITE && backlog.behind();
  }

  /**
   * Nanoseconds until the group commit should {@link #catchUp} (0: now), {@link Long#MAX_VALUE}
   * when nothing waits.
   */
  long dueInNanos() {
    return dialect == Dialect.SQLITE ? backlog.dueInNanos(System.nanoTime()) : Long.MAX_VALUE;
  }

  /**
   * Adds every message numbered above {@code indexed_through} to the index, in the caller's write
   * transaction (which holds SQLite's one write lock, so every number given so far belongs to a
   * transaction that has committed or rolled back). Returns how many it added. If the
   * transaction then does not commit, call {@link #catchUpFailed}.
   */
  int catchUp(Connection c) throws SQLException {
    long indexed;
    long newest;
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT indexed_through, (SELECT coalesce(max(doc_id), 0) FROM messages WHERE doc_id IS NOT NULL)"
            + " FROM search_state")) {
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        indexed = rs.getLong(1);
        newest = rs.getLong(2);
      }
    }
    int added = 0;
    if (newest > indexed) {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO search_fts (rowid, body) SELECT doc_id, body FROM messages"
              + " WHERE doc_id > ? ORDER BY doc_id")) {
        ps.setLong(1, indexed);
        added = ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE search_state SET indexed_through = ?")) {
        ps.setLong(1, newest);
        ps.executeUpdate();
      }
    }
    backlog.caughtUp(Math.max(indexed, newest));
    return added;
  }

  /** After a {@link #catchUp} whose transaction did not commit: nothing is known any more. */
  void catchUpFailed() {
    backlog.unknown();
  }

  /**
   * What this store has numbered and indexed. Numbers are noted inside the write transaction that
   * gives them, the catch-up inside its own: under SQLite's write lock, so a catch-up sees every
   * number noted before it. A number of a transaction that rolled back is forgotten at the next
   * catch-up.
   */
  private static final class Backlog {
    private boolean known;
    private long numberedThrough;
    private long indexedThrough;
    private long waitingSince;

    synchronized void numbered(long docId) {
      if (docId > numberedThrough) {
        if (numberedThrough <= indexedThrough) {
          waitingSince = System.nanoTime();
        }
        numberedThrough = docId;
      }
    }

    synchronized boolean behind() {
      return !known || numberedThrough > indexedThrough;
    }

    synchronized long dueInNanos(long now) {
      if (!known || numberedThrough - indexedThrough >= CATCH_UP_DOCS) {
        return 0;
      }
      if (numberedThrough <= indexedThrough) {
        return Long.MAX_VALUE;
      }
      return Math.max(0, waitingSince + CATCH_UP_DELAY_NANOS - now);
    }

    synchronized void caughtUp(long through) {
      known = true;
      indexedThrough = through;
      numberedThrough = through;
    }

    synchronized void unknown() {
      known = false;
    }
  }
}
