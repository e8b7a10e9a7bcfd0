package dev.parley.bench.jmh;

import dev.parley.server.internal.ws.AsciiFastUtf8Validator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The UTF-8 check of one incoming text frame (a 230-byte ASCII send frame, in a direct buffer as
 * the socket hands it over): Netty's {@link Utf8FrameValidator}, byte by byte, against
 * {@link AsciiFastUtf8Validator}, eight bytes at a time. A handler behind the validator takes
 * the frame and lets it go.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class Utf8ValidationBenchmark {
  private EmbeddedChannel netty;
  private EmbeddedChannel fast;
  private ByteBuf frame;

  @Setup
  public void setUp() {
    netty = new EmbeddedChannel(new Utf8FrameValidator(true), new Drop());
    fast = new EmbeddedChannel(new AsciiFastUtf8Validator(), new Drop());
    byte[] send = ("{\"type\":\"send\",\"id\":\"r-1234\",\"thread\":\"hN6b0yqfQ2m8V1sX4rT9Ka\",\"clientId\":"
        + "\"c-5f3a9e\",\"body\":\"" + "x".repeat(100) + "\",\"attachments\":[]}")
        .getBytes(StandardCharsets.UTF_8);
    frame = Unpooled.directBuffer(send.length).writeBytes(send);
  }

  @TearDown
  public void tearDown() {
    netty.finishAndReleaseAll();
    fast.finishAndReleaseAll();
    frame.release();
  }

  @Benchmark
  public boolean nettyValidator() {
    return netty.writeInbound(new TextWebSocketFrame(frame.retainedDuplicate()));
  }

  @Benchmark
  public boolean asciiFastPath() {
    return fast.writeInbound(new TextWebSocketFrame(frame.retainedDuplicate()));
  }

  /** The rest of the pipeline: takes the frame and releases it. */
  private static final class Drop extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }
  }
}
