package dev.parley.core.store.jdbc;

import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;

/** Blocks, mutes, admins and renaming on SQLite. */
class SqliteControlsStoreTest extends ControlsStoreContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabases.sqlite();
  }
}
