package dev.parley.server.internal.attachments;

import dev.parley.core.attachments.BlobStore;
import dev.parley.core.attachments.FileBlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A shared blob store (database, bucket) that still reads the files this node kept on its disk
 * before it was switched to it: new blobs go to the shared store only; a key the shared store
 * lacks is read from the disk, and deleting erases both. Keys are unique ids, so a key lives in
 * one of the two.
 */
final class DiskFallback implements BlobStore {
  private final BlobStore shared;
  private final FileBlobStore disk;

  DiskFallback(BlobStore shared, FileBlobStore disk) {
    this.shared = shared;
    this.disk = disk;
  }

  @Override
  public Writer create(String key) throws IOException {
    return shared.create(key);
  }

  @Override
  public InputStream open(String key, long offset) throws IOException {
    try {
      return shared.open(key, offset);
    } catch (NoSuchFileException e) {
      if (disk.localFile(key) == null) {
        throw e;
      }
      return disk.open(key, offset);
    }
  }

  @Override
  public Path localFile(String key) {
    return disk.localFile(key);
  }

  @Override
  public void delete(String key) throws IOException {
    shared.delete(key);
    disk.delete(key);
  }

  @Override
  public int deleteUnfinished(long startedBefore) throws IOException {
    return shared.deleteUnfinished(startedBefore) + disk.deleteUnfinished(startedBefore);
  }

  @Override
  public String describe() {
    return shared.describe();
  }

  @Override
  public void close() {
    shared.close();
  }
}
