package dev.parley.server;

import dev.parley.core.attachments.BlobStore;
import dev.parley.core.ChatEngine;
import dev.parley.core.MessageInterceptor;
import dev.parley.core.auth.Authenticator;
import dev.parley.core.auth.JwtSecrets;
import dev.parley.core.auth.PasswordHasher;
import dev.parley.core.auth.TokenService;
import dev.parley.core.broker.Broker;
import dev.parley.core.broker.InMemoryBroker;
import dev.parley.core.broker.redis.RedisBroker;
import dev.parley.core.broker.redis.RedisBrokerOptions;
import dev.parley.core.limits.redis.RedisRateLimits;
import dev.parley.core.presence.redis.RedisPresence;
import dev.parley.core.store.ChatStore;
import dev.parley.core.store.jdbc.JdbcChatStore;
import dev.parley.core.store.jdbc.StoreOptions;
import dev.parley.protocol.CloseCodes;
import dev.parley.server.internal.attachments.AttachmentLinks;
import dev.parley.server.internal.attachments.AttachmentThumbnails;
import dev.parley.server.internal.attachments.Thumbnailer;
import dev.parley.server.internal.attachments.BlobStores;
import dev.parley.server.internal.http.HttpResponses;
import dev.parley.server.internal.http.HttpRouter;
import dev.parley.server.internal.http.Route;
import dev.parley.server.internal.http.StaticFiles;
import dev.parley.server.internal.http.TrustedProxies;
import dev.parley.server.internal.metrics.ServerMetrics;
import dev.parley.server.internal.pipeline.ChatChannelInitializer;
import dev.parley.server.internal.profile.AvatarImages;
import dev.parley.server.internal.ws.LoopOutbox;
import dev.parley.server.internal.ws.OpenWebSockets;
import dev.parley.server.internal.rest.AccountRoutes;
import dev.parley.server.internal.rest.AttachmentRoutes;
import dev.parley.server.internal.rest.MessageRoutes;
import dev.parley.server.internal.rest.ProfileRoutes;
import dev.parley.server.internal.rest.PushRoutes;
import dev.parley.core.notifications.WebhookSettings;
import dev.parley.server.internal.rest.SystemRoutes;
import dev.parley.server.internal.rest.ControlRoutes;
import dev.parley.server.internal.rest.ThreadRoutes;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running chat server: the engine behind a Netty listener serving REST, the WebSocket endpoint,
 * the web client, {@code /healthz} and {@code /metrics} on one port.
 *
 * <pre>{@code
 * try (ChatServer server = ChatServer.builder(ServerConfig.builder().port(0).build()).start()) {
 *   int port = server.port();
 * }
 * }</pre>
 */
