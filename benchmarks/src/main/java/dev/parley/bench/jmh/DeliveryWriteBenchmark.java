package dev.parley.bench.jmh;

import dev.parley.server.internal.ws.WireFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One encoded message written to each recipient's channel through Netty's real server-side
 * WebSocket encoder, then flushed: as a {@link TextWebSocketFrame} per recipient (the server until
 * issue 19's change: a frame object, and in the encoder a pooled header buffer and a second
 * buffer), or framed once by {@link WireFrames} and written as a wrapper of the same bytes to
 * each recipient (the encoder lets them pass). A sink in front of the encoder counts the bytes
 * and releases them. The encoding of the JSON itself is left out: it is the same in both.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class DeliveryWriteBenchmark {
  @Param({"10"})
  int recipients;

  private EmbeddedChannel[] channels;
  private final byte[][] messages = new byte[1024][];
  private long next;

  @Setup
  public void setUp() {
    channels = new EmbeddedChannel[recipients];
    for (int i = 0; i < recipients; i++) {
      channels[i] = new EmbeddedChannel(new Sink(), new WebSocket08FrameEncoder(false));
    }
    // a typical message frame with a 100-byte body
    for (int i = 0; i < messages.length; i++) {
      messages[i] = ("{\"type\":\"message\",\"id\":\"m3Jq8Zk1VfD0aRt6yXc2Ew\",\"thread\":\"hN6b0yqfQ2m8V1sX4rT9Ka\","
          + "\"seq\":" + (i + 1) + ",\"sender\":\"2vYQw1aH0c9kJ3xq7mT0Bg\",\"body\":\"" + "x".repeat(100)
          + "\",\"ts\":1767229200123,\"attachments\":[]}").getBytes(StandardCharsets.UTF_8);
    }
  }

  @TearDown
  public void tearDown() {
    for (EmbeddedChannel c : channels) {
      c.finishAndReleaseAll();
    }
  }

  /** The next message: one of 1,024 distinct arrays, so each is framed anew, as in the server. */
  private byte[] nextMessage() {
    return messages[(int) (next++ & (messages.length - 1))];
  }

  @Benchmark
  public int framePerRecipient() {
    byte[] message = nextMessage();
    for (EmbeddedChannel c : channels) {
      c.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(message)), c.voidPromise());
    }
    for (EmbeddedChannel c : channels) {
      c.flush();
    }
    return channels.length;
  }

  @Benchmark
  public int framedOnce() {
    byte[] frame = WireFrames.text(nextMessage());
    for (EmbeddedChannel c : channels) {
      c.write(Unpooled.wrappedBuffer(frame), c.voidPromise());
    }
    for (EmbeddedChannel c : channels) {
      c.flush();
    }
    return channels.length;
  }

  /** Takes what would go to the socket, counts it and lets it go. */
  private static final class Sink extends ChannelDuplexHandler {
    long written;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof ByteBuf b) {
        written += b.readableBytes();
      }
      ReferenceCountUtil.release(msg);
      promise.trySuccess();
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      // nothing was forwarded
    }
  }
}
