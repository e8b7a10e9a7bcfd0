package dev.parley.server.internal.ws;

import dev.parley.core.ChatEngine;
import dev.parley.core.auth.AuthenticatedUser;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.server.internal.http.BearerTokens;
import dev.parley.server.internal.http.HttpResponses;
import dev.parley.server.internal.http.TrustedProxies;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * Authenticates a WebSocket upgrade before any WebSocket exists: the credential is an access token
 * from {@code Authorization: Bearer} or {@code ?token=}, or a single-use ticket from
 * {@code ?ticket=} (contract 7.1, what the web client uses so that no token lands in a URL). It
 * is checked on a worker thread, and a bad one gets a 401 with the contract's error body. A good
 * one is stored in a channel attribute, the query is stripped from the URI (so the credential
 * appears in no later log or handler), and the request goes on to the handshake. Requests for
 * other paths pass through untouched.
 */
public final class WebSocketAuthHandler extends ChannelInboundHandlerAdapter {

  private final String path;
  private final ChatEngine engine;
  private final HttpResponses responses;
  private final TrustedProxies proxies;

  public WebSocketAuthHandler(String path, ChatEngine engine, HttpResponses responses) {
    this(path, engine, responses, TrustedProxies.none());
  }

  /** With the proxies whose X-Forwarded-For names the client in this connection's logs. */
  public WebSocketAuthHandler(String path, ChatEngine engine, HttpResponses responses,
                              TrustedProxies proxies) {
    this.proxies = proxies;
    this.path = path;
    this.engine = engine;
    this.responses = responses;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request)) {
      ctx.fireChannelRead(msg);
      return;
    }
    QueryStringDecoder uri;
    try {
      uri = new QueryStringDecoder(request.uri());
      uri.parameters();
    } catch (IllegalArgumentException e) {
      ctx.fireChannelRead(msg); // the router answers 400
      return;
    }
    if (!uri.path().equals(path)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (!proxies.isEmpty()) {
      ctx.channel().attr(TrustedProxies.CLIENT).set(
          proxies.clientAddress(ctx.channel().remoteAddress(), request.headers()));
    }
    try {
      Credential credential = credential(request, uri);
      if (!HttpMethod.GET.equals(request.method())) {
        responses.methodNotAllowed(ctx.channel(), false);
        return;
      }
      if (!request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
        responses.error(ctx.channel(), ErrorCode.BAD_REQUEST, "expected a WebSocket upgrade", false);
        return;
      }
      if (!isSupportedHandshake(request)) {
        // Netty's handshaker would answer these itself, without the contract's error body
        responses.error(ctx.channel(), ErrorCode.BAD_REQUEST,
            "a WebSocket upgrade needs Sec-WebSocket-Key and Sec-WebSocket-Version: 13", false);
        return;
      }
      if (credential == null) {
        responses.error(ctx.channel(), ErrorCode.UNAUTHORIZED, "missing access token", false);
        return;
      }
      request.setUri(path); // the credential must not travel further than this handler
      authenticate(ctx, request.retain(), credential);
    } finally {
      request.release();
    }
  }

  private void authenticate(ChannelHandlerContext ctx, FullHttpRequest request, Credential credential) {
    ctx.channel().config().setAutoRead(false);
    try {
      engine.worker().execute(() -> {
        UpgradeAuthentication auth;
        try {
          AuthenticatedUser user = credential.ticket()
              ? engine.accounts().sessions().redeemTicket(credential.value())
              : engine.authenticator().authenticate(credential.value());
          List<String> threads = engine.conversations().idsOf(user.id());
          auth = new UpgradeAuthentication(user, threads);
        } catch (RuntimeException e) {
          ChatException wire = engine.wireErrors().toWire(e, "ws", "upgrade authentication");
          refuse(ctx, request, wire.code(), wire.getMessage());
          return;
        }
        try {
          ctx.executor().execute(() -> proceed(ctx, request, auth));
        } catch (RejectedExecutionException e) {
          request.release(); // the event loop is gone: shutting down
        }
      });
    } catch (RejectedExecutionException e) {
      refuse(ctx, request, ErrorCode.UNAVAILABLE, "server is shutting down");
    }
  }

  private void proceed(ChannelHandlerContext ctx, FullHttpRequest request, UpgradeAuthentication auth) {
    if (!ctx.channel().isActive()) {
      request.release();
      return;
    }
    ctx.channel().attr(UpgradeAuthentication.KEY).set(auth);
    ctx.channel().config().setAutoRead(true);
    ctx.pipeline().remove(this);
    ctx.fireChannelRead(request);
  }

  private void refuse(ChannelHandlerContext ctx, FullHttpRequest request, ErrorCode code, String message) {
    request.release();
    ErrorCode status = code == ErrorCode.UNAVAILABLE || code == ErrorCode.INTERNAL ? code : ErrorCode.UNAUTHORIZED;
    responses.error(ctx.channel(), status, message, false);
  }

  /** A key and a protocol version the handshaker speaks (13; 7 and 8 are its drafts). */
  private static boolean isSupportedHandshake(FullHttpRequest request) {
    String key = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
    String version = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
    return key != null && !key.isBlank()
        && ("13".equals(version) || "8".equals(version) || "7".equals(version));
  }

  /** An access token, or a ticket to redeem. */
  private record Credential(String value, boolean ticket) {
  }

  /** The Bearer header first, then {@code ?ticket=}, then {@code ?token=}; null when none. */
  private static Credential credential(FullHttpRequest request, QueryStringDecoder uri) {
    String bearer = BearerTokens.token(request.headers().get(HttpHeaderNames.AUTHORIZATION));
    if (bearer != null) {
      return new Credential(bearer, false);
    }
    String ticket = firstParameter(uri, "ticket");
    if (ticket != null) {
      return new Credential(ticket, true);
    }
    String token = firstParameter(uri, "token");
    return token == null ? null : new Credential(token, false);
  }

  private static String firstParameter(QueryStringDecoder uri, String name) {
    List<String> values = uri.parameters().get(name);
    return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
  }
}
