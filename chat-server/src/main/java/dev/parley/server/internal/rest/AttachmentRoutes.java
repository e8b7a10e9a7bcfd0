package dev.parley.server.internal.rest;

import dev.parley.core.attachments.AttachmentService;
import dev.parley.protocol.model.Attachment;
import dev.parley.server.internal.attachments.AttachmentBodies;
import dev.parley.server.internal.attachments.AttachmentLinks;
import dev.parley.server.internal.attachments.AttachmentThumbnails;
import dev.parley.server.internal.attachments.ContentDisposition;
import dev.parley.server.internal.attachments.PlayableMedia;
import dev.parley.server.internal.attachments.Thumbnailer;
import dev.parley.server.internal.http.RestRequest;
import dev.parley.server.internal.http.RestResponse;
import dev.parley.server.internal.http.Route;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;

/**
 * Downloading attachments. (Uploads are streamed by
 * {@link dev.parley.server.internal.attachments.AttachmentUploadHandler}, before the request
 * aggregator.) Uploaded bytes are hostile: they are only ever shown inline when their first bytes
 * prove a raster image (PNG, JPEG, GIF, WebP) or audio/video a media element plays (see
 * {@link dev.parley.server.internal.attachments.PlayableMedia}), whatever type the uploader
 * declared; everything else (HTML, SVG, PDF...) is a download. Downloads answer byte ranges. Every answer carries the user-content headers (sandbox CSP, nosniff,
 * no-referrer), so even a page the browser renders runs no script and has no origin.
 *
 * <ul>
 *   <li>{@code GET /api/attachments/{id}} with a Bearer token, for outside clients: the bytes
 *       with their declared Content-Type, as the contract says.</li>
 *   <li>{@code POST /api/attachments/{id}/link} with a Bearer token: a signed URL good for a few
 *       minutes, under the same access rule.</li>
 *   <li>{@code GET /api/attachments/{id}/content?u&exp&sig}: what a browser loads (an img src, a
 *       link, a video or audio src); served as the proven image or media type or as
 *       {@code application/octet-stream}. The link answer's {@code media} says which element
 *       may show it ({@code image}, {@code audio}, {@code video}, or null); {@code inline} stays
 *       true only for a raster image, as older clients read it. For an image the JDK reads
 *       (PNG, JPEG, GIF) it also gives {@code width} and {@code height} (as shown) and, but for
 *       a GIF (which may move), the signed {@code thumbnail} URL, else nulls.</li>
 *   <li>{@code GET /api/attachments/{id}/thumbnail} with a Bearer token, and
 *       {@code GET /api/attachments/{id}/thumbnail/content?u&exp&sig} (the link's query) for
 *       browsers: a small copy the server decoded and encoded again (see
 *       {@link dev.parley.server.internal.attachments.AttachmentThumbnails}), under the same
 *       access rule; 404 when the attachment is no image the server reads.</li>
 * </ul>
 */
public final class AttachmentRoutes {
  private static final String OCTET_STREAM = "application/octet-stream";

  private AttachmentRoutes() {
  }

  /** The routes; {@code worker} reads bytes that are not on this machine's disk. */
  public static List<Route> routes(AttachmentService attachments, AttachmentLinks links,
                                   Executor worker) {
    return routes(attachments, links, new AttachmentThumbnails(new Thumbnailer()), worker);
  }

  /** The routes, with thumbnails made by {@code thumbnails}. */
  public static List<Route> routes(AttachmentService attachments, AttachmentLinks links,
                                   AttachmentThumbnails thumbnails, Executor worker) {
    return List.of(
        Route.authenticated(HttpMethod.GET, "/api/attachments/{id}", req -> {
          AttachmentService.Download d = attachments.open(req.userId(), req.param("id"));
          Attachment a = d.attachment();
          String proven = AttachmentBodies.sniffInline(d);
          boolean inline = proven != null && proven.equals(baseType(a.contentType()));
          return AttachmentBodies.response(d, a.contentType(),
              ContentDisposition.of(inline, a.filename()), range(req), worker);
        }),
        Route.authenticated(HttpMethod.POST, "/api/attachments/{id}/link", req -> {
          AttachmentService.Download d = attachments.open(req.userId(), req.param("id"));
          String proven = AttachmentBodies.sniffInline(d);
          String media = PlayableMedia.kind(proven);
          Thumbnailer.Size size = "image".equals(media)
              ? AttachmentBodies.imageSize(d, thumbnails.maker()) : null;
          AttachmentLinks.Link link = links.issue(d.attachment().id(), req.userId());
          return RestResponse.ok(g -> {
            g.writeStartObject();
            g.writeStringField("url", link.url());
            g.writeNumberField("expiresAt", link.expiresAt());
            g.writeBooleanField("inline", "image".equals(media));
            g.writeStringField("media", media);
            g.writeStringField("contentType", proven != null ? proven : OCTET_STREAM);
            if (size != null) {
              g.writeNumberField("width", size.width());
              g.writeNumberField("height", size.height());
            } else {
              g.writeNullField("width");
              g.writeNullField("height");
            }
            // a GIF is shown as it is: its thumbnail is one still frame, and GIFs in chats move
            boolean thumbnail = size != null && size.thumbnailable() && !"image/gif".equals(proven);
            g.writeStringField("thumbnail", thumbnail ? link.thumbnailUrl() : null);
            g.writeEndObject();
          });
        }),
        Route.open(HttpMethod.GET, "/api/attachments/{id}/content",
            req -> content(attachments, links, req, worker)),
        Route.authenticated(HttpMethod.GET, "/api/attachments/{id}/thumbnail",
            req -> thumbnail(attachments.open(req.userId(), req.param("id")), thumbnails)),
        Route.open(HttpMethod.GET, "/api/attachments/{id}/thumbnail/content", req -> {
          String id = req.param("id");
          String user = links.verify(id, req.queryParam("u"), req.queryParam("exp"), req.queryParam("sig"));
          return thumbnail(attachments.open(user, id), thumbnails); // access may have ended since
        }));
  }

  private static RestResponse content(AttachmentService attachments, AttachmentLinks links,
                                      RestRequest req, Executor worker) {
    String id = req.param("id");
    String user = links.verify(id, req.queryParam("u"), req.queryParam("exp"), req.queryParam("sig"));
    AttachmentService.Download d = attachments.open(user, id); // access may have ended since
    String proven = AttachmentBodies.sniffInline(d);
    return AttachmentBodies.response(d, proven != null ? proven : OCTET_STREAM,
        ContentDisposition.of(proven != null, d.attachment().filename()), range(req), worker);
  }

  /** The server-made thumbnail, with a name that says so and the type of what the server encoded. */
  private static RestResponse thumbnail(AttachmentService.Download d, AttachmentThumbnails thumbnails) {
    AttachmentThumbnails.Stored t = thumbnails.get(d);
    String name = "thumbnail." + (t.contentType().equals("image/png") ? "png" : "jpg");
    return RestResponse.userContent(t.bytes(), t.contentType(), ContentDisposition.of(true, name));
  }

  private static String range(RestRequest req) {
    return req.headers() == null ? null : req.headers().get("Range");
  }

  private static String baseType(String contentType) {
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }
}
