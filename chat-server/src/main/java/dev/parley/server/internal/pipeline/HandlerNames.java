package dev.parley.server.internal.pipeline;

/**
 * Names of the handlers in a connection's pipeline, the one place that documents their order.
 *
 * <pre>
 * before the upgrade                     after the upgrade to a WebSocket
 * HTTP          HttpServerCodec          wsdecoder / wsencoder (put there by Netty's handshaker)
 * HEADERS       protective headers on    (removed after the handshake)
 *               every HTTP response
 * HEADER_TIMEOUT headers due in time     (removed after the handshake)
 * HTTP_IDLE     idle HTTP timeout        (removed after the handshake)
 * UPLOAD        streams POST /api/attachments to disk
 * AGGREGATOR    full requests, 413       (removed by the handshaker)
 * WS_AUTH       token check -> 401       (removed once the token is accepted)
 * INBOUND       (passes HTTP through)    INBOUND   time of the last frame (the connection's one
 *                                                  timer pings, closes 4000 and 4401), UTF-8 checks
 * WS            handshake at /ws         WS        ping/pong, close handshake
 * WS_AGGREGATOR                          WS_AGGREGATOR fragments -> one message, 1009 over the limit
 * ROUTER        REST, /healthz, static   (removed after the handshake)
 * SESSION       closes idle HTTP         SESSION   frames into the engine session
 * </pre>
 *
 * <p>The connection caps are not a handler: {@code ConnectionLimiter} counts a connection from
 * the initializer until its close future completes.
 */
public final class HandlerNames {
  public static final String HTTP = "http";
  public static final String HEADERS = "security-headers";
  public static final String HEADER_TIMEOUT = "header-timeout";
  public static final String HTTP_IDLE = "http-idle";
  public static final String UPLOAD = "upload";
  public static final String AGGREGATOR = "aggregator";
  public static final String WS_AUTH = "ws-auth";
  public static final String INBOUND = "ws-inbound";
  public static final String WS = "ws";
  public static final String WS_AGGREGATOR = "ws-aggregator";
  public static final String ROUTER = "router";
  public static final String SESSION = "session";

  private HandlerNames() {
  }
}
