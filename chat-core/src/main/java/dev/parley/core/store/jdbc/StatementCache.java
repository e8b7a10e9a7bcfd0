package dev.parley.core.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteConnection;

/**
 * Compiled statements kept per physical SQLite connection, for the statements the group commit
 * runs in every batch. sqlite-jdbc compiles every {@code prepareStatement} anew and HikariCP
 * caches none: in scenario B (BENCHMARKS.md) compiling the batch's few statements took 8 % of
 * the commit thread. Other drivers get a fresh statement each time (PostgreSQL's driver keeps
 * its own server-side cache).
 *
 * <p>Statements are compiled on the physical connection, unwrapped from the pool's proxy, so the
 * pool does not close them when the connection goes back to it; they close with the connection,
 * and {@link #forget} closes them earlier (after a failed transaction, whose statements may be
 * left mid-way). A connection is used by one thread at a time, and so are its statements.
 *
 * <p>Two caches use this class: the group commit's, and the one for the few reads every
 * WebSocket handshake makes (the account and the user's threads: compiling them anew took a
 * quarter of the handshake's time on the worker threads, BENCHMARKS.md "Session 18"). Only a
 * fixed set of statements goes through a cache, never SQL built per call.
 *
 * <p>A connection the group commit writes with also gets a larger page cache,
 * {@link #WRITER_PAGE_CACHE_KIB}, the first time it is used here. With SQLite's default of 2 MiB
 * per connection, the pages a commit touches (the end of each busy thread in the messages table
 * and its indexes, the search index's newest segments) did not stay cached: in scenario B
 * (BENCHMARKS.md) every commit read 16 pages back with {@code pread}; with this cache 1.5. The
 * memory is taken only as pages are read, and only on the connections the group commit uses
 * (usually one: the pool hands a thread back the connection it used last).
 */
final class StatementCache {
  /** The page cache of a connection the group commit uses, in KiB. */
  static final int WRITER_PAGE_CACHE_KIB = 32 * 1024;

  private final Map<SQLiteConnection, Map<String, PreparedStatement>> byConnection =
      new IdentityHashMap<>();
  private final boolean enlargesPageCache;

  /** The group commit's cache, which gives its connections {@link #WRITER_PAGE_CACHE_KIB}. */
  static StatementCache forWriter() {
    return new StatementCache(true);
  }

  /** A cache for reads, which leaves the connections' page cache as it is. */
  static StatementCache forReads() {
    return new StatementCache(false);
  }

  private StatementCache(boolean enlargesPageCache) {
    this.enlargesPageCache = enlargesPageCache;
  }

  /** The statements of one piece of work on {@code c}; close it when the work is done. */
  Statements on(Connection c) throws SQLException {
    if (!c.isWrapperFor(SQLiteConnection.class)) {
      return none(c);
    }
    SQLiteConnection physical = c.unwrap(SQLiteConnection.class);
    synchronized (byConnection) {
      Map<String, PreparedStatement> cached = byConnection.get(physical);
      if (cached == null) {
        dropClosedConnections();
        if (enlargesPageCache) {
          enlargePageCache(physical);
        }
        cached = new HashMap<>();
        byConnection.put(physical, cached);
      }
      return new Statements(physical, cached);
    }
  }

  private static void enlargePageCache(SQLiteConnection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA cache_size = -" + WRITER_PAGE_CACHE_KIB); // negative: KiB, not pages
    }
  }

  /** Fresh statements on {@code c}, none kept: for work that runs too seldom to keep them. */
  static Statements none(Connection c) {
    return new Statements(c, null);
  }

  /** Closes what is kept for {@code c}: the next use compiles its statements again. */
  void forget(Connection c) {
    Map<String, PreparedStatement> cached;
    try {
      if (!c.isWrapperFor(SQLiteConnection.class)) {
        return;
      }
      SQLiteConnection physical = c.unwrap(SQLiteConnection.class);
      synchronized (byConnection) {
        cached = byConnection.remove(physical);
      }
    } catch (SQLException e) {
      return; // not a connection this cache could have kept anything for
    }
    if (cached != null) {
      closeAll(cached.values());
    }
  }

  /** Closes every kept statement (the store is closing). */
  void clear() {
    List<PreparedStatement> all = new ArrayList<>();
    synchronized (byConnection) {
      byConnection.values().forEach(cached -> all.addAll(cached.values()));
      byConnection.clear();
    }
    closeAll(all);
  }

  /** How many connections have statements kept (for tests). */
  int connections() {
    synchronized (byConnection) {
      return byConnection.size();
    }
  }

  /** Called under the lock when a connection is new: the pool may have retired others. */
  private void dropClosedConnections() {
    List<SQLiteConnection> closed = new ArrayList<>();
    for (SQLiteConnection kept : byConnection.keySet()) {
      if (isClosed(kept)) {
        closed.add(kept);
      }
    }
    for (SQLiteConnection gone : closed) {
      byConnection.remove(gone); // their statements were finalized with the connection
    }
  }

  private static boolean isClosed(Connection c) {
    try {
      return c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  private static void closeAll(Iterable<PreparedStatement> statements) {
    for (PreparedStatement ps : statements) {
      try {
        ps.close();
      } catch (SQLException ignored) {
        // closing a statement of a connection that is already gone
      }
    }
  }

  /**
   * Hands out statements for one piece of work: kept ones (not to be closed by the caller) or,
   * where nothing is kept, fresh ones that {@link #close} closes.
   */
  static final class Statements implements AutoCloseable {
    private final Connection connection;
    private final Map<String, PreparedStatement> cached;
    private List<PreparedStatement> fresh;

    private Statements(Connection connection, Map<String, PreparedStatement> cached) {
      this.connection = connection;
      this.cached = cached;
    }

    /** A statement for {@code sql}, with no parameters or batch left from an earlier use. */
    PreparedStatement prepare(String sql) throws SQLException {
      if (cached == null) {
        PreparedStatement ps = connection.prepareStatement(sql);
        if (fresh == null) {
          fresh = new ArrayList<>(4);
        }
        fresh.add(ps);
        return ps;
      }
      PreparedStatement ps = cached.get(sql);
      if (ps == null || ps.isClosed()) {
        ps = connection.prepareStatement(sql);
        cached.put(sql, ps);
      } else {
        ps.clearBatch();
        ps.clearParameters();
      }
      return ps;
    }

    @Override
    public void close() {
      if (fresh != null) {
        closeAll(fresh);
      }
    }
  }
}
