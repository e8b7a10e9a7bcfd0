package dev.parley.core.store.jdbc;

import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;

/** Blocks, mutes, admins and renaming on PostgreSQL (a fresh schema per test). */
class PostgresControlsStoreTest extends ControlsStoreContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabases.postgres();
  }
}
