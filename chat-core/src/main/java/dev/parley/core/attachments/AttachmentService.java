package dev.parley.core.attachments;

import dev.parley.core.store.AttachmentRecord;
import dev.parley.core.store.ChatStore;
import dev.parley.core.internal.util.Ids;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.model.Attachment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploaded files: bytes in a {@link BlobStore} under their unguessable id (no name from a user
 * ever reaches the blob store), metadata in the store. An upload is written as it arrives and only
 * becomes an attachment once complete. Every method blocks (blob store, store).
 */
public final class AttachmentService {
  private static final Logger log = LoggerFactory.getLogger(AttachmentService.class);
  private static final String DEFAULT_TYPE = "application/octet-stream";
  private static final int MAX_FILENAME = 255;

  private final ChatStore store;
  private final BlobStore blobs;
  private final long limitBytes;
  private final Clock clock;

  /** Files kept on this machine's disk, in {@code dir}. */
  public AttachmentService(ChatStore store, Path dir, long limitBytes, Clock clock) {
    this(store, new FileBlobStore(dir), limitBytes, clock);
  }

  /** Files kept in {@code blobs}. */
  public AttachmentService(ChatStore store, BlobStore blobs, long limitBytes, Clock clock) {
    this.store = store;
    this.blobs = blobs;
    this.limitBytes = limitBytes;
    this.clock = clock;
  }

  /** Where the bytes are. */
  public BlobStore blobs() {
    return blobs;
  }

  /** Largest upload in bytes. */
  public long limitBytes() {
    return limitBytes;
  }

  /**
   * Starts an upload: its bytes go to the blob store as they are written. The upload becomes an
   * attachment with {@link #commit}, or is erased with {@link #discard}.
   */
  public Upload begin() {
    String id = Ids.newId();
    try {
      return new Upload(id, blobs.create(id));
    } catch (IOException | RuntimeException e) {
      log.warn("cannot start an upload in {}: {}", blobs.describe(), e.toString());
      throw ChatException.unavailable("cannot store uploads right now");
    }
  }

  /**
   * Turns a complete upload into an attachment of {@code uploaderId}: finishes its blob and
   * records its metadata.
   */
  public Attachment commit(String uploaderId, Upload upload, long size, String contentType,
                           String filename) {
    Attachment attachment = new Attachment(upload.id(), normalizeType(contentType), size,
        normalizeFilename(filename));
    try {
      upload.writer().finish();
    } catch (IOException | RuntimeException e) {
      log.warn("cannot finish an upload in {}: {}", blobs.describe(), e.toString());
      discard(upload);
      throw ChatException.unavailable("cannot store uploads right now");
    }
    try {
      store.saveAttachment(new AttachmentRecord(attachment, uploaderId, upload.id(), clock.millis()));
    } catch (RuntimeException e) {
      deleteBlob(upload.id());
      throw e;
    }
    return attachment;
  }

  /** Erases an upload that will not be committed, quietly. */
  public void discard(Upload upload) {
    upload.writer().abort();
  }

  /** An upload in progress: the attachment id it will have, and where its bytes are written. */
  public record Upload(String id, BlobStore.Writer writer) {
  }

  /** The attachment, if the user may download it: its uploader or a member of a thread where it was posted. */
  public Download open(String userId, String attachmentId) {
    AttachmentRecord record = store.findAttachment(attachmentId)
        .orElseThrow(() -> ChatException.notFound("no such attachment"));
    if (!record.uploaderId().equals(userId) && !store.attachmentPostedToMemberOf(attachmentId, userId)) {
      throw ChatException.forbidden("not allowed to read this attachment");
    }
    return new Download(record.attachment(), record.storageKey(), blobs);
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
        deleteBlob(r.storageKey());
        deleteBlob(thumbnailKey(r.storageKey()));
        removed++;
      }
    }
    try {
      int unfinished = blobs.deleteUnfinished(cutoff);
      if (unfinished > 0) {
        log.info("removed {} uploads a node left unfinished", unfinished);
      }
    } catch (IOException e) {
      log.warn("cannot remove unfinished uploads from {}: {}", blobs.describe(), e.toString());
    }
    return removed;
  }

  /**
   * The blob key of the thumbnail a server makes of an attachment: its own key with a suffix that
   * no id carries (ids are 22 base64url characters), so it lives in the same blob store, on every
   * node, and goes when the attachment goes.
   */
  static String thumbnailKey(String key) {
    return key + "_thumb";
  }

  private void deleteBlob(String key) {
    try {
      blobs.delete(key);
    } catch (IOException | RuntimeException e) {
      log.warn("cannot erase attachment bytes {} from {}: {}", key, blobs.describe(), e.toString());
    }
  }

  /**
   * An attachment the user may read, and its bytes. Opening them blocks; a blob store may fail
   * to find them ({@link java.nio.file.NoSuchFileException}) when they were erased meanwhile.
   */
  public static final class Download {
    private final Attachment attachment;
    private final String key;
    private final BlobStore blobs;

    Download(Attachment attachment, String key, BlobStore blobs) {
      this.attachment = attachment;
      this.key = key;
      this.blobs = blobs;
    }

    public Attachment attachment() {
      return attachment;
    }

    /** The bytes from {@code offset} to the end; the caller closes the stream. */
    public InputStream open(long offset) throws IOException {
      return blobs.open(key, offset);
    }

    /** The file on this machine's disk holding the bytes, or null when they are elsewhere. */
    public Path file() {
      return blobs.localFile(key);
    }

    /**
     * The bytes of the thumbnail a server made of this attachment, if one was stored; throws
     * {@link java.nio.file.NoSuchFileException} when none was. The caller closes the stream.
     */
    public InputStream openThumbnail() throws IOException {
      return blobs.open(thumbnailKey(key), 0);
    }

    /**
     * Starts storing a thumbnail of this attachment (made by the server, never the uploader's
     * bytes), erased with the attachment. Two nodes may race to store the same thumbnail: by the
     * store, the later one replaces the first or fails to start (an {@link IOException}, after
     * which the caller serves what it made without storing it).
     */
    public BlobStore.Writer createThumbnail() throws IOException {
      return blobs.create(thumbnailKey(key));
    }
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
