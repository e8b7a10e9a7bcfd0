package dev.parley.core.store.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints a SQLite write-ahead log in the background. Left to itself SQLite checkpoints inside
 * the commit that pushes the log past its threshold: that commit copies a thousand pages into the
 * database file and fsyncs it, and every message of its group commit waits (the tail of the send
 * to ack latency). Here a daemon thread runs a {@code PASSIVE} checkpoint, which never blocks the
 * writer, every {@link #INTERVAL_MILLIS}; the writers' own threshold is raised to
 * {@link #BACKSTOP_PAGES} so that it only fires if this thread falls far behind.
 */
final class SqliteCheckpointer implements AutoCloseable {
  /** How often the log is checkpointed. */
  static final long INTERVAL_MILLIS = 200;
  /** The writers' {@code wal_autocheckpoint}: a backstop, about 40 MiB of log. */
  static final int BACKSTOP_PAGES = 10_000;

  private static final Logger log = LoggerFactory.getLogger(SqliteCheckpointer.class);

  private final DataSource dataSource;
  private final Thread thread;
  private final Object lock = new Object();
  private boolean stopped;
  private long checkpoints;

  private SqliteCheckpointer(DataSource dataSource) {
    this.dataSource = dataSource;
    this.thread = new Thread(this::run, "parley-checkpoint");
    this.thread.setDaemon(true);
  }

  static SqliteCheckpointer start(DataSource dataSource) {
    SqliteCheckpointer c = new SqliteCheckpointer(dataSource);
    c.thread.start();
    return c;
  }

  /** Checkpoints run so far (for tests). */
  long checkpoints() {
    synchronized (lock) {
      return checkpoints;
    }
  }

  private void run() {
    boolean warned = false;
    while (waitInterval()) {
      try {
        checkpoint();
        warned = false;
      } catch (SQLException | RuntimeException e) {
        if (!warned) {
          log.warn("background WAL checkpoint failed (will retry): {}", e.toString());
          warned = true;
        }
      }
    }
  }

  private boolean waitInterval() {
    synchronized (lock) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS);
      while (!stopped) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return true;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return false;
    }
  }

  private void checkpoint() throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
      if (rs.next() && log.isTraceEnabled()) {
        log.trace("checkpoint: busy={} log={} checkpointed={}", rs.getInt(1), rs.getInt(2),
            rs.getInt(3));
      }
    }
    synchronized (lock) {
      checkpoints++;
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      stopped = true;
      lock.notifyAll();
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
