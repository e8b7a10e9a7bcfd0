package dev.parley.server.internal.ws;

import io.netty.channel.ChannelHandlerContext;

/**
 * Notes when the last WebSocket frame of any kind (data, ping, pong, close, continuation)
 * arrived, for the heartbeat check of {@link HeartbeatSweep}, and is the connection's UTF-8
 * check of text frames. It sits before the protocol handler, which swallows control frames,
 * where the validator must sit too: being both saves every connection a pipeline context and
 * every frame a hop. One instance per connection; no timer of its own.
 */
public final class InboundActivity extends AsciiFastUtf8Validator {
  private long lastReadNanos = System.nanoTime();

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    lastReadNanos = System.nanoTime();
    super.channelRead(ctx, msg);
  }

  long lastReadNanos() {
    return lastReadNanos;
  }
}
