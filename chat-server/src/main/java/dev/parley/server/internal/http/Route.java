package dev.parley.server.internal.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.HashMap;
import java.util.Map;

/**
 * A REST route: a method, a path template such as {@code /api/threads/{id}/messages}, whether
 * the caller must be authenticated, and the handler. Handlers run on a worker thread and may
 * block; they answer by returning a {@link RestResponse} or throwing a ChatException.
 */
public final class Route {

  /** Handles a matched request. */
  @FunctionalInterface
  public interface Handler {
    RestResponse handle(RestRequest request) throws Exception;
  }

  private final HttpMethod method;
  private final String template;
  private final String[] segments;
  private final boolean authenticated;
  private final Handler handler;

  private Route(HttpMethod method, String template, boolean authenticated, Handler handler) {
    this.method = method;
    this.template = template;
    this.segments = split(template);
    this.authenticated = authenticated;
    this.handler = handler;
  }

  /** A route that needs {@code Authorization: Bearer <access token>}. */
  public static Route authenticated(HttpMethod method, String template, Handler handler) {
    return new Route(method, template, true, handler);
  }

  /** A route anyone may call (register, login, refresh). */
  public static Route open(HttpMethod method, String template, Handler handler) {
    return new Route(method, template, false, handler);
  }

  public HttpMethod method() {
    return method;
  }

  /** The path template, such as {@code /api/threads/{id}/messages}. */
  public String template() {
    return template;
  }

  public boolean isAuthenticated() {
    return authenticated;
  }

  public Handler handler() {
    return handler;
  }

  /** The path parameters when the path fits the template, else null. */
  Map<String, String> match(String[] path) {
    if (path.length != segments.length) {
      return null;
    }
    Map<String, String> params = null;
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      if (s.startsWith("{")) {
        if (path[i].isEmpty()) {
          return null;
        }
        if (params == null) {
          params = new HashMap<>(4);
        }
        params.put(s.substring(1, s.length() - 1), path[i]);
      } else if (!s.equals(path[i])) {
        return null;
      }
    }
    return params == null ? Map.of() : params;
  }

  static String[] split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.split("/", -1);
  }
}
