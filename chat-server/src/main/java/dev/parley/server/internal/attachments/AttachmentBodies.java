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

  /** The whole attachment as a response with these headers. */
  public static RestResponse response(AttachmentService.Download d, String contentType,
                                      String disposition, Executor worker) {
    long size = d.attachment().size();
    Path file = d.file();
    if (file != null) {
      return RestResponse.file(file, size, contentType, disposition);
    }
    return RestResponse.stream(new StreamedBody(d::open, 0, size, worker), contentType, disposition);
  }

  /**
   * The raster image type the first bytes prove, or null (see {@link RasterImages}). Bytes that
   * are gone are a {@code not_found} failure, before any header is sent.
   */
  public static String sniff(AttachmentService.Download d) {
    try (InputStream in = d.open(0)) {
      byte[] head = in.readNBytes(RasterImages.HEAD);
      return RasterImages.sniff(head, head.length);
    } catch (NoSuchFileException e) {
      throw ChatException.notFound("attachment content is missing");
    } catch (IOException e) {
      throw ChatException.unavailable("cannot read attachments right now");
    }
  }
}
