package dev.parley.server.internal.attachments;

import dev.parley.core.attachments.BlobStore;
import dev.parley.core.attachments.FileBlobStore;
import dev.parley.core.attachments.s3.S3BlobStore;
import dev.parley.core.store.ChatStore;
import dev.parley.core.store.jdbc.JdbcChatStore;
import dev.parley.server.AttachmentStorage;
import dev.parley.server.ServerConfig;
import java.nio.file.Path;

/**
 * Picks where attachment bytes go from the config and the store (see {@link AttachmentStorage}).
 * Off disk, files a node kept on its disk before stay readable there ({@link DiskFallback}).
 */
public final class BlobStores {
  private BlobStores() {
  }

  /** The blob store for this server; the engine closes it. */
  public static BlobStore choose(ServerConfig config, ChatStore store) {
    Path dir = config.dataDir().resolve("attachments");
    AttachmentStorage kind = resolve(config, store);
    FileBlobStore disk = new FileBlobStore(dir);
    switch (kind) {
      case S3:
        return new DiskFallback(S3BlobStore.open(config.s3(), dir.resolve("spool")), disk);
      case DATABASE:
        if (!(store instanceof JdbcChatStore jdbc)) {
          throw new IllegalStateException("attachments=database needs the JDBC store (--db)");
        }
        return new DiskFallback(jdbc.blobStore(), disk);
      default:
        return disk;
    }
  }

  /** What {@link AttachmentStorage#AUTO} means for this config and store. */
  static AttachmentStorage resolve(ServerConfig config, ChatStore store) {
    if (config.attachmentStorage() != AttachmentStorage.AUTO) {
      return config.attachmentStorage();
    }
    if (config.s3() != null) {
      return AttachmentStorage.S3;
    }
    if (store instanceof JdbcChatStore jdbc && jdbc.isPostgres() && config.redisUrl() != null) {
      return AttachmentStorage.DATABASE;
    }
    return AttachmentStorage.DISK;
  }
}
