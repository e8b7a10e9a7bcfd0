package dev.parley.core.attachments;

import dev.parley.core.store.AttachmentRecord;
import dev.parley.core.store.ChatStore;
import dev.parley.core.internal.util.Ids;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.model.Attachment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;

/**
 * Uploaded files: bytes in a folder of their own, named by their unguessable id (no name from a
 * user ever reaches the file system), metadata in the store. An upload is written to a temporary
 * file first and only becomes an attachment once complete. Every method blocks (disk, store).
 */
public final class AttachmentService {
  private static final String DEFAULT_TYPE = "application/octet-stream";
  private static final int MAX_FILENAME = 255;

  private final ChatStore store;
  private final Path dir;
  private final Path tmp;
  private final long limitBytes;
  private final Clock clock;

  public AttachmentService(ChatStore store, Path dir, long limitBytes, Clock clock) {
    this.store = store;
    this.dir = dir;
    this.tmp = dir.resolve("tmp");
    this.limitBytes = limitBytes;
    this.clock = clock;
    try {
      Files.createDirectories(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create attachment folder " + dir, e);
    }
  }

  /** Largest upload in bytes. */
  public long limitBytes() {
    return limitBytes;
  }

  /** A fresh temporary file for an upload in progress. */
  public Path newTempFile() {
    try {
      return Files.createTempFile(tmp, "upload", ".part");
    } catch (IOException e) {
      throw ChatException.unavailable("cannot store uploads right now");
    }
  }

  /**
   * Turns a complete upload into an attachment of {@code uploaderId}: moves the file in place
   * under a new id and records its metadata.
   */
  public Attachment commit(String uploaderId, Path tempFile, long size, String contentType,
                           String filename) {
    String id = Ids.newId();
    Attachment attachment = new Attachment(id, normalizeType(contentType), size,
        normalizeFilename(filename));
    Path target = dir.resolve(id);
    try {
      Files.move(tempFile, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      discard(tempFile);
      throw ChatException.unavailable("cannot store uploads right now");
    }
    try {
      store.saveAttachment(new AttachmentRecord(attachment, uploaderId, id, clock.millis()));
    } catch (RuntimeException e) {
      discard(target);
      throw e;
    }
    return attachment;
  }

  /** Deletes a temporary or orphaned file, quietly. */
  public void discard(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a stray temp file is cleaned up on the next start
    }
  }

  /** The attachment, if the user may download it: its uploader or a member of a thread where it was posted. */
  public Download open(String userId, String attachmentId) {
    AttachmentRecord record = store.findAttachment(attachmentId)
        .orElseThrow(() -> ChatException.notFound("no such attachment"));
    if (!record.uploaderId().equals(userId) && !store.attachmentPostedToMemberOf(attachmentId, userId)) {
      throw ChatException.forbidden("not allowed to read this attachment");
    }
    Path file = dir.resolve(record.storageKey());
    if (!Files.isRegularFile(file)) {
      throw ChatException.notFound("attachment content is missing");
    }
    return new Download(record.attachment(), file);
  }

  /** How long an upload may wait to be posted before it is removed. */
  public static final java.time.Duration UNPOSTED_LIFETIME = java.time.Duration.ofHours(24);

  /**
   * Removes attachments no message shows any more (every message showing them was deleted) and
   * uploads never posted within {@link #UNPOSTED_LIFETIME}: their metadata, then their bytes.
   * Returns how many were removed. Blocks (store, disk); runs now and then on a worker.
   */
  public int sweep() {
    int removed = 0;
    long cutoff = clock.millis() - UNPOSTED_LIFETIME.toMillis();
    for (AttachmentRecord r : store.removableAttachments(cutoff, 500)) {
      if (store.deleteAttachment(r.attachment().id())) {
        discard(dir.resolve(r.storageKey()));
        removed++;
      }
    }
    return removed;
  }

  /** An attachment and where its bytes are. */
  public record Download(Attachment attachment, Path file) {
  }

  static String normalizeType(String contentType) {
    if (contentType == null || contentType.isBlank() || contentType.length() > 255
        || !contentType.matches("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+( *;.*)?")) {
      return DEFAULT_TYPE;
    }
    return contentType.trim();
  }

  static String normalizeFilename(String filename) {
    if (filename == null) {
      return "file";
    }
    String name = filename;
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    if (slash >= 0) {
      name = name.substring(slash + 1);
    }
    name = name.replaceAll("[\\p{Cntrl}\"]", "").strip();
    if (name.isEmpty() || name.equals(".") || name.equals("..")) {
      return "file";
    }
    return name.length() > MAX_FILENAME ? name.substring(0, MAX_FILENAME) : name;
  }
}
