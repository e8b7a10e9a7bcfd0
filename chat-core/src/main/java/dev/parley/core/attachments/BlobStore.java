package dev.parley.core.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Where the bytes of uploaded files live, each under a key the engine chooses (an attachment's
 * unguessable id; never a name from a user). Metadata and access rules stay in the store; a blob
 * store only keeps bytes. Implementations: {@link FileBlobStore} (a folder on this machine, the
 * default), {@link dev.parley.core.store.jdbc.JdbcChatStore#blobStore()} (chunks in the store's
 * database, so every node of a PostgreSQL cluster reads them) and
 * {@link dev.parley.core.attachments.s3.S3BlobStore} (an S3-compatible bucket).
 *
 * <p>Every method blocks (disk, database, network): call it on a worker thread, never on an event
 * loop. Implementations are thread-safe; one {@link Writer} is used by one thread at a time.
 */
public interface BlobStore extends AutoCloseable {
  /**
   * Starts a new blob under {@code key}. Its bytes are written as they arrive and become readable
   * only after {@link Writer#finish()}.
   */
  Writer create(String key) throws IOException;

  /**
   * The bytes of a finished blob from byte {@code offset} (0 for all of it) to its end, read as the
   * stream is read: never the whole blob in memory. The caller closes the stream. Throws
   * {@link java.nio.file.NoSuchFileException} when there is no finished blob under the key.
   */
  InputStream open(String key, long offset) throws IOException;

  /** Erases a blob, finished or not; nothing when there is none. */
  void delete(String key) throws IOException;

  /**
   * Erases blobs started before {@code startedBefore} (epoch ms) and never finished nor
   * discarded, left by a node that stopped in the middle of an upload. Returns how many.
   */
  default int deleteUnfinished(long startedBefore) throws IOException {
    return 0;
  }

  /**
   * The file holding a finished blob when its bytes are on this machine's disk (a server may then
   * send it without copying), else null.
   */
  default Path localFile(String key) {
    return null;
  }

  /** A short name for logs: {@code disk}, {@code database}, {@code s3}. */
  String describe();

  /** Releases what the store holds (clients, pools it opened). */
  @Override
  default void close() {
  }

  /** One blob being written. */
  interface Writer {
    /** Appends every remaining byte of {@code bytes}. */
    void write(ByteBuffer bytes) throws IOException;

    /** Makes the blob readable under its key; the writer is done. */
    void finish() throws IOException;

    /** Erases what was written so far, quietly; the writer is done. */
    void abort();
  }
}
