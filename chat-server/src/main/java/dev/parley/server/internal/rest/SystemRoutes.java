package dev.parley.server.internal.rest;

import dev.parley.core.ChatEngine;
import dev.parley.server.internal.http.RestResponse;
import dev.parley.server.internal.http.Route;
import dev.parley.server.internal.metrics.ServerMetrics;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;

/** {@code /healthz} and {@code /metrics}. */
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
        Route.open(HttpMethod.GET, "/metrics",
            req -> new RestResponse(HttpResponseStatus.OK, metrics.scrape(), metrics.contentType())));
  }
}
