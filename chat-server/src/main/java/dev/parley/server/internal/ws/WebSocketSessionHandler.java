package dev.parley.server.internal.ws;

import dev.parley.core.ChatEngine;
import dev.parley.core.session.Session;
import dev.parley.protocol.CloseCodes;
import dev.parley.server.internal.metrics.ServerMetrics;
import dev.parley.server.internal.pipeline.HandlerNames;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty side of one chat connection after the handshake: opens the engine session, pushes
 * text frames into it, and enforces what only the transport can see: binary frames (1003),
 * oversized messages (1009), silence (4000), an expired token (4401), a reader that does not
 * keep up (4008). One instance per connection.
 */
public final class WebSocketSessionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(WebSocketSessionHandler.class);

  private final ChatEngine engine;
  private final ServerMetrics metrics;
  private final OpenWebSockets heartbeats;
  private NettyConnection connection;
  private Session session;
  private HeartbeatSweep.Watch heartbeat;
  private ScheduledFuture<?> slowCheck;

  public WebSocketSessionHandler(ChatEngine engine, ServerMetrics metrics, OpenWebSockets heartbeats) {
    this.engine = engine;
    this.metrics = metrics;
    this.heartbeats = heartbeats;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
      start(ctx);
    } else if (evt instanceof IdleStateEvent) {
      ctx.close(); // idle HTTP before any upgrade (after it, OpenWebSockets watches)
    } else {
      super.userEventTriggered(ctx, evt);
    }
  }

  private void start(ChannelHandlerContext ctx) {
    UpgradeAuthentication auth = ctx.channel().attr(UpgradeAuthentication.KEY).getAndRemove();
    if (auth == null) {
      ctx.close();
      return;
    }
    for (String http : new String[] {HandlerNames.ROUTER, HandlerNames.UPLOAD, HandlerNames.HEADER_TIMEOUT,
        HandlerNames.HEADERS, HandlerNames.HTTP_IDLE}) {
      if (ctx.pipeline().get(http) != null) {
        ctx.pipeline().remove(http);
      }
    }
    InboundActivity activity = (InboundActivity) ctx.pipeline().get(HandlerNames.INBOUND);
    connection = new NettyConnection(ctx.channel(), metrics);
    session = engine.sessions().open(auth.user(), auth.conversationIds(), connection);
    heartbeat = heartbeats.watch(ctx, connection, session, activity);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof WebSocketFrame frame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      if (session == null || connection.isClosing()) {
        return;
      }
      metrics.frameReceived();
      if (frame instanceof TextWebSocketFrame text) {
        session.onFrame(ByteBufUtil.getBytes(text.content()));
      } else if (frame instanceof BinaryWebSocketFrame) {
        connection.close(CloseCodes.UNSUPPORTED_DATA, "binary frames are not supported");
      }
    } finally {
      ReferenceCountUtil.release(frame);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (!ctx.channel().isWritable() && connection != null) {
      if (slowCheck == null) {
        // a burst over the limit is not yet a slow consumer: one that stays over it for a while is
        slowCheck = ctx.executor().schedule(() -> {
          slowCheck = null;
          if (!ctx.channel().isWritable()) {
            log.info("closing slow consumer {} (user {})", connection.describe(),
                session == null ? "?" : session.userId());
            connection.closeNow(CloseCodes.SLOW_CONSUMER, "slow consumer");
          }
        }, 1, TimeUnit.SECONDS);
      }
    } else if (ctx.channel().isWritable() && slowCheck != null) {
      slowCheck.cancel(false);
      slowCheck = null;
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (heartbeat != null) {
      heartbeat.stop();
    }
    if (session != null) {
      session.closed();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException && connection != null) {
      connection.close(CloseCodes.MESSAGE_TOO_BIG, "message over the frame limit");
      return;
    }
    if (cause instanceof CorruptedWebSocketFrameException) {
      log.debug("protocol violation from {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
      return; // the decoder has answered with a close frame
    }
    log.debug("WebSocket {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
