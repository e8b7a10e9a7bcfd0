package dev.parley.server.internal.http;

import dev.parley.core.auth.AuthenticatedUser;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.Json;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;

/**
 * One REST call, detached from Netty's reference-counted request: the body is a plain array, so
 * a route handler can run on a worker thread after the request was released.
 *
 * @param user the caller, or null on routes that need no authentication
 * @param clientAddress the peer's IP address (for per-address limits)
 */
public record RestRequest(HttpMethod method, String path, Map<String, String> pathParams,
                          Map<String, List<String>> query, HttpHeaders headers, byte[] body,
                          AuthenticatedUser user, String clientAddress) {

  /** A path parameter of the route, e.g. {@code id} of {@code /api/threads/{id}}. */
  public String param(String name) {
    return pathParams.get(name);
  }

  /** The first value of a query parameter, or null. */
  public String queryParam(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** A query parameter that must be a whole number when present: 400 otherwise. */
  public Long longQueryParam(String name) {
    String value = queryParam(name);
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ChatException.badRequest("query parameter " + name + " must be an integer");
    }
  }

  /** The body read strictly into a record: 400 on anything else. */
  public <T> T json(Class<T> type) {
    if (body.length == 0) {
      throw ChatException.badRequest("a JSON body is required");
    }
    return Json.read(body, type);
  }

  /** The authenticated caller's id. */
  public String userId() {
    return user.id();
  }
}
