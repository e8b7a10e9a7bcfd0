package dev.parley.bench.jmh;

import dev.parley.core.ChatEngine;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.User;
import dev.parley.server.internal.http.HttpResponses;
import dev.parley.server.internal.metrics.ServerMetrics;
import dev.parley.server.internal.pipeline.ChatChannelInitializer;
import dev.parley.server.internal.pipeline.HandlerNames;
import dev.parley.server.internal.ws.WebSocketAuthHandler;
import dev.parley.server.internal.ws.OpenWebSockets;
import dev.parley.server.internal.ws.WebSocketSessionHandler;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One WebSocket connection's server side, without a socket: the server's own upgrade
 * authentication ({@link WebSocketAuthHandler}, a real HS256 token) and session handler
 * ({@link WebSocketSessionHandler}) on an embedded channel, over a real engine on SQLite in a temp
 * dir. A {@link TextWebSocketFrame} goes in; the benchmark waits for the frames it causes and
 * releases them:
 * <ul>
 *   <li>{@code ping}: the pong (no storage);</li>
 *   <li>{@code send}: the ack, once the message is committed (group commit, fsync), and the message
 *       delivered back to the sender's own connection: one full round trip through the store.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class PipelineBenchmark {
  private BenchEngine fixture;
  private PipelineChannel channel;
  private BenchEventLoop loop;
  private byte[] ping;
  private byte[] send;
  private long sent;

  @Setup(Level.Trial)
  public void setUp() {
    fixture = new BenchEngine(512);
    ChatEngine engine = fixture.engine();
    long now = System.currentTimeMillis();
    User user = engine.store().createUser("bench", "Bench", "unused-hash", now);
    ChatThread thread = engine.store().createGroup("bench", user.id(), List.of(user.id()), now);
    String token = fixture.tokens().issue(user.id(), "bench-session").access();

    loop = new BenchEventLoop();
    channel = new PipelineChannel(loop);
    ServerMetrics metrics = new ServerMetrics(() -> 1);
    channel.pipeline()
        .addLast(HandlerNames.HTTP_IDLE, new IdleStateHandler(0, 0, 60, TimeUnit.SECONDS))
        .addLast(HandlerNames.WS_AUTH, new WebSocketAuthHandler(ChatChannelInitializer.WS_PATH,
            engine, new HttpResponses(metrics)))
        .addLast(HandlerNames.SESSION, new WebSocketSessionHandler(engine, metrics,
            new OpenWebSockets(engine.config().heartbeatSeconds(), Duration.ofSeconds(30))));

    // the upgrade request: the token is checked on a worker, then the request moves on
    FullHttpRequest upgrade = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
        ChatChannelInitializer.WS_PATH);
    upgrade.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
        .set(HttpHeaderNames.SEC_WEBSOCKET_KEY, "dGhlIHNhbXBsZSBub25jZQ==")
        .set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13")
        .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
    channel.writeInbound(upgrade);
    Object[] passed = new Object[1];
    loop.runUntil(() -> (passed[0] = channel.readInbound()) != null);
    ReferenceCountUtil.release(passed[0]);
    if (channel.pipeline().get(HandlerNames.WS_AUTH) != null) {
      throw new IllegalStateException("the upgrade was not authenticated");
    }
    // what Netty's handshaker announces once the 101 is out
    channel.pipeline().fireUserEventTriggered(new WebSocketServerProtocolHandler.HandshakeComplete(
        ChatChannelInitializer.WS_PATH, upgrade.headers(), null));
    loop.runUntil(() -> channel.frames() >= 1); // hello

    ping = "{\"type\":\"ping\",\"id\":\"p\"}".getBytes(StandardCharsets.UTF_8);
    send = ("{\"type\":\"send\",\"id\":\"s\",\"thread\":\"" + thread.id() + "\",\"body\":\""
        + "x".repeat(100) + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    loop.own();
    long errors = channel.errorFrames();
    channel.finishAndReleaseAll();
    loop.runTasks();
    fixture.close();
    loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    if (errors > 0) {
      throw new IllegalStateException(errors + " error frames: the benchmark measured refusals");
    }
  }

  @Benchmark
  public long pingPong() {
    return roundTrip(ping, 1);
  }

  @Benchmark
  public long sendAckDeliver() {
    sent++;
    return roundTrip(send, 2);
  }

  private long roundTrip(byte[] frame, int answers) {
    loop.own();
    long target = channel.frames() + answers;
    channel.writeInbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame)));
    loop.runUntil(() -> channel.frames() >= target);
    return channel.bytes();
  }
}
