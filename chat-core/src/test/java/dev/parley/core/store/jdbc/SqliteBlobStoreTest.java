package dev.parley.core.store.jdbc;

import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;

/** The blob contract in SQLite (a single node's {@code --attachments=database}). */
class SqliteBlobStoreTest extends JdbcBlobStoreContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabases.sqlite();
  }
}
