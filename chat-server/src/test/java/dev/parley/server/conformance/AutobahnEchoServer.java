package dev.parley.server.conformance;

import dev.parley.server.ServerConfig;
import dev.parley.server.internal.pipeline.ChatChannelInitializer;
import dev.parley.server.internal.ws.AsciiFastUtf8Validator;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The WebSocket server that the Autobahn fuzzing client tests: the chat server's own WebSocket
 * stack ({@link ChatChannelInitializer#webSocketConfig(int)}, the same frame aggregator and frame
 * limit) with an {@link EchoHandler} in place of the chat session and no token check. It listens at
 * {@code /} because the fuzzing client connects there.
 *
 * <p>{@code main(port)} blocks until its thread is interrupted (the Maven plugin interrupts it
 * when the run is over), then stops; it never calls {@code System.exit}, since it runs inside the
 * Maven JVM.
 */
public final class AutobahnEchoServer {
  private AutobahnEchoServer() {
  }

  /** Serves on {@code args[0]} (the port the plugin chose) with the chat server's default frame limit. */
  public static void main(String[] args) throws InterruptedException {
    run(Integer.parseInt(args[0]), ServerConfig.builder().build().frameLimit());
  }

  /** Serves echo on {@code port} with {@code frameLimit} until the calling thread is interrupted. */
  static void run(int port, int frameLimit) throws InterruptedException {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
        new DefaultThreadFactory("autobahn-echo", true), NioIoHandler.newFactory());
    try {
      Channel server = new ServerBootstrap()
          .group(group)
          .channel(NioServerSocketChannel.class)
          .childHandler(new Initializer(frameLimit))
          .bind(port)
          .sync()
          .channel();
      server.closeFuture().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  /** The chat pipeline's WebSocket part, ending in the echo handler. */
  static final class Initializer extends ChannelInitializer<SocketChannel> {
    private final int frameLimit;
    private final WebSocketServerProtocolConfig config;

    Initializer(int frameLimit) {
      this.frameLimit = frameLimit;
      this.config = ChatChannelInitializer.webSocketConfig(frameLimit).toBuilder()
          .websocketPath("/")
          .build();
    }

    @Override
    protected void initChannel(SocketChannel ch) {
      ChannelPipeline p = ch.pipeline();
      p.addLast(new HttpServerCodec());
      p.addLast(new HttpObjectAggregator(8192));
      p.addLast(new AsciiFastUtf8Validator()); // as the chat pipeline: Autobahn's 6.* cases check it
      p.addLast(new WebSocketServerProtocolHandler(config));
      p.addLast(new WebSocketFrameAggregator(frameLimit));
      p.addLast(new EchoHandler());
    }
  }
}
