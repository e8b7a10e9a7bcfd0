package dev.parley.server.internal.profile;

import dev.parley.protocol.ChatException;
import dev.parley.server.internal.attachments.Thumbnailer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an uploaded picture into the one the server keeps: the centred square of a PNG, JPEG or
 * GIF, at most {@value #SIDE} x {@value #SIDE} pixels, encoded again by the server (JPEG, or PNG
 * with transparency), so no byte of the upload ever reaches another user's browser. The size is
 * read from the header before anything is decoded, and images over the pixel limit are refused
 * (see {@link Thumbnailer}). At most {@value #DECODERS} pictures are decoded at once; one more is
 * answered {@code unavailable} rather than queued, which bounds the heap uploads can take.
 * Blocks: call it on a worker. Thread-safe.
 */
public final class AvatarImages {
  /** The side of a stored picture, in pixels: the web client shows them at most 128 CSS pixels wide. */
  public static final int SIDE = 256;
  static final int DECODERS = 2;
  private static final Logger log = LoggerFactory.getLogger(AvatarImages.class);

  private final Thumbnailer maker;
  private final Semaphore decoding = new Semaphore(DECODERS);

  public AvatarImages(long pixelLimit) {
    this.maker = Thumbnailer.squares(SIDE, pixelLimit);
  }

  /**
   * The picture to keep for {@code upload}; {@code bad_request} when it is no image the server
   * reads (not PNG, JPEG or GIF, corrupt, over the pixel limit).
   */
  public Thumbnailer.Thumbnail encode(byte[] upload) {
    if (upload.length == 0) {
      throw ChatException.badRequest("send the picture's bytes as the request body");
    }
    if (!decoding.tryAcquire()) {
      throw ChatException.unavailable("too many pictures are being processed; try again");
    }
    try {
      return maker.make(new ByteArrayInputStream(upload));
    } catch (Thumbnailer.Refused e) {
      log.debug("profile picture refused: {}", e.getMessage());
      throw ChatException.badRequest("the picture must be a PNG, JPEG or GIF image the server can read");
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail to read
    } finally {
      decoding.release();
    }
  }
}
