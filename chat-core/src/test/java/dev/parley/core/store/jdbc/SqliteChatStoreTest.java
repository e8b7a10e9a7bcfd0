package dev.parley.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.User;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on a SQLite file in a temp directory, plus SQLite's own settings. */
class SqliteChatStoreTest extends ChatStoreContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabases.sqlite();
  }

  @Test
  void theHandshakesKeptReadsLeaveNoReadTransactionOpen() throws Exception {
    User ann = user("ann");
    ChatThread t = group(ann, user("bob"));
    send(t.id(), ann.id(), "hello"); // something in the write-ahead log
    assertThat(store.findAccount("nobody")).isEmpty();
    for (int i = 0; i < 3; i++) {
      assertThat(store.conversationIdsOf(ann.id())).containsExactly(t.id());
      assertThat(store.findAccount(ann.id())).isPresent(); // last: a row read, more not asked for
    }
    // a kept statement left stepping would hold its connection's read snapshot, and the log
    // could never start over: a TRUNCATE checkpoint reports busy (1) when a reader is left
    try (Connection c = DriverManager.getConnection(db.url()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).as("busy").isZero();
    }
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
          .contains("USING INDEX messages_client (client_id=? AND sender=? AND thread_id=?)");
    }
  }

  @Test
  void writersLeaveCheckpointsToTheBackgroundThread() throws Exception {
    // a pooled connection, as the group commit gets it
    try (Connection pooled = store.dataSource().getConnection(); Statement st = pooled.createStatement();
         ResultSet rs = st.executeQuery("PRAGMA wal_autocheckpoint")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(SqliteCheckpointer.BACKSTOP_PAGES);
    }
  }

  @Test
  void theBackgroundThreadCopiesCommittedMessagesIntoTheDatabaseFile(@TempDir Path tmp)
      throws Exception {
    // below the writers' threshold only the checkpointer moves pages out of the log: a copy of
    // the database file without its -wal file shows the messages once it has run
    User a = user("a");
    User b = user("b");
    ChatThread t = group(a, b);
    for (int i = 0; i < 20; i++) {
      send(t.id(), a.id(), "m" + i);
    }
    Path file = Dialect.sqliteFile(db.url());
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
      Path copy = tmp.resolve("copy-" + System.nanoTime() + ".db");
      Files.copy(file, copy);
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy);
           Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM messages")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(20);
      }
    });
    assertThat(store.checkpointer().checkpoints()).isPositive();
  }

  @Test
  void commitsAreFsyncedUnlessTheUrlSaysOtherwise(@TempDir Path tmp) throws Exception {
    assertThat(synchronous(store)).isEqualTo(2); // FULL
    String url = "jdbc:sqlite:" + tmp.resolve("normal.db") + "?synchronous=NORMAL";
    try (JdbcChatStore normal = JdbcChatStore.open(StoreOptions.of(url))) {
      assertThat(synchronous(normal)).isEqualTo(1);
    }
  }

  private static int synchronous(JdbcChatStore s) throws Exception {
    try (Connection c = s.dataSource().getConnection(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("PRAGMA synchronous")) {
      assertThat(rs.next()).isTrue();
      return rs.getInt(1);
    }
  }
}
