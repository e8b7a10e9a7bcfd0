package dev.parley.client.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
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
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The low-level layer: many WebSocket connections to Parley on one {@link EventLoopGroup}, raw
 * text frames in and out. A connection is handed over once the server's {@code hello} arrived;
 * every later text frame goes to its {@link FrameHandler} on the connection's event loop. The
 * load generator runs thousands of connections on it; {@code ChatClient} runs one.
 *
 * <p>Server pings are answered by Netty; close frames are answered and reported with their code.
 */
public final class WsTransport implements AutoCloseable {
  private static final byte[] TYPE_PREFIX = "{\"type\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_FRAME = 1 << 20;

  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final boolean validateUtf8;

  /** A transport with its own group of {@code eventLoops} threads (epoll when available). */
  public WsTransport(int eventLoops) {
    this(eventLoops, true);
  }

  /**
   * A transport whose connections check that each text frame is valid UTF-8 (and close on one
   * that is not) when {@code validateUtf8}, as the protocol asks of a client. Without the check a
   * bad frame reaches the {@link FrameHandler} as it came: only for a caller that reads the bytes
   * itself and trusts the server (the load generator, which spends a tenth of its CPU on it).
   */
  public WsTransport(int eventLoops, boolean validateUtf8) {
    this.validateUtf8 = validateUtf8;
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.group = new MultiThreadIoEventLoopGroup(eventLoops, io);
    this.bootstrap = new Bootstrap().group(group)
        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
  }

  /** The WebSocket URI of a server given by its HTTP base URL ({@code http://host:port}). */
  public static URI webSocketUri(URI httpUrl) {
    String scheme = "https".equalsIgnoreCase(httpUrl.getScheme()) ? "wss" : "ws";
    int port = httpUrl.getPort() > 0 ? httpUrl.getPort() : ("wss".equals(scheme) ? 443 : 80);
    return URI.create(scheme + "://" + httpUrl.getHost() + ":" + port + "/ws");
  }

  public EventLoopGroup group() {
    return group;
  }

  /** Opens a connection with a Bearer token; completes once {@code hello} arrived. */
  public CompletableFuture<WsConnection> connect(URI wsUri, String bearer, int index, FrameHandler handler) {
    return connect(wsUri, bearer, index, null, handler);
  }

  /**
   * Opens connection {@code index} (any number the caller uses to tell connections apart) from
   * {@code localAddress} (null: any). Completes with the ready connection once {@code hello}
   * arrived, or exceptionally: a refused upgrade fails with Netty's
   * {@code WebSocketClientHandshakeException} (its {@code response()} has the HTTP status).
   */
  public CompletableFuture<WsConnection> connect(URI wsUri, String bearer, int index,
                                                 InetSocketAddress localAddress, FrameHandler handler) {
    if (!"ws".equalsIgnoreCase(wsUri.getScheme())) {
      throw new IllegalArgumentException("only ws:// is supported: " + wsUri);
    }
    CompletableFuture<WsConnection> ready = new CompletableFuture<>();
    HttpHeaders headers = new DefaultHttpHeaders();
    if (bearer != null) {
      headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + bearer);
    }
    WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
        .webSocketUri(wsUri)
        .customHeaders(headers)
        .maxFramePayloadLength(MAX_FRAME)
        .handshakeTimeoutMillis(30_000)
        .handleCloseFrames(false)
        .withUTF8Validator(validateUtf8)
        .build();
    Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65_536),
            new WebSocketClientProtocolHandler(config),
            new ConnectionHandler(index, ready, handler));
      }
    });
    int port = wsUri.getPort() > 0 ? wsUri.getPort() : 80;
    InetSocketAddress remote = InetSocketAddress.createUnresolved(wsUri.getHost(), port);
    ChannelFuture f = localAddress != null ? b.connect(remote, localAddress) : b.connect(remote);
    f.addListener(done -> {
      if (!done.isSuccess()) {
        ready.completeExceptionally(done.cause());
      }
    });
    return ready;
  }

  /** Closes every connection and stops the event loops. */
  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }

  /** The first letter of a server frame's type (<code>{"type":"X...</code>), or 0. */
  public static byte typeOf(ByteBuf utf8) {
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
}
