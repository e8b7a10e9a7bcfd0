package dev.parley.server.internal.pipeline;

import dev.parley.core.ChatEngine;
import dev.parley.server.ServerConfig;
import dev.parley.server.internal.attachments.AttachmentUploadHandler;
import dev.parley.server.internal.http.HttpResponses;
import dev.parley.server.internal.http.HttpRouter;
import dev.parley.server.internal.http.SecurityHeaders;
import dev.parley.server.internal.http.TrustedProxies;
import dev.parley.server.internal.metrics.ServerMetrics;
import dev.parley.server.internal.ws.InboundActivity;
import dev.parley.server.internal.ws.OpenWebSockets;
import dev.parley.server.internal.ws.WebSocketAuthHandler;
import dev.parley.server.internal.ws.WebSocketSessionHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** Builds each connection's pipeline; see {@link HandlerNames} for the order. */
public final class ChatChannelInitializer extends ChannelInitializer<SocketChannel> {
  /** The WebSocket endpoint. */
  public static final String WS_PATH = "/ws";
  private static final int HTTP_IDLE_SECONDS = 60;

  private final ServerConfig config;
  private final ChatEngine engine;
  private final ServerMetrics metrics;
  private final HttpResponses responses;
  private final HttpRouter router;
  private final WebSocketServerProtocolConfig wsConfig;
  private final ConnectionLimiter limiter;
  private final OpenWebSockets webSockets;

  public ChatChannelInitializer(ServerConfig config, ChatEngine engine, ServerMetrics metrics,
                                HttpResponses responses, HttpRouter router, OpenWebSockets webSockets) {
    this.config = config;
    this.engine = engine;
    this.metrics = metrics;
    this.responses = responses;
    this.router = router;
    this.limiter = new ConnectionLimiter(config.maxConnections(), config.maxConnectionsPerAddress());
    this.wsConfig = webSocketConfig(config.frameLimit());
    this.webSockets = webSockets;
  }

  /**
   * The WebSocket settings of {@code /ws}: handshake and close handling, and a strict frame decoder
   * (masking required, no extensions, UTF-8 checked, protocol violations close the connection)
   * whose frames may carry at most {@code frameLimit} bytes. Shared with the Autobahn conformance
   * echo server so that it tests exactly this configuration.
   */
  public static WebSocketServerProtocolConfig webSocketConfig(int frameLimit) {
    return WebSocketServerProtocolConfig.newBuilder()
        .websocketPath(WS_PATH)
        .checkStartsWith(false)
        .handleCloseFrames(true)
        .dropPongFrames(true)
        // No close frame of Netty's own when the server closes: every deliberate close writes its
        // code first, and after a protocol violation the decoder has already answered (1002, 1007;
        // nothing after a malformed close frame). A default 1000 would follow those answers, or
        // stand in for the 1002 a bad close frame deserves (Autobahn 7.3.2, 7.3.6, 7.5.1, 7.9.*).
        .sendCloseFrame(null)
        .handshakeTimeoutMillis(10_000)
        .forceCloseTimeoutMillis(2_000)
        .decoderConfig(WebSocketDecoderConfig.newBuilder()
            .maxFramePayloadLength(frameLimit)
            .allowMaskMismatch(false)
            .allowExtensions(false)
            .closeOnProtocolViolation(true)
            .withUTF8Validator(true)
            .build())
        .build();
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    if (!limiter.admit(ch)) {
      return;
    }
    ChannelPipeline p = ch.pipeline();
    p.addLast(HandlerNames.HTTP, new HttpServerCodec());
    p.addLast(HandlerNames.HEADERS, SecurityHeaders.INSTANCE);
    p.addLast(HandlerNames.HEADER_TIMEOUT, new HeaderTimeoutHandler(config.headerTimeout().toMillis()));
    p.addLast(HandlerNames.HTTP_IDLE, new IdleStateHandler(0, 0, HTTP_IDLE_SECONDS, TimeUnit.SECONDS));
    p.addLast(HandlerNames.UPLOAD, new AttachmentUploadHandler(engine, responses));
    p.addLast(HandlerNames.AGGREGATOR, new JsonHttpObjectAggregator(config.requestLimit(), responses));
    p.addLast(HandlerNames.WS_AUTH, new WebSocketAuthHandler(WS_PATH, engine, responses,
        TrustedProxies.parse(config.trustedProxies())));
    p.addLast(HandlerNames.INBOUND, new InboundActivity()); // a UTF-8 check: Netty adds none of its own
    p.addLast(HandlerNames.WS, new WebSocketServerProtocolHandler(wsConfig));
    p.addLast(HandlerNames.WS_AGGREGATOR, new WebSocketFrameAggregator(config.frameLimit()));
    p.addLast(HandlerNames.ROUTER, router);
    p.addLast(HandlerNames.SESSION, new WebSocketSessionHandler(engine, metrics, webSockets));
  }
}
