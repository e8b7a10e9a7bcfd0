package dev.parley.server.internal.pipeline;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that does not complete a request's headers within the timeout after it
 * opened or after its previous request: a slowloris client trickling header bytes is dropped even
 * though it is never idle. Removed once the connection becomes a WebSocket.
 */
public final class HeaderTimeoutHandler extends ChannelDuplexHandler {
  private final long timeoutMillis;
  private ScheduledFuture<?> deadline;

  public HeaderTimeoutHandler(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    arm(ctx);
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof HttpRequest) {
      disarm();
    }
    if (msg instanceof LastHttpContent) {
      arm(ctx); // the next request's headers are due within the timeout too
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    disarm();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    disarm();
    super.channelInactive(ctx);
  }

  private void arm(ChannelHandlerContext ctx) {
    disarm();
    deadline = ctx.executor().schedule(() -> {
      if (ctx.channel().isActive()) {
        ctx.close();
      }
    }, timeoutMillis, TimeUnit.MILLISECONDS);
  }

  private void disarm() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }
}
