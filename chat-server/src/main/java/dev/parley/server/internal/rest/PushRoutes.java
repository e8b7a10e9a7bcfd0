package dev.parley.server.internal.rest;

import dev.parley.core.notifications.PushService;
import dev.parley.protocol.ChatException;
import dev.parley.server.internal.http.RestResponse;
import dev.parley.server.internal.http.Route;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;

/** Web Push (contract 7.5): the VAPID key and the caller's subscriptions. */
public final class PushRoutes {
  private PushRoutes() {
  }

  public static List<Route> routes(PushService push) {
    if (push == null) {
      return List.of();
    }
    return List.of(
        // the key is public by nature: a page may fetch it before it has a token
        Route.open(HttpMethod.GET, "/api/push/key", req -> RestResponse.ok(g -> {
          g.writeStartObject();
          g.writeStringField("publicKey", push.publicKey());
          g.writeEndObject();
        })),
        Route.authenticated(HttpMethod.POST, "/api/push/subscriptions", req -> {
          String id = push.subscribe(req.userId(), req.body());
          return RestResponse.json(HttpResponseStatus.CREATED, g -> {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeEndObject();
          });
        }),
        Route.authenticated(HttpMethod.DELETE, "/api/push/subscriptions/{id}", req -> {
          if (!push.unsubscribe(req.userId(), req.param("id"))) {
            throw ChatException.notFound("no such subscription");
          }
          return RestResponse.noContent();
        }));
  }
}
