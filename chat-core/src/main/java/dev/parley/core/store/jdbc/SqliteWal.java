package dev.parley.core.store.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Puts a SQLite database file in write-ahead-log mode, once, before the pool opens.
 *
 * <p>A new file starts in rollback-journal mode. Switching it to WAL takes the exclusive lock, and
 * when two openers (two processes, or two stores in one) both hold the shared lock and both try to
 * upgrade, SQLite answers SQLITE_BUSY to one of them at once instead of calling its busy handler,
 * since waiting could deadlock. The busy timeout therefore does not cover this step, so it is
 * retried here, with a short random back-off, for as long as the busy timeout. The mode is stored
 * in the file: once it is WAL, every later connection finds it so and the switch is a no-op that
 * needs no exclusive lock.
 */
final class SqliteWal {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteWal.class);
  private static final long MAX_BACKOFF_MICROS = 5_000;

  private SqliteWal() {
  }

  /**
   * Switches the file behind {@code jdbcUrl} to WAL, waiting for other openers for at most
   * {@code busyTimeoutMillis}. Logs a warning when SQLite keeps another mode (a file system
   * without shared memory, for example).
   */
  static void enable(String jdbcUrl, int busyTimeoutMillis) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("busy_timeout", String.valueOf(busyTimeoutMillis));
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(busyTimeoutMillis);
    try (Connection c = DriverManager.getConnection(jdbcUrl, properties);
         Statement st = c.createStatement()) {
      while (true) {
        try (ResultSet rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
          String mode = rs.next() ? rs.getString(1) : "unknown";
          if (!"wal".equalsIgnoreCase(mode)) {
            LOG.warn("parley-store: SQLite kept journal_mode={} instead of wal", mode);
          }
          return;
        } catch (SQLiteException e) {
          if (!isBusy(e) || System.nanoTime() - deadline > 0) {
            throw e;
          }
          LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(
              ThreadLocalRandom.current().nextLong(100, MAX_BACKOFF_MICROS)));
        }
      }
    }
  }

  private static boolean isBusy(SQLiteException e) {
    SQLiteErrorCode code = e.getResultCode();
    return code != null && code.name().startsWith("SQLITE_BUSY");
  }
}
