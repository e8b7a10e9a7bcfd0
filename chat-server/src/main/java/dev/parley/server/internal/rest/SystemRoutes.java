package dev.parley.server.internal.rest;

import dev.parley.core.ChatEngine;
import dev.parley.server.internal.http.RestResponse;
import dev.parley.server.internal.http.Route;
import dev.parley.server.internal.metrics.ServerMetrics;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;

/**
 * {@code /healthz}, {@code /metrics}, and {@code /api/limits} (Bearer), which tells a client the
 * sizes the server refuses, so that it can say so before uploading a file in full.
 */
public final class SystemRoutes {
  private SystemRoutes() {
  }

  public static List<Route> routes(ChatEngine engine, ServerMetrics metrics) {
    return List.of(
        Route.open(HttpMethod.GET, "/healthz", req -> {
          boolean healthy = !engine.isClosed() && engine.isHealthy();
          String status = healthy ? "ok" : "unavailable";
          return RestResponse.json(healthy ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
              g -> {
                g.writeStartObject();
                g.writeStringField("status", status);
                g.writeEndObject();
              });
        }),
        Route.authenticated(HttpMethod.GET, "/api/limits", req -> RestResponse.ok(g -> {
          g.writeStartObject();
          g.writeNumberField("bodyLimit", engine.config().bodyLimitBytes());
          // 0 when the server keeps no files: every upload is refused
          g.writeNumberField("attachmentLimit",
              engine.attachments() == null ? 0 : engine.attachments().limitBytes());
          g.writeNumberField("maxAttachments", engine.config().maxAttachments());
          g.writeEndObject();
        })),
        Route.open(HttpMethod.GET, "/metrics",
            req -> new RestResponse(HttpResponseStatus.OK, metrics.scrape(), metrics.contentType())));
  }
}
