package dev.parley.server;

import java.util.Locale;

/**
 * Where uploaded files' bytes are kept ({@code --attachments}); see docs/cluster.md. Metadata is
 * always in the store.
 */
public enum AttachmentStorage {
  /**
   * The default: {@link #S3} when a bucket is configured, else {@link #DATABASE} when the store is
   * PostgreSQL and Redis is configured (a cluster), else {@link #DISK}.
   */
  AUTO,
  /** Files under the data dir's {@code attachments/}: one node, or nodes sharing that folder. */
  DISK,
  /** Chunks in the store's database (PostgreSQL, or SQLite for one node). */
  DATABASE,
  /** Objects in an S3-compatible bucket ({@code --s3-bucket}). */
  S3;

  /** Parses {@code auto}, {@code disk}, {@code database} or {@code s3}, in any case. */
  public static AttachmentStorage parse(String v) {
    try {
      return valueOf(v.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("attachments must be auto, disk, database or s3: " + v);
    }
  }
}