public final class ChatServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChatServer.class);

  private final ServerConfig config;
  private final ChatEngine engine;
  private final EventLoopGroup bossGroup;
  private final EventLoopGroup workerGroup;
  private final OpenWebSockets webSockets;
  private final Channel serverChannel;
  private final ServerMetrics metrics;
  private final int port;
  private volatile boolean closed;

  private ChatServer(ServerConfig config, ChatEngine engine, EventLoopGroup bossGroup,
                     EventLoopGroup workerGroup, OpenWebSockets webSockets, Channel serverChannel,
                     ServerMetrics metrics) {
    this.config = config;
    this.engine = engine;
    this.bossGroup = bossGroup;
    this.workerGroup = workerGroup;
    this.webSockets = webSockets;
    this.serverChannel = serverChannel;
    this.metrics = metrics;
    this.port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  public static Builder builder(ServerConfig config) {
    return new Builder(config);
  }

  /** The port the server listens on (the chosen one when configured with 0). */
  public int port() {
    return port;
  }

  public ServerConfig config() {
    return config;
  }

  /** The engine, for the host application's own calls (threads, messages, users). */
  public ChatEngine engine() {
    return engine;
  }

  /**
   * Graceful stop: stops accepting connections, stores every accepted message (their acks go
   * out), closes every WebSocket with 1001, then stops the engine and the event loops.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    long timeout = config.shutdownTimeout().toMillis();
    serverChannel.close().awaitUninterruptibly(timeout);
    if (!engine.drainMessages(timeout)) {
      log.error("could not store every accepted message within {} ms", timeout);
    }
    webSockets.closeAll(CloseCodes.GOING_AWAY, "server shutting down", Duration.ofSeconds(2));
    engine.close();
    metrics.close();
    workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    log.info("server on port {} stopped", port);
  }

  /** Assembles and starts a server; the host may supply its own store, broker or authenticator. */
  public static final class Builder {
    private final ServerConfig config;
    private ChatStore store;
    private Broker broker;
    private Authenticator authenticator;
    private MessageInterceptor interceptor;
    private MeterRegistry meterRegistry;

    private Builder(ServerConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** A store of the host's; default the JDBC store at {@link ServerConfig#dbUrl()}. */
    public Builder store(ChatStore v) {
      store = v;
      return this;
    }

    /** A broker of the host's; default Redis when configured, else in memory. */
    public Builder broker(Broker v) {
      broker = v;
      return this;
    }

    /** Accepts the host's own tokens instead of (only) the built-in accounts' ones. */
    public Builder authenticator(Authenticator v) {
      authenticator = v;
      return this;
    }

    /** Sees (and may reject or rewrite) every message before it is stored. */
    public Builder interceptor(MessageInterceptor v) {
      interceptor = v;
      return this;
    }

    /**
     * The host's Micrometer registry, where the server registers its meters ({@code chat.*});
     * default a Prometheus registry of the server's own. {@code /metrics} serves the host's
     * registry when it is a {@code PrometheusMeterRegistry}, else the server's own Prometheus
     * registry (the meters go to both). Closing the server removes its meters from the registry.
     */
    public Builder meterRegistry(MeterRegistry v) {
      meterRegistry = v;
      return this;
    }

    /** Opens the store, starts the engine and binds the port. */
    public ChatServer start() {
      try {
        Files.createDirectories(config.dataDir());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create data dir " + config.dataDir(), e);
      }
      ChatStore s = store != null ? store : JdbcChatStore.open(StoreOptions.of(config.dbUrl()));
      Broker b = broker != null ? broker : defaultBroker();
      byte[] secret = JwtSecrets.resolve(config.jwtSecret(), config.dataDir());
      TokenService tokens = new TokenService(secret, config.tokenTtl(), config.refreshTtl(),
          Clock.systemUTC());
      ServerMetrics metrics = new ServerMetrics(meterRegistry, () -> 0);
      BlobStore blobs = BlobStores.choose(config, s);
      log.info("attachments kept in {}", blobs.describe());
      ChatEngine.Builder eb = ChatEngine.builder()
          .store(s)
          .broker(b)
          .config(config.engineConfig())
          .builtInAccounts(tokens, new PasswordHasher(config.bcryptCost()))
          .attachments(blobs, config.attachmentLimit())
          .push(config.push())
          .webhooks(config.webhooks().isEmpty() ? null
              : WebhookSettings.of(config.webhooks(), config.webhookSecret()))
          .commitObserver(metrics)
          .sendBurst(LoopOutbox.sendBurst()) // a commit batch's frames reach each event loop at once
          .failureObserver(metrics);
      if (authenticator != null) {
        eb.authenticator(authenticator);
      }
      if (interceptor != null) {
        eb.interceptor(interceptor);
      }
      if (broker == null && config.redisUrl() != null) {
        eb.presence(RedisPresence.create(redisOptions())); // presence cluster-wide, beside the broker
      }
      if (config.redisUrl() != null) {
        // send rate and failed logins counted across the cluster, not per node
        eb.rateLimits(RedisRateLimits.create(redisOptions()));
      }
      ChatEngine engine = eb.build();
      metrics.countConnections(engine::connectionCount);
      metrics.countPushes(engine.push());
      if (engine.webhooks() != null) {
        metrics.countWebhookQueue(engine.webhooks()::queueLength);
      }
      try {
        return bind(engine, metrics, new AttachmentLinks(secret, Clock.systemUTC(), AttachmentLinks.DEFAULT_TTL));
      } catch (RuntimeException e) {
        engine.close();
        metrics.close();
        throw e;
      }
    }

    private ChatServer bind(ChatEngine engine, ServerMetrics metrics, AttachmentLinks links) {
      boolean epoll = Epoll.isAvailable();
      IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
      Class<? extends ServerSocketChannel> channelType =
          epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
      EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1,
          new DefaultThreadFactory("parley-accept", true), io);
      EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0,
          new DefaultThreadFactory("parley-io", true), io);
      OpenWebSockets webSockets = new OpenWebSockets(engine.config().heartbeatSeconds(), config.tokenGrace());
      HttpResponses responses = new HttpResponses(metrics);
      List<Route> routes = restRoutes(engine, metrics, links, config.imagePixelLimit());
      HttpRouter router = new HttpRouter(routes, new StaticFiles("web", responses),
          engine.authenticator(), engine.worker(), responses, engine.wireErrors(),
          TrustedProxies.parse(config.trustedProxies()));
      try {
        Channel channel = new ServerBootstrap()
            .group(boss, workers)
            .channel(channelType)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            // one for all connections (each keeps its own handle); Netty's default is one each
            .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator())
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(config.outboundLimit() / 2, config.outboundLimit()))
            .childHandler(new ChatChannelInitializer(config, engine, metrics, responses, router,
                webSockets))
            .bind(config.host(), config.port())
            .syncUninterruptibly()
            .channel();
        ChatServer server = new ChatServer(config, engine, boss, workers, webSockets, channel, metrics);
        log.info("listening on {}:{} ({} transport, node {})", config.host(), server.port(),
            epoll ? "epoll" : "nio", config.nodeId());
        return server;
      } catch (RuntimeException e) {
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        throw e;
      }
    }

    /** Every REST route the server answers (the OpenAPI document's test lists them too). */
    static List<Route> restRoutes(ChatEngine engine, ServerMetrics metrics, AttachmentLinks links) {
      return restRoutes(engine, metrics, links, ServerConfig.DEFAULT_IMAGE_PIXEL_LIMIT);
    }

    /** The routes; {@code pixelLimit} bounds the images the server decodes. */
    private static List<Route> restRoutes(ChatEngine engine, ServerMetrics metrics,
                                          AttachmentLinks links, long pixelLimit) {
      AttachmentThumbnails thumbnails = new AttachmentThumbnails(
          new Thumbnailer(Thumbnailer.DEFAULT_MAX_SIDE, pixelLimit));
      List<Route> routes = new ArrayList<>();
      routes.addAll(SystemRoutes.routes(engine, metrics));
      routes.addAll(AccountRoutes.routes(engine.accounts()));
      // after AccountRoutes: its GET /api/users/me comes before GET /api/users/{id}
      routes.addAll(ProfileRoutes.routes(engine.profiles(), new AvatarImages(pixelLimit)));
      routes.addAll(ThreadRoutes.routes(engine.conversations()));
      routes.addAll(ControlRoutes.routes(engine.blocks(), engine.conversations()));
      routes.addAll(ControlRoutes.searchRoutes(engine.search()));
      routes.addAll(MessageRoutes.routes(engine.messages(), engine.conversations()));
      routes.addAll(AttachmentRoutes.routes(engine.attachments(), links, thumbnails, engine.worker()));
      routes.addAll(PushRoutes.routes(engine.push()));
      return routes;
    }

    private Broker defaultBroker() {
      if (config.redisUrl() == null) {
        return new InMemoryBroker();
      }
      return RedisBroker.connect(redisOptions());
    }

    private RedisBrokerOptions redisOptions() {
      return RedisBrokerOptions.builder(config.redisUrl())
          .keyPrefix(config.redisPrefix())
          .nodeId(config.nodeId())
          .build();
    }
  }
}
