package dev.parley.server.internal.attachments;

import dev.parley.core.attachments.AttachmentService;
import dev.parley.core.attachments.BlobStore;
import dev.parley.protocol.ChatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thumbnails of image attachments, made on first request and kept in the attachments' own blob
 * store (under a key derived from the attachment's, see
 * {@link AttachmentService.Download#createThumbnail()}), so every node of a cluster finds the one
 * any node made, and the sweep erases it with the attachment. An upload that has no thumbnail
 * (not a PNG, JPEG or GIF the JDK reads, corrupt, over the pixel limit) is remembered as an empty
 * blob, so it is not decoded again. At most {@value #DECODERS} images are decoded at once, which
 * bounds the heap thumbnails take, and at most {@value #WAITING} more requests wait their turn
 * (on worker threads the rest of the API needs too); beyond that a request is answered
 * {@code unavailable} at once, and the web client shows the original instead. Every method
 * blocks: call it on a worker. Thread-safe.
 */
public final class AttachmentThumbnails {
  private static final Logger log = LoggerFactory.getLogger(AttachmentThumbnails.class);
  static final int DECODERS = 2;
  static final int WAITING = 2;
  /** Far more than a thumbnail of 640 pixels takes; more is not one of ours. */
  private static final int MAX_STORED = 4 * 1024 * 1024;
  private static final long WAIT_SECONDS = 10;

  private final Thumbnailer maker;
  private final Semaphore decoding = new Semaphore(DECODERS);
  private final Semaphore admitted = new Semaphore(DECODERS + WAITING);

  public AttachmentThumbnails(Thumbnailer maker) {
    this.maker = maker;
  }

  /** The thumbnailer, for the image sizes the link answer tells. */
  public Thumbnailer maker() {
    return maker;
  }

  /** A stored thumbnail: the bytes and their type. */
  public record Stored(byte[] bytes, String contentType) {
  }

  /**
   * The thumbnail of an attachment the user may read (the caller checked), made and stored now
   * if it was never made. A {@code not_found} failure when the attachment has none (and when its
   * bytes are gone); {@code unavailable} when the blob store fails or too many are being made.
   */
  public Stored get(AttachmentService.Download d) {
    try {
      Stored stored = read(d);
      return stored != null ? stored : make(d);
    } catch (NoSuchFileException e) {
      throw ChatException.notFound("attachment content is missing");
    } catch (IOException e) {
      log.warn("cannot read or store the thumbnail of {}: {}", d.attachment().id(), e.toString());
      throw ChatException.unavailable("cannot read attachments right now");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ChatException.unavailable("server is shutting down");
    }
  }

  /** The stored thumbnail, null when none was ever stored; an empty blob means "none possible". */
  private static Stored read(AttachmentService.Download d) throws IOException {
    byte[] bytes;
    try (InputStream in = d.openThumbnail()) {
      bytes = in.readNBytes(MAX_STORED);
    } catch (NoSuchFileException e) {
      return null;
    }
    String type = RasterImages.sniff(bytes, bytes.length);
    if (type == null) {
      throw none();
    }
    return new Stored(bytes, type);
  }

  private Stored make(AttachmentService.Download d) throws IOException, InterruptedException {
    if (!admitted.tryAcquire()) {
      throw busy();
    }
    try {
      if (!decoding.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw busy();
      }
      try {
        return makeNow(d);
      } finally {
        decoding.release();
      }
    } finally {
      admitted.release();
    }
  }

  private Stored makeNow(AttachmentService.Download d) throws IOException {
    Stored again = read(d); // made by another request while this one waited
    if (again != null) {
      return again;
    }
    Thumbnailer.Thumbnail t;
    try (InputStream in = d.open(0)) {
      t = maker.make(in);
    } catch (Thumbnailer.Refused e) {
      log.debug("attachment {} has no thumbnail: {}", d.attachment().id(), e.getMessage());
      store(d, new byte[0]);
      throw none();
    }
    store(d, t.bytes());
    return new Stored(t.bytes(), t.contentType());
  }

  /** Stores quietly: a request that loses a race to store the same thumbnail still serves its own. */
  private static void store(AttachmentService.Download d, byte[] bytes) {
    BlobStore.Writer writer;
    try {
      writer = d.createThumbnail();
    } catch (IOException | RuntimeException e) {
      log.debug("thumbnail of {} not stored: {}", d.attachment().id(), e.toString());
      return;
    }
    try {
      writer.write(ByteBuffer.wrap(bytes));
      writer.finish();
    } catch (IOException | RuntimeException e) {
      writer.abort();
      log.debug("thumbnail of {} not stored: {}", d.attachment().id(), e.toString());
    }
  }

  private static ChatException busy() {
    return ChatException.unavailable("too many thumbnails are being made; try again");
  }

  private static ChatException none() {
    return ChatException.notFound("this attachment has no thumbnail: it is not an image the server reads");
  }
}
