package dev.parley.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Fresh databases for tests: a SQLite file in its own temp directory, or a fresh schema in the
 * test PostgreSQL ({@code CHAT_TEST_PG_URL}, else {@value #DEFAULT_PG_URL}).
 *
 * <p>When PostgreSQL cannot be reached, {@link #postgres()} fails the test if the environment
 * variable {@code CI} is {@code true}, and otherwise aborts it (skipped) with the reason.
 */
public final class TestDatabases {
  /** The PostgreSQL used when {@code CHAT_TEST_PG_URL} is not set. */
  public static final String DEFAULT_PG_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private TestDatabases() {
  }

  /** A SQLite database file {@code chat.db} in a new temp directory, deleted on close. */
  public static TestDatabase sqlite() {
    try {
      Path dir = Files.createTempDirectory("parley-sqlite-");
      String url = "jdbc:sqlite:" + dir.resolve("chat.db");
      return new Handle(url, () -> deleteTree(dir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The base URL of the test PostgreSQL, without a schema. */
  public static String postgresBaseUrl() {
    String env = System.getenv("CHAT_TEST_PG_URL");
    return env == null || env.isBlank() ? DEFAULT_PG_URL : env;
  }

  /**
   * A URL whose {@code currentSchema} is a new, unique schema {@code t_<random>} (the store creates
   * it); the schema is dropped with CASCADE on close. Fails or skips as described above when
   * PostgreSQL is unreachable.
   */
  public static TestDatabase postgres() {
    String base = postgresBaseUrl();
    requirePostgres(base);
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
        .toLowerCase(Locale.ROOT);
    String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    return new Handle(url, () -> {
      try (Connection c = DriverManager.getConnection(base); Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      } catch (SQLException e) {
        // best effort: a leftover schema only costs space
      }
    });
  }

  /**
   * Checks that PostgreSQL at {@code url} answers: if not, fails when {@code CI=true}, otherwise
   * aborts the test with the reason.
   */
  public static void requirePostgres(String url) {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.execute("SELECT 1");
    } catch (SQLException e) {
      String reason = "PostgreSQL unreachable at " + url.replaceAll("(?i)(password=)[^&]*", "$1***")
          + ": " + e.getMessage();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(reason + " (CI=true: PostgreSQL tests must run)", e);
      }
      Assumptions.abort(reason + " (set CI=true to make this a failure)");
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // best effort
        }
      });
    } catch (IOException e) {
      // best effort
    }
  }

  private record Handle(String url, Runnable cleanup) implements TestDatabase {
    @Override
    public void close() {
      cleanup.run();
    }
  }
}
