package dev.parley.server.internal.rest;

import dev.parley.core.attachments.AttachmentService;
import dev.parley.protocol.model.Attachment;
import dev.parley.server.internal.http.RestResponse;
import dev.parley.server.internal.http.Route;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Downloading attachments. (Uploads are streamed by
 * {@link dev.parley.server.internal.attachments.AttachmentUploadHandler}, before the request aggregator.)
 * Images are shown inline; everything else is offered as a download, so an uploaded page never
 * runs as part of this site.
 */
public final class AttachmentRoutes {
  private static final Set<String> INLINE = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

  private AttachmentRoutes() {
  }

  public static List<Route> routes(AttachmentService attachments) {
    return List.of(
        Route.authenticated(HttpMethod.GET, "/api/attachments/{id}", req -> {
          AttachmentService.Download d = attachments.open(req.userId(), req.param("id"));
          Attachment a = d.attachment();
          String encoded = URLEncoder.encode(a.filename(), StandardCharsets.UTF_8).replace("+", "%20");
          String kind = INLINE.contains(a.contentType()) ? "inline" : "attachment";
          return RestResponse.file(d.file(), a.size(), a.contentType(),
              kind + "; filename*=UTF-8''" + encoded);
        }));
  }
}
