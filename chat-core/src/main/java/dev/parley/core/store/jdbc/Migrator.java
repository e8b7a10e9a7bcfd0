package dev.parley.core.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned SQL scripts of a dialect in order, each in its own transaction, recording
 * each in {@code schema_version}. Idempotent; on PostgreSQL an advisory lock keeps two nodes that
 * start at once from migrating together.
 */
final class Migrator {
  private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

  /**
   * The migration scripts, in order of version; the version is the number after the {@code V}.
   * Versions may have gaps while branches that took the numbers between are not merged yet: each
   * version is applied unless it is recorded, so a database that has V5 still gets V3 later.
   */
  static final List<String> SCRIPTS = List.of("V1__init.sql", "V2__sessions.sql",
      "V3__thread_log.sql", "V4__controls.sql", "V5__notifications.sql",
      "V6__attachment_chunks.sql", "V7__profiles.sql", "V8__search_doc_ids.sql",
      "V9__search_backlog.sql", "V10__client_index_order.sql",
      "V11__message_id_unindexed.sql");

  private final Dialect dialect;
  private final String jdbcUrl;

  Migrator(Dialect dialect, String jdbcUrl) {
    this.dialect = dialect;
    this.jdbcUrl = jdbcUrl;
  }

  /** Brings the schema up to date; returns the version it is at afterwards. */
  int migrate(Connection c) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(true);
    dialect.lockMigrations(c);
    try {
      dialect.prepare(c, jdbcUrl);
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      }
      int version = 0;
      for (String script : SCRIPTS) {
        version = Math.max(version, apply(c, versionOf(script), script));
      }
      return version;
    } finally {
      try {
        dialect.unlockMigrations(c);
      } finally {
        c.setAutoCommit(autoCommit);
      }
    }
  }

  private int apply(Connection c, int version, String script) throws SQLException {
    c.setAutoCommit(false);
    try {
      if (isApplied(c, version)) {
        c.rollback();
        return version;
      }
      try (Statement st = c.createStatement()) {
        for (String sql : statements(load(script))) {
          st.execute(sql);
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO schema_version (version) VALUES (?)")) {
        ps.setInt(1, version);
        ps.executeUpdate();
      }
      c.commit();
      LOG.info("parley-store: applied migration {} ({})", version, script);
      return version;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private static boolean isApplied(Connection c, int version) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM schema_version WHERE version = ?")) {
      ps.setInt(1, version);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** {@code V12__name.sql} is version 12. */
  static int versionOf(String script) {
    return Integer.parseInt(script.substring(1, script.indexOf("__")));
  }

  private String load(String script) {
    String path = dialect.resourceDir() + script;
    try (InputStream in = Migrator.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing migration script " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  /** Splits a script on semicolons at line ends, dropping {@code --} comment lines. */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String sql = current.toString().strip();
        out.add(sql.substring(0, sql.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }
}
