package dev.parley.core.store.jdbc;

import dev.parley.core.attachments.BlobStore;
import dev.parley.core.attachments.BlobStoreContract;
import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The blob contract in SQLite (a single node's {@code --attachments=database}). */
class SqliteBlobStoreTest extends BlobStoreContract {
  private TestDatabase db;
  private JdbcChatStore chat;
  private BlobStore blobs;

  @BeforeEach
  void open() {
    db = TestDatabases.sqlite();
    chat = JdbcChatStore.open(StoreOptions.of(db.url()));
    blobs = chat.blobStore();
  }

  @AfterEach
  void close() {
    chat.close();
    db.close();
  }

  @Override
  protected BlobStore store() {
    return blobs;
  }
}
