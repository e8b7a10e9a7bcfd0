package dev.parley.server;

import dev.parley.core.attachments.s3.S3Settings;
import dev.parley.core.EngineConfig;
import dev.parley.core.LogSafe;
import dev.parley.server.internal.http.TrustedProxies;
import dev.parley.core.notifications.PushSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the server process can be told, validated once by {@link Builder#build()}. The
 * builder holds the one set of defaults: {@link Main} fills the same builder from flags and
 * environment variables, so the standalone server and an embedded one cannot drift apart.
 * The engine's settings are held by an {@link EngineConfig.Builder}, with its defaults;
 * {@link #engineConfig()} hands them on.
 * {@link #toString()} masks the JWT secret.
 */
public final class ServerConfig {
  /*
   * The server's own defaults, named so that Main's annotations read them (compile-time
   * constants); the engine's are EngineConfig.DEFAULT_*.
   */
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_DATA_DIR = "data";
  public static final String DEFAULT_REDIS_PREFIX = "parley:";
  public static final long DEFAULT_TOKEN_TTL_SECONDS = 900;
  public static final long DEFAULT_REFRESH_TTL_SECONDS = 30L * 24 * 60 * 60;
  public static final int DEFAULT_FRAME_LIMIT = 65_536;
  public static final long DEFAULT_ATTACHMENT_LIMIT = 10L * 1024 * 1024;
  /** The largest image (width times height, read from its header) decoded for a thumbnail. */
  public static final long DEFAULT_IMAGE_PIXEL_LIMIT = 40_000_000L;
  public static final int DEFAULT_OUTBOUND_LIMIT = 1024 * 1024;
  public static final int DEFAULT_REQUEST_LIMIT = 1024 * 1024;
  public static final int DEFAULT_BCRYPT_COST = 10;
  public static final long DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 20;
  public static final int DEFAULT_MAX_CONNECTIONS = 200_000;
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 20_000;
  public static final long DEFAULT_HEADER_TIMEOUT_SECONDS = 30;

  private final String host;
  private final int port;
  private final Path dataDir;
  private final String dbUrl;
  private final String redisUrl;
  private final String redisPrefix;
  private final String jwtSecret;
  private final String nodeId;
  private final Duration tokenTtl;
  private final Duration refreshTtl;
  private final int frameLimit;
  private final long attachmentLimit;
  private final long imagePixelLimit;
  private final int outboundLimit;
  private final int requestLimit;
  private final int bcryptCost;
  private final Duration shutdownTimeout;
  private final int maxConnections;
  private final int maxConnectionsPerAddress;
  private final Duration headerTimeout;
  private final List<String> trustedProxies;
  private final EngineConfig engine;
  private final PushSettings push;
  private final List<String> webhooks;
  private final String webhookSecret;
  private final AttachmentStorage attachmentStorage;
  private final S3Settings s3;

  private ServerConfig(Builder b) {
    host = b.host;
    port = b.port;
    dataDir = b.dataDir;
    dbUrl = b.dbUrl != null ? b.dbUrl : "jdbc:sqlite:" + b.dataDir.resolve("chat.db");
    redisUrl = b.redisUrl;
    redisPrefix = b.redisPrefix;
    jwtSecret = b.jwtSecret;
    nodeId = b.nodeId;
    tokenTtl = b.tokenTtl;
    refreshTtl = b.refreshTtl;
    frameLimit = b.frameLimit;
    attachmentLimit = b.attachmentLimit;
    imagePixelLimit = b.imagePixelLimit;
    outboundLimit = b.outboundLimit;
    requestLimit = b.requestLimit;
    bcryptCost = b.bcryptCost;
    shutdownTimeout = b.shutdownTimeout;
    maxConnections = b.maxConnections;
    maxConnectionsPerAddress = b.maxConnectionsPerAddress;
    trustedProxies = List.copyOf(b.trustedProxies);
    headerTimeout = b.headerTimeout;
    engine = b.engine;
    push = b.pushSettings;
    webhooks = List.copyOf(b.webhooks);
    webhookSecret = b.webhookSecret;
    attachmentStorage = b.attachmentStorage;
    s3 = b.s3;
  }

  /** Web Push: the VAPID keys (given, or kept in the store), the contact and local endpoints. */
  public PushSettings push() {
    return push;
  }

  /** URLs every log entry is POSTed to; default none. */
  public List<String> webhooks() {
    return webhooks;
  }

  /** The HMAC-SHA256 key of the webhooks' {@code X-Parley-Signature}; required with webhooks. */
  public String webhookSecret() {
    return webhookSecret;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Interface to listen on; default all interfaces. */
  public String host() {
    return host;
  }

  /** Port to listen on; 0 picks a free one. Default 8080. */
  public int port() {
    return port;
  }

  /** Where the SQLite file, the JWT secret and attachments live. Default ./data. */
  public Path dataDir() {
    return dataDir;
  }

  /** JDBC URL of the store; default SQLite under the data dir. */
  public String dbUrl() {
    return dbUrl;
  }

  /** Redis URL of the broker, or null for the in-memory broker (one node). */
  public String redisUrl() {
    return redisUrl;
  }

  /** Prefix of every Redis channel, so several clusters can share one Redis. Default {@code parley:}. */
  public String redisPrefix() {
    return redisPrefix;
  }

  /** The JWT secret, or null to use (and create once) the one in the data dir. */
  public String jwtSecret() {
    return jwtSecret;
  }

  public String nodeId() {
    return nodeId;
  }

  public Duration tokenTtl() {
    return tokenTtl;
  }

  public Duration refreshTtl() {
    return refreshTtl;
  }

  public Duration tokenGrace() {
    return engine.tokenGrace();
  }

  public int heartbeatSeconds() {
    return engine.heartbeatSeconds();
  }

  public double rateLimit() {
    return engine.rateLimit();
  }

  public int rateBurst() {
    return engine.rateBurst();
  }

  /** Typing signals relayed per second per user and thread. */
  public double typingRate() {
    return engine.typingRate();
  }

  public int bodyLimit() {
    return engine.bodyLimitBytes();
  }

  public int frameLimit() {
    return frameLimit;
  }

  public long attachmentLimit() {
    return attachmentLimit;
  }

  /**
   * The largest image, in pixels (width times height, read from its header before decoding),
   * that the server decodes to make a thumbnail; larger ones have none.
   */
  public long imagePixelLimit() {
    return imagePixelLimit;
  }

  /** Where attachment bytes are kept; default {@link AttachmentStorage#AUTO}. */
  public AttachmentStorage attachmentStorage() {
    return attachmentStorage;
  }

  /** The S3-compatible bucket for attachments, or null when none is configured. */
  public S3Settings s3() {
    return s3;
  }

  public int outboundLimit() {
    return outboundLimit;
  }

  /** Largest JSON request body of the REST API. */
  public int requestLimit() {
    return requestLimit;
  }

  public int bcryptCost() {
    return bcryptCost;
  }

  public int commitBatchSize() {
    return engine.commitBatchSize();
  }

  public long commitMaxWaitMicros() {
    return engine.commitMaxWaitMicros();
  }

  /** Most messages accepted and not yet stored before sends are refused as unavailable. */
  public int commitQueueCapacity() {
    return engine.commitQueueCapacity();
  }

  /** Most attachments on one message. */
  public int maxAttachments() {
    return engine.maxAttachments();
  }

  /** Threads for blocking work (database, password hashing). */
  public int workerThreads() {
    return engine.workerThreads();
  }

  public Duration presenceGrace() {
    return engine.presenceGrace();
  }

  /** The engine's settings of this config: every {@link EngineConfig} setting is one here. */
  public EngineConfig engineConfig() {
    return engine;
  }

  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** Most open connections of the server; more are closed on accept. */
  public int maxConnections() {
    return maxConnections;
  }

  /** Most open connections from one client address (a load balancer counts as one). */
  public int maxConnectionsPerAddress() {
    return maxConnectionsPerAddress;
  }

  /** How long a connection may take to send a request's headers. */
  public Duration headerTimeout() {
    return headerTimeout;
  }

  /**
   * CIDRs of the proxies whose {@code X-Forwarded-For} is believed (default none): see
   * docs/security.md.
   */
  public List<String> trustedProxies() {
    return trustedProxies;
  }

  @Override
  public String toString() {
    return "ServerConfig{host=" + host + ", port=" + port + ", dataDir=" + dataDir
        + ", db=" + LogSafe.url(dbUrl) + ", redis=" + (redisUrl == null ? "none (in-memory broker)" : LogSafe.url(redisUrl))
        + ", jwtSecret=" + (jwtSecret == null ? "from data dir" : "***")
        + ", nodeId=" + nodeId + ", tokenTtl=" + tokenTtl + ", refreshTtl=" + refreshTtl
        + ", tokenGrace=" + tokenGrace() + ", heartbeat=" + heartbeatSeconds() + "s"
        + ", rateLimit=" + rateLimit() + "/s burst " + rateBurst() + ", typingRate=" + typingRate()
        + "/s, bodyLimit=" + bodyLimit() + ", maxAttachments=" + maxAttachments()
        + ", frameLimit=" + frameLimit + ", attachmentLimit=" + attachmentLimit
        + ", imagePixelLimit=" + imagePixelLimit
        + ", attachments=" + attachmentStorage.name().toLowerCase(java.util.Locale.ROOT)
        + (s3 == null ? "" : ", s3=" + s3)
        + ", outboundLimit=" + outboundLimit + ", commitBatch=" + commitBatchSize()
        + ", commitWait=" + commitMaxWaitMicros() + "us, commitQueue=" + commitQueueCapacity()
        + ", workerThreads=" + workerThreads() + ", maxConnections=" + maxConnections
        + " (" + maxConnectionsPerAddress + " per address), headerTimeout=" + headerTimeout
        + ", trustedProxies=" + (trustedProxies.isEmpty() ? "none" : trustedProxies)
        + ", push=" + push + ", webhooks=" + webhooks.stream().map(LogSafe::url).toList()
        + ", webhookSecret=" + (webhookSecret == null ? "none" : "***") + "}";
  }


  /** Fills a {@link ServerConfig}; every setter has the documented default. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private Path dataDir = Path.of(DEFAULT_DATA_DIR);
    private String dbUrl;
    private String redisUrl;
    private String redisPrefix = DEFAULT_REDIS_PREFIX;
    private String jwtSecret;
    private String nodeId;
    private Duration tokenTtl = Duration.ofSeconds(DEFAULT_TOKEN_TTL_SECONDS);
    private Duration refreshTtl = Duration.ofSeconds(DEFAULT_REFRESH_TTL_SECONDS);
    private int frameLimit = DEFAULT_FRAME_LIMIT;
    private long attachmentLimit = DEFAULT_ATTACHMENT_LIMIT;
    private long imagePixelLimit = DEFAULT_IMAGE_PIXEL_LIMIT;
    private int outboundLimit = DEFAULT_OUTBOUND_LIMIT;
    private int requestLimit = DEFAULT_REQUEST_LIMIT;
    private int bcryptCost = DEFAULT_BCRYPT_COST;
    private Duration shutdownTimeout = Duration.ofSeconds(DEFAULT_SHUTDOWN_TIMEOUT_SECONDS);
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
    private List<String> trustedProxies = List.of();
    private Duration headerTimeout = Duration.ofSeconds(DEFAULT_HEADER_TIMEOUT_SECONDS);
    private final EngineConfig.Builder engineSettings = EngineConfig.builder();
    private EngineConfig engine;
    private boolean pushAllowLocal;
    private String pushSubject = PushSettings.DEFAULT_SUBJECT;
    private String vapidPublicKey;
    private String vapidPrivateKey;
    private PushSettings pushSettings;
    private List<String> webhooks = List.of();
    private String webhookSecret;
    private AttachmentStorage attachmentStorage = AttachmentStorage.AUTO;
    private S3Settings s3;

    private Builder() {
    }

    /** Where attachment bytes are kept (see {@link AttachmentStorage}); default auto. */
    public Builder attachmentStorage(AttachmentStorage v) {
      attachmentStorage = v;
      return this;
    }

    /** An S3-compatible bucket for attachments; default none. */
    public Builder s3(S3Settings v) {
      s3 = v;
      return this;
    }

    /** Also accept push endpoints on loopback addresses, {@code http} included (tests, local setups); default false. */
    public Builder pushAllowLocal(boolean v) {
      pushAllowLocal = v;
      return this;
    }

    /** The VAPID JWT's {@code sub}: a {@code mailto:} or {@code https:} contact. */
    public Builder pushSubject(String v) {
      pushSubject = v;
      return this;
    }

    /**
     * The VAPID key pair, base64url (public: uncompressed P-256 point; private: 32-byte scalar);
     * default one generated once and kept in the store.
     */
    public Builder vapidKeys(String publicKey, String privateKey) {
      vapidPublicKey = blankToNull(publicKey);
      vapidPrivateKey = blankToNull(privateKey);
      return this;
    }

    /** Webhook receivers: every log entry is POSTed to each; default none. */
    public Builder webhooks(List<String> v) {
      webhooks = List.copyOf(Objects.requireNonNull(v, "webhooks"));
      return this;
    }

    /** The webhooks' HMAC-SHA256 secret (at least 16 bytes); required when there are webhooks. */
    public Builder webhookSecret(String v) {
      webhookSecret = blankToNull(v);
      return this;
    }

    public Builder host(String v) {
      host = v;
      return this;
    }

    public Builder port(int v) {
      port = v;
      return this;
    }

    public Builder dataDir(Path v) {
      dataDir = v;
      return this;
    }

    public Builder dbUrl(String v) {
      dbUrl = blankToNull(v);
      return this;
    }

    public Builder redisUrl(String v) {
      redisUrl = blankToNull(v);
      return this;
    }

    public Builder redisPrefix(String v) {
      redisPrefix = v;
      return this;
    }

    public Builder jwtSecret(String v) {
      jwtSecret = blankToNull(v);
      return this;
    }

    public Builder nodeId(String v) {
      nodeId = blankToNull(v);
      return this;
    }

    public Builder tokenTtl(Duration v) {
      tokenTtl = v;
      return this;
    }

    public Builder refreshTtl(Duration v) {
      refreshTtl = v;
      return this;
    }

    public Builder tokenGrace(Duration v) {
      engineSettings.tokenGrace(v);
      return this;
    }

    public Builder heartbeatSeconds(int v) {
      engineSettings.heartbeatSeconds(v);
      return this;
    }

    public Builder rateLimit(double v) {
      engineSettings.rateLimit(v);
      return this;
    }

    public Builder rateBurst(int v) {
      engineSettings.rateBurst(v);
      return this;
    }

    public Builder typingRate(double v) {
      engineSettings.typingRate(v);
      return this;
    }

    public Builder bodyLimit(int v) {
      engineSettings.bodyLimitBytes(v);
      return this;
    }

    public Builder frameLimit(int v) {
      frameLimit = v;
      return this;
    }

    public Builder attachmentLimit(long v) {
      attachmentLimit = v;
      return this;
    }

    /** See {@link ServerConfig#imagePixelLimit()}. */
    public Builder imagePixelLimit(long v) {
      imagePixelLimit = v;
      return this;
    }

    public Builder outboundLimit(int v) {
      outboundLimit = v;
      return this;
    }

    public Builder requestLimit(int v) {
      requestLimit = v;
      return this;
    }

    public Builder bcryptCost(int v) {
      bcryptCost = v;
      return this;
    }

    public Builder commitBatchSize(int v) {
      engineSettings.commitBatchSize(v);
      return this;
    }

    public Builder commitMaxWaitMicros(long v) {
      engineSettings.commitMaxWaitMicros(v);
      return this;
    }

    public Builder commitQueueCapacity(int v) {
      engineSettings.commitQueueCapacity(v);
      return this;
    }

    public Builder maxAttachments(int v) {
      engineSettings.maxAttachments(v);
      return this;
    }

    public Builder workerThreads(int v) {
      engineSettings.workerThreads(v);
      return this;
    }

    public Builder presenceGrace(Duration v) {
      engineSettings.presenceGrace(v);
      return this;
    }

    public Builder shutdownTimeout(Duration v) {
      shutdownTimeout = v;
      return this;
    }

    public Builder maxConnections(int v) {
      maxConnections = v;
      return this;
    }

    /**
     * CIDRs (e.g. {@code 10.0.0.0/8}, {@code ::1/128}) of proxies trusted to say who the client
     * is in {@code X-Forwarded-For}; default none (the header is ignored).
     */
    public Builder trustedProxies(List<String> v) {
      trustedProxies = List.copyOf(Objects.requireNonNull(v, "trustedProxies"));
      return this;
    }

    public Builder maxConnectionsPerAddress(int v) {
      maxConnectionsPerAddress = v;
      return this;
    }

    public Builder headerTimeout(Duration v) {
      headerTimeout = v;
      return this;
    }

    /** Validates every setting and returns the immutable config. */
    public ServerConfig build() {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(redisPrefix, "redisPrefix");
      require(port >= 0 && port <= 65_535, "port must be 0 to 65535");
      if (dbUrl != null) {
        require(dbUrl.startsWith("jdbc:sqlite:") || dbUrl.startsWith("jdbc:postgresql:"),
            "db must be a jdbc:sqlite: or jdbc:postgresql: URL");
      }
      if (redisUrl != null) {
        require(redisUrl.startsWith("redis://") || redisUrl.startsWith("rediss://"),
            "redis must be a redis:// or rediss:// URL");
      }
      require(positive(tokenTtl), "token ttl must be positive");
      require(positive(refreshTtl), "refresh ttl must be positive");
      require(frameLimit >= 1024, "frame limit must be at least 1024 bytes");
      require(attachmentLimit >= 1, "attachment limit must be at least 1 byte");
      require(imagePixelLimit >= 1, "image pixel limit must be at least 1 pixel");
      Objects.requireNonNull(attachmentStorage, "attachmentStorage");
      require(attachmentStorage != AttachmentStorage.S3 || s3 != null,
          "attachments=s3 needs --s3-bucket");
      require(outboundLimit >= 1024, "outbound limit must be at least 1024 bytes");
      require(requestLimit >= 1024, "request limit must be at least 1024 bytes");
      require(bcryptCost >= 4 && bcryptCost <= 31, "bcrypt cost must be 4 to 31");
      require(maxConnections >= 1, "max connections must be at least 1");
      require(maxConnectionsPerAddress >= 1, "max connections per address must be at least 1");
      require(positive(headerTimeout), "header timeout must be positive");
      TrustedProxies.parse(trustedProxies); // an invalid CIDR fails here, naming it
      pushSettings = new PushSettings(vapidPublicKey, vapidPrivateKey, pushSubject, pushAllowLocal);
      for (String url : webhooks) {
        require(url.startsWith("http://") || url.startsWith("https://"),
            "webhook must be an http:// or https:// URL: " + LogSafe.url(url));
        try {
          java.net.URI u = new java.net.URI(url);
          require(u.getHost() != null, "webhook URL has no host: " + LogSafe.url(url));
        } catch (java.net.URISyntaxException e) {
          throw new IllegalArgumentException("webhook is not a URL: " + LogSafe.url(url));
        }
      }
      require(webhooks.isEmpty() || webhookSecret != null, "webhooks need --webhook-secret");
      require(webhookSecret == null
          || webhookSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= 16,
          "the webhook secret must be at least 16 bytes");
      if (nodeId == null) {
        nodeId = defaultNodeId();
      }
      engine = engineSettings.nodeId(nodeId).build(); // validates the engine's settings
      return new ServerConfig(this);
    }

    private static String defaultNodeId() {
      String host = System.getenv("HOSTNAME");
      long pid = ProcessHandle.current().pid();
      return (host == null || host.isBlank() ? "node" : host) + "-" + pid;
    }

    private static boolean positive(Duration d) {
      return d != null && !d.isNegative() && !d.isZero();
    }

    private static String blankToNull(String v) {
      return v == null || v.isBlank() ? null : v;
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
