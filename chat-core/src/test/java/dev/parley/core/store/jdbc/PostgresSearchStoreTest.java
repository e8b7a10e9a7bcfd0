package dev.parley.core.store.jdbc;

import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;

/** The search index on PostgreSQL (tsvector). */
class PostgresSearchStoreTest extends SearchStoreContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabases.postgres();
  }
}
