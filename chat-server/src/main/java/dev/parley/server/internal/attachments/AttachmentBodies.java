package dev.parley.server.internal.attachments;

import dev.parley.core.attachments.AttachmentService;
import dev.parley.protocol.ChatException;
import dev.parley.server.internal.http.RestResponse;
import dev.parley.server.internal.http.StreamedBody;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/**
 * The bytes of a download, wherever the blob store keeps them: a file on this machine's disk is
 * sent as it is (zero copy); bytes in the database or a bucket are streamed from an offset, read
 * on the worker as the connection drains. Blocks (reads the first bytes); call on a worker.
 */
public final class AttachmentBodies {
  private AttachmentBodies() {
  }

  /**
   * The attachment as a response with these headers: the whole of it, or the byte range that
   * {@code rangeHeader} (the request's {@code Range}, may be null) asks for (206), or a 416 when
   * that range lies outside it. A media element seeks with such ranges.
   */
  public static RestResponse response(AttachmentService.Download d, String contentType,
                                      String disposition, String rangeHeader, Executor worker) {
    long size = d.attachment().size();
    Path file = d.file();
    ByteRange.Request asked = ByteRange.parse(rangeHeader, size);
    if (asked instanceof ByteRange.Unsatisfiable) {
      return RestResponse.rangeNotSatisfiable(ByteRange.unsatisfied(size));
    }
    if (asked instanceof ByteRange.Partial p) {
      ByteRange r = p.range();
      String contentRange = r.contentRange(size);
      if (file != null) {
        return RestResponse.filePart(file, r.start(), r.length(), contentType, disposition, contentRange);
      }
      return RestResponse.streamPart(new StreamedBody(d::open, r.start(), r.length(), worker),
          contentType, disposition, contentRange);
    }
    if (file != null) {
      return RestResponse.file(file, size, contentType, disposition);
    }
    return RestResponse.stream(new StreamedBody(d::open, 0, size, worker), contentType, disposition);
  }

  /**
   * The type a browser may show inline that the first bytes prove: a raster image (see
   * {@link RasterImages}) or audio or video (see {@link PlayableMedia}); null otherwise. Bytes
   * that are gone are a {@code not_found} failure, before any header is sent.
   */
  public static String sniffInline(AttachmentService.Download d) {
    try (InputStream in = d.open(0)) {
      byte[] head = in.readNBytes(RasterImages.HEAD);
      String image = RasterImages.sniff(head, head.length);
      return image != null ? image : PlayableMedia.sniff(head, head.length);
    } catch (NoSuchFileException e) {
      throw ChatException.notFound("attachment content is missing");
    } catch (IOException e) {
      throw ChatException.unavailable("cannot read attachments right now");
    }
  }

  /**
   * The size of an image attachment, read from its header (see {@link Thumbnailer#size}), or
   * null when the JDK cannot read it (WebP, a corrupt header). Bytes that are gone are a
   * {@code not_found} failure.
   */
  public static Thumbnailer.Size imageSize(AttachmentService.Download d, Thumbnailer thumbnailer) {
    try (InputStream in = d.open(0)) {
      return thumbnailer.size(in);
    } catch (NoSuchFileException e) {
      throw ChatException.notFound("attachment content is missing");
    } catch (IOException e) {
      throw ChatException.unavailable("cannot read attachments right now");
    }
  }
}
