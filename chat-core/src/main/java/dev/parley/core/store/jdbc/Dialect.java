package dev.parley.core.store.jdbc;

import dev.parley.core.LogSafe;
import com.zaxxer.hikari.HikariConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** What differs between SQLite and PostgreSQL; everything else is shared SQL. */
enum Dialect {
  SQLITE("sqlite", "org.sqlite.JDBC") {
    @Override
    void configure(HikariConfig config) {
      SQLiteConfig sqlite = new SQLiteConfig();
      // no journal_mode here: beforePool has made the file WAL, a mode kept in the file itself
      if (!hasQueryParameter(config.getJdbcUrl(), "synchronous")) {
        // an fsync per commit: an ack survives power loss, not only a crash of the process.
        // A URL with synchronous=NORMAL trades that for speed (still safe against kill -9).
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
      }
      sqlite.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MILLIS);
      sqlite.enforceForeignKeys(true);
      // deleting erases (contract 7.2): freed content is overwritten, not left in free pages
      sqlite.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
      // write transactions take the write lock at BEGIN: no deadlocked lock upgrades, and
      // concurrent writers wait (busy_timeout) instead of failing with SQLITE_BUSY.
      sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
      config.setDataSourceProperties(sqlite.toProperties());
      // checkpoints run in the background (SqliteCheckpointer), not inside a group commit
      config.setConnectionInitSql("PRAGMA wal_autocheckpoint = " + SqliteCheckpointer.BACKSTOP_PAGES);
    }

