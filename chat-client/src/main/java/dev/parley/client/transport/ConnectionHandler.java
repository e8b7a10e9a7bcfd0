package dev.parley.client.transport;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;

/**
 * The last handler of a transport connection: waits for {@code hello}, then passes text frames
 * on; answers a close frame and remembers its code for {@link FrameHandler#onClose}.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
  private final int index;
  private final CompletableFuture<WsConnection> ready;
  private final FrameHandler handler;
  private WsConnection connection;
  private int closeCode = -1;

  ConnectionHandler(int index, CompletableFuture<WsConnection> ready, FrameHandler handler) {
    this.index = index;
    this.ready = ready;
    this.handler = handler;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof CloseWebSocketFrame close) {
        closeCode = close.statusCode();
        ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode() < 0 ? 1000 : close.statusCode(), ""))
            .addListener(ChannelFutureListener.CLOSE);
        return;
      }
      if (!(msg instanceof TextWebSocketFrame text)) {
        return;
      }
      if (connection == null) {
        if (WsTransport.typeOf(text.content()) == 'h') {
          connection = new WsConnection(index, ctx.channel(), text.text());
          ready.complete(connection);
        } else {
          ready.completeExceptionally(new IllegalStateException("expected hello, got " + text.text()));
          ctx.close();
        }
        return;
      }
      handler.onFrame(connection, text.content());
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (connection == null) {
      ready.completeExceptionally(new IllegalStateException("closed before hello (close code "
          + closeCode + ")"));
    } else if (!connection.closing()) {
      handler.onClose(connection, closeCode);
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (connection == null) {
      ready.completeExceptionally(cause);
    }
    ctx.close();
  }
}
