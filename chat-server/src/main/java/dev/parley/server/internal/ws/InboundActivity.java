package dev.parley.server.internal.ws;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Notes when the last WebSocket frame of any kind (data, ping, pong, close, continuation)
 * arrived, for the heartbeat check of {@link ConnectionTimer}. It sits before the protocol
 * handler, which swallows control frames. One instance per connection; no timer of its own.
 */
final class InboundActivity extends ChannelInboundHandlerAdapter {
  private long lastReadNanos = System.nanoTime();

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    lastReadNanos = System.nanoTime();
    ctx.fireChannelRead(msg);
  }

  long lastReadNanos() {
    return lastReadNanos;
  }
}
