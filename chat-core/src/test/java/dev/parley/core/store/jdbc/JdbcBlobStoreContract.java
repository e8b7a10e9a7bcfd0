package dev.parley.core.store.jdbc;

import dev.parley.core.attachments.BlobStore;
import dev.parley.core.attachments.BlobStoreContract;
import dev.parley.core.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The blob contract on {@link JdbcChatStore#blobStore()}, a fresh database per test. */
abstract class JdbcBlobStoreContract extends BlobStoreContract {
  TestDatabase db;
  JdbcChatStore chat;
  private BlobStore blobs;

  abstract TestDatabase newDatabase();

  @BeforeEach
  void open() {
    db = newDatabase();
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
