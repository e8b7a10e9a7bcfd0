package dev.parley.server.internal.http;

import dev.parley.core.WireErrors;
import dev.parley.core.auth.AuthenticatedUser;
import dev.parley.core.auth.Authenticator;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers every HTTP request that is not a WebSocket upgrade: REST routes (handled on the worker
 * pool, never on the event loop), then static files of the web client. Stateless and shared by
 * all connections.
 */
@ChannelHandler.Sharable
public final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);
  private final List<Route> routes;
  private final StaticFiles staticFiles;
  private final Authenticator authenticator;
  private final Executor worker;
  private final HttpResponses responses;
  private final WireErrors wireErrors;
  private final TrustedProxies proxies;

  public HttpRouter(List<Route> routes, StaticFiles staticFiles, Authenticator authenticator,
                    Executor worker, HttpResponses responses) {
    this(routes, staticFiles, authenticator, worker, responses, WireErrors.LOG_ONLY,
        TrustedProxies.none());
  }

  /**
   * With the engine's {@link WireErrors}, through which every error response's text goes, and
   * the proxies whose X-Forwarded-For names the client (for per-address limits and logs).
   */
  public HttpRouter(List<Route> routes, StaticFiles staticFiles, Authenticator authenticator,
                    Executor worker, HttpResponses responses, WireErrors wireErrors,
                    TrustedProxies proxies) {
    super(true);
    this.wireErrors = wireErrors;
    this.proxies = proxies;
    this.routes = List.copyOf(routes);
    this.staticFiles = staticFiles;
    this.authenticator = authenticator;
    this.worker = worker;
    this.responses = responses;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    Channel channel = ctx.channel();
    ResponseOrder order = ResponseOrder.of(channel);
    long ticket = order.take();
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (request.decoderResult().isFailure()) {
      order.complete(ticket, () -> responses.error(channel, ErrorCode.BAD_REQUEST, "malformed HTTP request", false));
      return;
    }
    QueryStringDecoder uri;
    String[] segments;
    try {
      uri = new QueryStringDecoder(request.uri());
      uri.parameters(); // decode now: a malformed query is a 400, not a failure later
      segments = Route.split(uri.path());
    } catch (IllegalArgumentException e) {
      order.complete(ticket, () -> responses.error(channel, ErrorCode.BAD_REQUEST, "malformed URI", keepAlive));
      return;
    }
    boolean pathMatched = false;
    for (Route route : routes) {
      Map<String, String> params = route.match(segments);
      if (params == null) {
        continue;
      }
      pathMatched = true;
      if (route.method().equals(request.method())) {
        dispatch(channel, order, ticket, route, request, uri, params, keepAlive);
        return;
      }
    }
    if (pathMatched) {
      order.complete(ticket, () -> responses.methodNotAllowed(channel, keepAlive));
      return;
    }
    if (uri.path().startsWith("/api/") || uri.path().equals("/api")) {
      order.complete(ticket, () -> responses.error(channel, ErrorCode.NOT_FOUND, "no such route", keepAlive));
      return;
    }
    HttpMethod method = request.method();
    String path = uri.path();
    order.complete(ticket, () -> staticFiles.serve(channel, method, path, keepAlive));
  }

  private void dispatch(Channel channel, ResponseOrder order, long ticket, Route route,
                        FullHttpRequest request, QueryStringDecoder uri, Map<String, String> params,
                        boolean keepAlive) {
    byte[] body = ByteBufUtil.getBytes(request.content());
    String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
    RestRequest partial = new RestRequest(request.method(), uri.path(), params, uri.parameters(),
        request.headers().copy(), body, null,
        proxies.clientAddress(channel.remoteAddress(), request.headers()));
    try {
      worker.execute(() -> {
        RestResponse response = handle(route, partial, authorization);
        if (response.stream() != null) {
          order.completeStreamed(ticket, () -> responses.write(channel, response, keepAlive));
        } else {
          order.complete(ticket, () -> responses.write(channel, response, keepAlive));
        }
      });
    } catch (RejectedExecutionException e) {
      order.complete(ticket, () -> responses.error(channel, ErrorCode.UNAVAILABLE, "server is shutting down", false));
    }
  }

  private RestResponse handle(Route route, RestRequest partial, String authorization) {
    try {
      RestRequest request = partial;
      if (route.isAuthenticated()) {
        request = new RestRequest(partial.method(), partial.path(), partial.pathParams(),
            partial.query(), partial.headers(), partial.body(), authenticate(authorization),
            partial.clientAddress());
      }
      return route.handler().handle(request);
    } catch (Exception e) {
      // our own words (ChatException) go out; a store's or a bug's text is logged and hidden
      return RestResponse.error(wireErrors.toWire(e, "rest", partial.method() + " " + partial.path()));
    }
  }

  private AuthenticatedUser authenticate(String authorization) {
    return BearerTokens.authenticate(authenticator, authorization);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("HTTP connection {} failed: {}", TrustedProxies.describe(ctx.channel()), cause.toString());
    ctx.close();
  }
}
