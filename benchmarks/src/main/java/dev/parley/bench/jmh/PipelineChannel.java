package dev.parley.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * An {@link EmbeddedChannel} on a {@link BenchEventLoop}, whose first handler is a sink: every
 * outbound frame is counted and released there, so nothing piles up in the channel.
 */
final class PipelineChannel extends EmbeddedChannel {
  private final BenchEventLoop loop;
  private final Sink sink = new Sink();

  PipelineChannel(BenchEventLoop loop) {
    super();
    this.loop = loop;
    pipeline().addFirst("sink", sink);
  }

  @Override
  public EventLoop eventLoop() {
    // null only while the super constructor runs
    return loop != null ? loop : super.eventLoop();
  }

  BenchEventLoop loop() {
    return loop;
  }

  long frames() {
    return sink.frames;
  }

  long bytes() {
    return sink.bytes;
  }

  long errorFrames() {
    return sink.errors;
  }

  /** Counts and releases outbound frames; touched only on the loop's thread. */
  private static final class Sink extends ChannelDuplexHandler {
    private long frames;
    private long bytes;
    private long errors;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      try {
        frames++;
        ByteBuf payload = null;
        int offset = 0;
        if (msg instanceof TextWebSocketFrame text) {
          payload = text.content();
        } else if (msg instanceof ByteBuf wire && wire.readableBytes() >= 2) {
          // a frame the server framed itself (WireFrames): FIN+opcode, length, then the payload
          int length = wire.getByte(wire.readerIndex() + 1) & 0x7F;
          offset = length < 126 ? 2 : length == 126 ? 4 : 10;
          payload = wire;
        }
        if (payload != null) {
          int start = payload.readerIndex() + offset;
          bytes += payload.writerIndex() - start;
          // {"type":"error"...: the tenth byte starts the type
          if (payload.writerIndex() - start > 9 && payload.getByte(start + 9) == 'e') {
            errors++;
          }
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
      promise.trySuccess();
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      // nothing was forwarded, nothing to flush
    }
  }
}
