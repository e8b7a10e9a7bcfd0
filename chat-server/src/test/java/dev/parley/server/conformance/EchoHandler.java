package dev.parley.server.conformance;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Echoes every whole text and binary message back as one frame of the same kind. Ping, pong and
 * close never get here: the protocol handler before it answers them.
 */
final class EchoHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame) {
      ctx.writeAndFlush(new TextWebSocketFrame(frame.content().retain()));
    } else if (frame instanceof BinaryWebSocketFrame) {
      ctx.writeAndFlush(new BinaryWebSocketFrame(frame.content().retain()));
    }
  }

  /** As the chat session handler: 1009 over the limit; the decoder has already answered a violation. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG))
          .addListener(ChannelFutureListener.CLOSE);
    } else if (!(cause instanceof CorruptedWebSocketFrameException)) {
      ctx.close();
    }
  }
}
