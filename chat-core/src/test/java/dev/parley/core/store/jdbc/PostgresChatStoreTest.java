package dev.parley.core.store.jdbc;

import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;

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
}
