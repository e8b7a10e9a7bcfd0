package dev.parley.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on a SQLite file in a temp directory, plus SQLite's own settings. */
class SqliteChatStoreTest extends ChatStoreContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabases.sqlite();
  }

  @Test
  void createsTheMissingDirectoryOfTheFile(@TempDir Path tmp) {
    Path file = tmp.resolve("a/b/chat.db");
    try (JdbcChatStore s = JdbcChatStore.open(StoreOptions.of("jdbc:sqlite:" + file))) {
      assertThat(s.isHealthy()).isTrue();
    }
    assertThat(Files.exists(file)).isTrue();
  }

  @Test
  void usesWriteAheadLogging() throws Exception {
    try (Connection c = DriverManager.getConnection(db.url()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
    }
  }

  @Test
  void clientIdLookupIsAPointLookupOnTheClientIndex() throws Exception {
    // the dedupe query runs in every commit; a plan that walks the thread's history makes every
    // commit slower as the thread grows
    try (Connection c = DriverManager.getConnection(db.url()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("EXPLAIN QUERY PLAN "
             + JdbcChatStore.clientIdLookupSql(Dialect.SQLITE, 3).replace("?", "'x'"))) {
      StringBuilder plan = new StringBuilder();
      while (rs.next()) {
        plan.append(rs.getString("detail")).append('\n');
      }
      assertThat(plan.toString())
          .contains("USING INDEX messages_client (thread_id=? AND client_id=? AND sender=?)");
    }
  }
}
