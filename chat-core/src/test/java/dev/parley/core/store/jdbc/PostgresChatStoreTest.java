package dev.parley.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;
import java.sql.Connection;
import org.junit.jupiter.api.Test;

/**
 * The store contract on PostgreSQL ({@code CHAT_TEST_PG_URL}, else the local test database), one
 * fresh schema per test, dropped after. Skipped when PostgreSQL is unreachable, failed then if
 * {@code CI=true}.
 */
class PostgresChatStoreTest extends ChatStoreContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabases.postgres();
  }

  @Test
  void readsTimeOutUnlessTheUrlSaysOtherwise() throws Exception {
    // a silently dropped network fails the batch instead of holding the commit thread
    assertThat(networkTimeoutMillis(store)).isEqualTo(Dialect.SOCKET_TIMEOUT_SECONDS * 1000);
    String url = db.url() + (db.url().contains("?") ? "&" : "?") + "socketTimeout=7";
    try (JdbcChatStore custom = JdbcChatStore.open(StoreOptions.of(url))) {
      assertThat(networkTimeoutMillis(custom)).isEqualTo(7000);
    }
  }

  private static int networkTimeoutMillis(JdbcChatStore s) throws Exception {
    try (Connection c = s.dataSource().getConnection()) {
      return c.getNetworkTimeout();
    }
  }
}
