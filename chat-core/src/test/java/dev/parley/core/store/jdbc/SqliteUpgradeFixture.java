package dev.parley.core.store.jdbc;

import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;

/**
 * For tests of a SQLite schema version: a store on a file of its own, which a test fills, closes,
 * takes back to the version before by raw SQL ({@link #execute}) and opens again, so that the
 * migration runs on data written the current way.
 */
abstract class SqliteUpgradeFixture {
  final AtomicLong clock = new AtomicLong(1_000);
  final TestDatabase db = TestDatabases.sqlite();
  JdbcChatStore store;

  @AfterEach
  void closeAll() {
    if (store != null) {
      store.close();
    }
    db.close();
  }

  /** Opens the store on the file, bringing its schema up to date. */
  void open() {
    store = JdbcChatStore.open(StoreOptions.of(db.url()));
  }

  /** Closes the store, so that the file can be changed outside it. */
  void closeStore() {
    store.close();
    store = null;
  }

  /** Runs each statement on the file, outside the store. */
  void execute(String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.url()); Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    }
  }

  /** The first column of every row the query returns, as text. */
  List<String> column(String query) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.url()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(query)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }
}
