package dev.parley.core.store.jdbc;

import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;

class SqliteThreadLogStoreTest extends ThreadLogStoreContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabases.sqlite();
  }
}
