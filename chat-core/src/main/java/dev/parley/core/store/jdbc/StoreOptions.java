package dev.parley.core.store.jdbc;

import dev.parley.core.LogSafe;
import java.util.Objects;

/**
 * How {@link JdbcChatStore#open} reaches its database.
 *
 * @param jdbcUrl {@code jdbc:sqlite:<path>} or {@code jdbc:postgresql://...} (a
 *     {@code currentSchema=} parameter names a schema that is created if missing)
 * @param poolSize the maximum number of pooled connections, at least 1
 * @param connectionTimeoutMillis how long a caller waits for a pooled connection (at least 250)
 */
public record StoreOptions(String jdbcUrl, int poolSize, long connectionTimeoutMillis) {
  /** Pool size used by {@link #of} for SQLite: WAL lets readers run beside the one writer. */
  public static final int DEFAULT_SQLITE_POOL_SIZE = 4;
  /** Pool size used by {@link #of} for PostgreSQL. */
  public static final int DEFAULT_POSTGRES_POOL_SIZE = 10;
  /** Connection timeout used by {@link #of}. */
  public static final long DEFAULT_CONNECTION_TIMEOUT_MILLIS = 5_000;

  public StoreOptions {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Dialect.of(jdbcUrl); // validates the URL's kind
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be at least 1: " + poolSize);
    }
    if (connectionTimeoutMillis < 250) {
      throw new IllegalArgumentException(
          "connectionTimeoutMillis must be at least 250: " + connectionTimeoutMillis);
    }
  }

  /** Options with the defaults for the URL's database kind. */
  public static StoreOptions of(String jdbcUrl) {
    int pool = Dialect.of(jdbcUrl) == Dialect.SQLITE
        ? DEFAULT_SQLITE_POOL_SIZE : DEFAULT_POSTGRES_POOL_SIZE;
    return new StoreOptions(jdbcUrl, pool, DEFAULT_CONNECTION_TIMEOUT_MILLIS);
  }

  public StoreOptions withPoolSize(int size) {
    return new StoreOptions(jdbcUrl, size, connectionTimeoutMillis);
  }

  public StoreOptions withConnectionTimeoutMillis(long millis) {
    return new StoreOptions(jdbcUrl, poolSize, millis);
  }

  /** The URL with any password masked, for logs and error messages. */
  public String safeUrl() {
    return LogSafe.url(jdbcUrl);
  }

  @Override
  public String toString() {
    return "StoreOptions[jdbcUrl=" + safeUrl() + ", poolSize=" + poolSize
        + ", connectionTimeoutMillis=" + connectionTimeoutMillis + "]";
  }

}
