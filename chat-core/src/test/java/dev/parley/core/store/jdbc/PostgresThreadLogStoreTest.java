package dev.parley.core.store.jdbc;

import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;

class PostgresThreadLogStoreTest extends ThreadLogStoreContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabases.postgres();
  }
}
