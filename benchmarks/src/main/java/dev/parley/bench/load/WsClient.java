package dev.parley.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Netty WebSocket client for many connections on a few event loop threads. Each connection is
 * ready once the server's {@code hello} arrives; every later text frame goes to its
 * {@link FrameListener} on the connection's event loop.
 */
final class WsClient implements AutoCloseable {
  /** Text frames of one connection, on its event loop. */
  interface FrameListener {
    void onFrame(WsConnection connection, ByteBuf utf8);

    /** The connection closed while the run still needed it. */
    void onDisconnect(WsConnection connection);
  }

  /** One open connection. */
  static final class WsConnection {
    final int index;
    final Channel channel;
    /** The run's per-connection state, owned by the listener. */
    Object attachment;
    volatile boolean closing;

    WsConnection(int index, Channel channel) {
      this.index = index;
      this.channel = channel;
    }

    void close() {
      closing = true;
      channel.close();
    }
  }

  private static final byte[] TYPE_PREFIX = "{\"type\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final URI wsUri;
  private final InetSocketAddress remote;
  private final boolean spreadSources;

  WsClient(URI httpUrl, int eventLoops, boolean spreadSources) {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.group = new MultiThreadIoEventLoopGroup(eventLoops, io);
    this.bootstrap = new Bootstrap().group(group)
        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
    int port = httpUrl.getPort() > 0 ? httpUrl.getPort() : 80;
    this.wsUri = URI.create("ws://" + httpUrl.getHost() + ":" + port + "/ws");
    this.remote = new InetSocketAddress(httpUrl.getHost(), port);
    this.spreadSources = spreadSources;
  }

  /** Opens connection {@code index} with an access token; completes once {@code hello} arrived. */
  CompletableFuture<WsConnection> connect(int index, String token, FrameListener listener) {
    CompletableFuture<WsConnection> ready = new CompletableFuture<>();
    HttpHeaders headers = new DefaultHttpHeaders().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
    WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
        .webSocketUri(wsUri)
        .customHeaders(headers)
        .maxFramePayloadLength(1 << 20)
        .handshakeTimeoutMillis(30_000)
        .build();
    Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65_536),
            new WebSocketClientProtocolHandler(config), new Handler(index, ready, listener));
      }
    });
    var future = spreadSources
        ? b.connect(remote, new InetSocketAddress("127.0.0." + (1 + index % 250), 0))
        : b.connect(remote);
    future.addListener(f -> {
      if (!f.isSuccess()) {
        ready.completeExceptionally(f.cause());
      }
    });
    return ready;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }

  /** The type's first letter of a server frame ({@code {"type":"X...}), or 0. */
  static byte typeOf(ByteBuf utf8) {
    int start = utf8.readerIndex();
    if (utf8.readableBytes() <= TYPE_PREFIX.length) {
      return 0;
    }
    for (int i = 0; i < TYPE_PREFIX.length; i++) {
      if (utf8.getByte(start + i) != TYPE_PREFIX[i]) {
        return 0;
      }
    }
    return utf8.getByte(start + TYPE_PREFIX.length);
  }

  private static final class Handler extends ChannelInboundHandlerAdapter {
    private final int index;
    private final CompletableFuture<WsConnection> ready;
    private final FrameListener listener;
    private WsConnection connection;

    Handler(int index, CompletableFuture<WsConnection> ready, FrameListener listener) {
      this.index = index;
      this.ready = ready;
      this.listener = listener;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (!(msg instanceof TextWebSocketFrame text)) {
          return;
        }
        if (connection == null) {
          if (typeOf(text.content()) == 'h') {
            connection = new WsConnection(index, ctx.channel());
            ready.complete(connection);
          } else {
            ready.completeExceptionally(new IllegalStateException("expected hello, got "
                + text.text()));
            ctx.close();
          }
          return;
        }
        listener.onFrame(connection, text.content());
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      if (connection == null) {
        ready.completeExceptionally(new IllegalStateException("closed before hello"));
      } else if (!connection.closing) {
        listener.onDisconnect(connection);
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
}
