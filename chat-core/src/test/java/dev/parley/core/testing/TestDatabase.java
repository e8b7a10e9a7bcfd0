package dev.parley.core.testing;

/**
 * A database handed out to one test: its JDBC URL, and {@link #close()} to throw it away (the
 * SQLite temp directory, or the PostgreSQL schema).
 */
public interface TestDatabase extends AutoCloseable {
  /** The JDBC URL to give the store. */
  String url();

  /** Removes the database; never throws. */
  @Override
  void close();
}