    @Override
    void beforePool(String jdbcUrl) {
      Path file = sqliteFile(jdbcUrl);
      if (file == null) {
        return;
      }
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        try {
          Files.createDirectories(parent);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot create the directory of " + file, e);
        }
      }
      try {
        SqliteWal.enable(jdbcUrl, SQLITE_BUSY_TIMEOUT_MILLIS);
      } catch (SQLException e) {
        throw new IllegalStateException("cannot put " + file + " in WAL mode: " + e.getMessage(), e);
      }
    }

    @Override
    boolean isUniqueViolation(SQLException e) {
      return hasSqliteCode(e, SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed")
          || hasSqliteCode(e, SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY, "PRIMARY KEY constraint");
    }

    @Override
    boolean isForeignKeyViolation(SQLException e) {
      return hasSqliteCode(e, SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY, "FOREIGN KEY constraint");
    }

    @Override
    String lockThreadSql() {
      return null; // the IMMEDIATE write transaction already excludes other writers
    }

    @Override
    String clientIndexHint() {
      // without statistics SQLite's planner may walk the thread's whole primary key instead
      return " INDEXED BY messages_client";
    }
  },

  POSTGRESQL("postgresql", "org.postgresql.Driver") {
    @Override
    void configure(HikariConfig config) {
      // a network that drops packets silently must fail a batch (its senders get "unavailable"
      // and may retry) rather than hold the commit thread until the kernel gives up on TCP
      String url = config.getJdbcUrl();
      if (!hasQueryParameter(url, "socketTimeout")) {
        config.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT_SECONDS));
      }
      if (!hasQueryParameter(url, "connectTimeout")) {
        config.addDataSourceProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
      }
    }

    @Override
    void prepare(Connection connection, String jdbcUrl) throws SQLException {
      String schema = postgresSchema(jdbcUrl);
      if (schema != null) {
        try (Statement st = connection.createStatement()) {
          st.execute("CREATE SCHEMA IF NOT EXISTS " + quoteIdentifier(schema));
        }
      }
    }

    @Override
    void lockMigrations(Connection connection) throws SQLException {
      try (Statement st = connection.createStatement()) {
        st.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
      }
    }

    @Override
    void unlockMigrations(Connection connection) throws SQLException {
      try (Statement st = connection.createStatement()) {
        st.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
      }
    }

    @Override
    boolean isUniqueViolation(SQLException e) {
      return hasSqlState(e, "23505");
    }

    @Override
    boolean isForeignKeyViolation(SQLException e) {
      return hasSqlState(e, "23503");
    }

    @Override
    String lockThreadSql() {
      return "SELECT last_seq FROM threads WHERE id = ? FOR UPDATE";
    }

    @Override
    String clientIndexHint() {
      return "";
    }
  };

  /** How long a SQLite connection waits for another connection's lock. */
  static final int SQLITE_BUSY_TIMEOUT_MILLIS = 10_000;

  /** PostgreSQL's read timeout unless the URL sets {@code socketTimeout}: no query of ours runs this long. */
  static final int SOCKET_TIMEOUT_SECONDS = 30;
  /** PostgreSQL's connect timeout unless the URL sets {@code connectTimeout}. */
  static final int CONNECT_TIMEOUT_SECONDS = 10;

  /** The advisory lock key held while migrating ("parley" in ASCII). */
  private static final long MIGRATION_LOCK = 0x7061726c6579L;

  private final String resourceDir;
  private final String driverClass;

  Dialect(String resourceDir, String driverClass) {
    this.resourceDir = resourceDir;
    this.driverClass = driverClass;
  }

  static Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException(
        "unsupported JDBC URL (use jdbc:sqlite:... or jdbc:postgresql://...): "
            + LogSafe.url(jdbcUrl));
  }

  /** The classpath folder holding this dialect's migration scripts. */
  String resourceDir() {
    return "/dev/parley/core/store/jdbc/" + resourceDir + "/";
  }

  String driverClass() {
    return driverClass;
  }

  /** Adds the dialect's connection settings to the pool configuration. */
  abstract void configure(HikariConfig config);

  /** Work needed before the first connection is opened (SQLite: the file's directory). */
  void beforePool(String jdbcUrl) {
  }

  /** Work needed before migrating, on the migration connection (PostgreSQL: the schema). */
  void prepare(Connection connection, String jdbcUrl) throws SQLException {
  }

  /** Excludes other processes from migrating at the same time. */
  void lockMigrations(Connection connection) throws SQLException {
  }

  void unlockMigrations(Connection connection) throws SQLException {
  }

  abstract boolean isUniqueViolation(SQLException e);

  abstract boolean isForeignKeyViolation(SQLException e);

  /**
   * A statement taking the thread row's write lock inside a transaction (one parameter: the
   * thread id), or null when the transaction already holds the database's write lock.
   */
  abstract String lockThreadSql();

  /**
   * What follows {@code FROM messages} in the clientId lookup to make it use the
   * {@code messages_client} index (empty when the planner can be trusted to).
   */
  abstract String clientIndexHint();

  // ---- helpers ---------------------------------------------------------------------------------

  /** The database file of a SQLite URL, or null for in-memory databases. */
  static Path sqliteFile(String jdbcUrl) {
    String rest = jdbcUrl.substring("jdbc:sqlite:".length());
    if (rest.startsWith("file:")) {
      rest = rest.substring("file:".length());
    }
    int query = rest.indexOf('?');
    if (query >= 0) {
      rest = rest.substring(0, query);
    }
    if (rest.isEmpty() || rest.startsWith(":memory:") || rest.contains("mode=memory")) {
      return null;
    }
    return Path.of(rest);
  }

  /** The first schema named by {@code currentSchema=} in a PostgreSQL URL, or null. */
  static String postgresSchema(String jdbcUrl) {
    int query = jdbcUrl.indexOf('?');
    if (query < 0) {
      return null;
    }
    for (String param : jdbcUrl.substring(query + 1).split("&")) {
      int eq = param.indexOf('=');
      if (eq > 0 && param.substring(0, eq).equalsIgnoreCase("currentSchema")) {
        String value = URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
        String first = value.split(",")[0].trim();
        return first.isEmpty() ? null : first;
      }
    }
    return null;
  }

  /** Whether a JDBC URL's query string names the parameter (case-insensitive). */
  static boolean hasQueryParameter(String jdbcUrl, String name) {
    int query = jdbcUrl.indexOf('?');
    if (query < 0) {
      return false;
    }
    for (String param : jdbcUrl.substring(query + 1).split("&")) {
      int eq = param.indexOf('=');
      String key = eq < 0 ? param : param.substring(0, eq);
      if (key.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  static String quoteIdentifier(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  private static boolean hasSqlState(SQLException e, String state) {
    Throwable t = e;
    for (int i = 0; t != null && i < 10; i++, t = next(t)) {
      if (t instanceof SQLException s && state.equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasSqliteCode(SQLException e, SQLiteErrorCode code, String text) {
    Throwable t = e;
    for (int i = 0; t != null && i < 10; i++, t = next(t)) {
      if (t instanceof SQLiteException s && s.getResultCode() == code) {
        return true;
      }
      if (t.getMessage() != null && t.getMessage().contains(text)) {
        return true;
      }
    }
    return false;
  }

  private static Throwable next(Throwable t) {
    if (t instanceof SQLException s && s.getNextException() != null && s.getNextException() != t) {
      return s.getNextException();
    }
    return t.getCause() == t ? null : t.getCause();
  }
}
