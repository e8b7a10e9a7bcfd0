package dev.parley.core.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * One statement on one connection: prepare it, bind the parameters in order, execute it, read its
 * rows. These are the steps every simple query of {@link JdbcChatStore} would otherwise repeat.
 * The hot path (the group commit's batch statements) keeps its own prepared statements.
 *
 * <p>Parameters may be {@code String}, {@code Long}, {@code Integer}, {@code Boolean} or
 * {@code null}, which binds a text NULL (as {@code setString(i, null)} does).
 */
final class Sql {
  /** Reads the current row of a result set. */
  @FunctionalInterface
  interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Work on one prepared statement. */
  @FunctionalInterface
  interface StatementWork<T> {
    T run(PreparedStatement ps) throws SQLException;
  }

  private Sql() {
  }

  /** Runs an INSERT, UPDATE or DELETE; the number of rows it changed. */
  static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    }
  }

  /** Every row, read in order. */
  static <T> List<T> list(Connection c, String sql, RowReader<T> reader, Object... params)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      return list(ps, reader, params);
    }
  }

  /** {@link #list} on a statement the caller owns (and may use again: the rows are closed). */
  static <T> List<T> list(PreparedStatement ps, RowReader<T> reader, Object... params)
      throws SQLException {
    bind(ps, params);
    List<T> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(reader.read(rs));
      }
    }
    return out;
  }

  /** Hands every row to {@code consumer}, in order. */
  static void each(Connection c, String sql, RowConsumer consumer, Object... params)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          consumer.accept(rs);
        }
      }
    }
  }

  /** Takes the current row of a result set. */
  @FunctionalInterface
  interface RowConsumer {
    void accept(ResultSet rs) throws SQLException;
  }

  /** The first row, if there is one and the reader makes a value of it (it may return null). */
  static <T> Optional<T> first(Connection c, String sql, RowReader<T> reader, Object... params)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      return first(ps, reader, params);
    }
  }

  /** {@link #first} on a statement the caller owns (and may use again: the rows are closed). */
  static <T> Optional<T> first(PreparedStatement ps, RowReader<T> reader, Object... params)
      throws SQLException {
    bind(ps, params);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.ofNullable(reader.read(rs)) : Optional.empty();
    }
  }

  /** Whether the query returns a row. */
  static boolean exists(Connection c, String sql, Object... params) throws SQLException {
    return first(c, sql, rs -> Boolean.TRUE, params).isPresent();
  }

  /** The long in the first column of the first row, or {@code otherwise} when there is no row. */
  static long longValue(Connection c, String sql, long otherwise, Object... params)
      throws SQLException {
    return first(c, sql, rs -> rs.getLong(1), params).orElse(otherwise);
  }

  /**
   * Runs {@code query} for each slice of at most {@code chunk} values, so that no {@code IN (...)}
   * list outgrows the driver's parameter limit, and gathers the rows.
   */
  static <V, T> List<T> inChunks(List<V> values, int chunk, ChunkQuery<V, T> query)
      throws SQLException {
    List<T> out = new ArrayList<>();
    for (int from = 0; from < values.size(); from += chunk) {
      out.addAll(query.run(values.subList(from, Math.min(values.size(), from + chunk))));
    }
    return out;
  }

  /** The rows of one slice of an {@link #inChunks} query. */
  @FunctionalInterface
  interface ChunkQuery<V, T> {
    List<T> run(List<V> slice) throws SQLException;
  }

  /** {@code n} comma-separated placeholders, for an {@code IN (...)} list. */
  static String marks(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  /** Parameters, then the values of a list: one array for the varargs of the methods above. */
  static Object[] params(List<?> tail, Object... head) {
    Object[] out = new Object[head.length + tail.size()];
    System.arraycopy(head, 0, out, 0, head.length);
    for (int i = 0; i < tail.size(); i++) {
      out[head.length + i] = tail.get(i);
    }
    return out;
  }

  static void bind(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      int index = i + 1;
      if (p == null) {
        ps.setNull(index, Types.VARCHAR);
      } else if (p instanceof String s) {
        ps.setString(index, s);
      } else if (p instanceof Long l) {
        ps.setLong(index, l);
      } else if (p instanceof Integer n) {
        ps.setInt(index, n);
      } else if (p instanceof Boolean b) {
        ps.setBoolean(index, b);
      } else if (p instanceof byte[] bytes) {
        ps.setBytes(index, bytes);
      } else {
        throw new IllegalArgumentException("cannot bind a " + p.getClass().getName());
      }
    }
  }
}
