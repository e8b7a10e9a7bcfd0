package dev.parley.core.store.jdbc;

import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;

/** The search index on SQLite (FTS5). */
class SqliteSearchStoreTest extends SearchStoreContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabases.sqlite();
  }
}
