package dev.parley.server;

import java.nio.file.Path;
import dev.parley.server.internal.http.TrustedProxies;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the server process can be told, validated once by {@link Builder#build()}. The
 * builder holds the one set of defaults: {@link Main} fills the same builder from flags and
 * environment variables, so the standalone server and an embedded one cannot drift apart.
 * {@link #toString()} masks the JWT secret.
 */
public final class ServerConfig {
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
  private final Duration tokenGrace;
  private final int heartbeatSeconds;
  private final double rateLimit;
  private final int rateBurst;
  private final int bodyLimit;
  private final int frameLimit;
  private final long attachmentLimit;
  private final int outboundLimit;
  private final int requestLimit;
  private final int bcryptCost;
  private final int commitBatchSize;
  private final long commitMaxWaitMicros;
  private final Duration presenceGrace;
  private final Duration shutdownTimeout;
  private final int maxConnections;
  private final int maxConnectionsPerAddress;
  private final Duration headerTimeout;
  private final List<String> trustedProxies;

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
    tokenGrace = b.tokenGrace;
    heartbeatSeconds = b.heartbeatSeconds;
    rateLimit = b.rateLimit;
    rateBurst = b.rateBurst;
    bodyLimit = b.bodyLimit;
    frameLimit = b.frameLimit;
    attachmentLimit = b.attachmentLimit;
    outboundLimit = b.outboundLimit;
    requestLimit = b.requestLimit;
    bcryptCost = b.bcryptCost;
    commitBatchSize = b.commitBatchSize;
    commitMaxWaitMicros = b.commitMaxWaitMicros;
    presenceGrace = b.presenceGrace;
    shutdownTimeout = b.shutdownTimeout;
    maxConnections = b.maxConnections;
    maxConnectionsPerAddress = b.maxConnectionsPerAddress;
    trustedProxies = List.copyOf(b.trustedProxies);
    headerTimeout = b.headerTimeout;
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
    return tokenGrace;
  }

  public int heartbeatSeconds() {
    return heartbeatSeconds;
  }

  public double rateLimit() {
    return rateLimit;
  }

  public int rateBurst() {
    return rateBurst;
  }

  public int bodyLimit() {
    return bodyLimit;
  }

  public int frameLimit() {
    return frameLimit;
  }

  public long attachmentLimit() {
    return attachmentLimit;
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
    return commitBatchSize;
  }

  public long commitMaxWaitMicros() {
    return commitMaxWaitMicros;
  }

  public Duration presenceGrace() {
    return presenceGrace;
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
        + ", db=" + maskUrl(dbUrl) + ", redis=" + (redisUrl == null ? "none (in-memory broker)" : maskUrl(redisUrl))
        + ", jwtSecret=" + (jwtSecret == null ? "from data dir" : "****")
        + ", nodeId=" + nodeId + ", tokenTtl=" + tokenTtl + ", refreshTtl=" + refreshTtl
        + ", tokenGrace=" + tokenGrace + ", heartbeat=" + heartbeatSeconds + "s"
        + ", rateLimit=" + rateLimit + "/s burst " + rateBurst + ", bodyLimit=" + bodyLimit
        + ", frameLimit=" + frameLimit + ", attachmentLimit=" + attachmentLimit
        + ", outboundLimit=" + outboundLimit + ", maxConnections=" + maxConnections
        + " (" + maxConnectionsPerAddress + " per address), headerTimeout=" + headerTimeout
        + ", trustedProxies=" + (trustedProxies.isEmpty() ? "none" : trustedProxies) + "}";
  }

  /** Hides a password in a URL: {@code redis://:secret@host} becomes {@code redis://:****@host}. */
  static String maskUrl(String url) {
    String masked = url.replaceAll("(://[^:/@]*:)[^@/]*@", "$1****@");
    return masked.replaceAll("(?i)(password=)[^&]*", "$1****");
  }

  /** Fills a {@link ServerConfig}; every setter has the documented default. */
  public static final class Builder {
    private String host = "0.0.0.0";
    private int port = 8080;
    private Path dataDir = Path.of("data");
    private String dbUrl;
    private String redisUrl;
    private String redisPrefix = "parley:";
    private String jwtSecret;
    private String nodeId;
    private Duration tokenTtl = Duration.ofSeconds(900);
    private Duration refreshTtl = Duration.ofDays(30);
    private Duration tokenGrace = Duration.ofSeconds(30);
    private int heartbeatSeconds = 25;
    private double rateLimit = 20;
    private int rateBurst = 100;
    private int bodyLimit = 16_384;
    private int frameLimit = 65_536;
    private long attachmentLimit = 10L * 1024 * 1024;
    private int outboundLimit = 1024 * 1024;
    private int requestLimit = 1024 * 1024;
    private int bcryptCost = 10;
    private int commitBatchSize = 512;
    private long commitMaxWaitMicros = 0;
    private Duration presenceGrace = Duration.ofSeconds(2);
    private Duration shutdownTimeout = Duration.ofSeconds(20);
    private int maxConnections = 200_000;
    private int maxConnectionsPerAddress = 20_000;
    private List<String> trustedProxies = List.of();
    private Duration headerTimeout = Duration.ofSeconds(30);

    private Builder() {
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
      tokenGrace = v;
      return this;
    }

    public Builder heartbeatSeconds(int v) {
      heartbeatSeconds = v;
      return this;
    }

    public Builder rateLimit(double v) {
      rateLimit = v;
      return this;
    }

    public Builder rateBurst(int v) {
      rateBurst = v;
      return this;
    }

    public Builder bodyLimit(int v) {
      bodyLimit = v;
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
      commitBatchSize = v;
      return this;
    }

    public Builder commitMaxWaitMicros(long v) {
      commitMaxWaitMicros = v;
      return this;
    }

    public Builder presenceGrace(Duration v) {
      presenceGrace = v;
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
      require(!tokenGrace.isNegative(), "token grace must not be negative");
      require(heartbeatSeconds >= 1, "heartbeat must be at least 1 second");
      require(rateLimit >= 0, "rate limit must not be negative (0 turns it off)");
      require(rateBurst >= 1, "rate burst must be at least 1");
      require(bodyLimit >= 1, "body limit must be at least 1 byte");
      require(frameLimit >= 1024, "frame limit must be at least 1024 bytes");
      require(attachmentLimit >= 1, "attachment limit must be at least 1 byte");
      require(outboundLimit >= 1024, "outbound limit must be at least 1024 bytes");
      require(requestLimit >= 1024, "request limit must be at least 1024 bytes");
      require(bcryptCost >= 4 && bcryptCost <= 31, "bcrypt cost must be 4 to 31");
      require(commitBatchSize >= 1, "commit batch size must be at least 1");
      require(commitMaxWaitMicros >= 0, "commit max wait must not be negative");
      require(maxConnections >= 1, "max connections must be at least 1");
      require(maxConnectionsPerAddress >= 1, "max connections per address must be at least 1");
      require(positive(headerTimeout), "header timeout must be positive");
      TrustedProxies.parse(trustedProxies); // an invalid CIDR fails here, naming it
      if (nodeId == null) {
        nodeId = defaultNodeId();
      }
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
