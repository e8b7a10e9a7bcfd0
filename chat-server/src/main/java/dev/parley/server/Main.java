package dev.parley.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * The standalone server. Every setting is a flag and an environment variable; with none it runs
 * the embedded default (SQLite under ./data, in-memory broker, port 8080). SIGTERM and SIGINT
 * stop it gracefully with exit code 0.
 */
@Command(name = "chat-server", mixinStandardHelpOptions = true, sortOptions = false,
    versionProvider = Main.Version.class,
    description = "Parley chat server: REST, WebSocket /ws and the web client on one port.",
    footer = "%nEvery option can also be given as the environment variable in brackets.")
public final class Main implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "${env:CHAT_PORT:-8080}",
      description = "Port to listen on, 0 picks a free one [CHAT_PORT] (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--host", paramLabel = "HOST", defaultValue = "${env:CHAT_HOST:-0.0.0.0}",
      description = "Interface to listen on [CHAT_HOST] (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:CHAT_DATA_DIR:-data}",
      description = "SQLite file, JWT secret and attachments [CHAT_DATA_DIR] (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Option(names = "--db", paramLabel = "JDBC_URL", defaultValue = "${env:CHAT_DB_URL}",
      description = "jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB [CHAT_DB_URL] (default: SQLite in the data dir)")
  String db;

  @Option(names = "--redis", paramLabel = "URL", defaultValue = "${env:CHAT_REDIS_URL}",
      description = "redis://HOST:PORT for a cluster [CHAT_REDIS_URL] (default: in-memory broker, one node)")
  String redis;

  @Option(names = "--redis-prefix", paramLabel = "PREFIX", defaultValue = "${env:CHAT_REDIS_PREFIX:-parley:}",
      description = "Prefix of the Redis channels, to share one Redis between clusters [CHAT_REDIS_PREFIX] (default: ${DEFAULT-VALUE})")
  String redisPrefix;

  @Option(names = "--jwt-secret", paramLabel = "SECRET", defaultValue = "${env:CHAT_JWT_SECRET}",
      description = "HS256 secret, at least 32 bytes, the same on every node [CHAT_JWT_SECRET] (default: created once in the data dir)")
  String jwtSecret;

  @Option(names = "--node-id", paramLabel = "ID", defaultValue = "${env:CHAT_NODE_ID}",
      description = "This node's name in a cluster [CHAT_NODE_ID] (default: host name and pid)")
  String nodeId;

  @Option(names = "--token-ttl", paramLabel = "SECONDS", defaultValue = "${env:CHAT_TOKEN_TTL:-900}",
      description = "Access token lifetime [CHAT_TOKEN_TTL] (default: ${DEFAULT-VALUE})")
  long tokenTtl;

  @Option(names = "--refresh-ttl", paramLabel = "SECONDS", defaultValue = "${env:CHAT_REFRESH_TTL:-2592000}",
      description = "Refresh token lifetime [CHAT_REFRESH_TTL] (default: ${DEFAULT-VALUE}, 30 days)")
  long refreshTtl;

  @Option(names = "--token-grace", paramLabel = "SECONDS", defaultValue = "${env:CHAT_TOKEN_GRACE:-30}",
      description = "How long a WebSocket outlives its token without an auth frame [CHAT_TOKEN_GRACE] (default: ${DEFAULT-VALUE})")
  long tokenGrace;

  @Option(names = "--heartbeat", paramLabel = "SECONDS", defaultValue = "${env:CHAT_HEARTBEAT:-25}",
      description = "Server ping interval; silence for twice this closes with 4000 [CHAT_HEARTBEAT] (default: ${DEFAULT-VALUE})")
  int heartbeat;

  @Option(names = "--rate-limit", paramLabel = "PER_SECOND", defaultValue = "${env:CHAT_RATE_LIMIT:-20}",
      description = "Sends per second per user, 0 = off [CHAT_RATE_LIMIT] (default: ${DEFAULT-VALUE})")
  double rateLimit;

  @Option(names = "--rate-burst", paramLabel = "N", defaultValue = "${env:CHAT_RATE_BURST:-100}",
      description = "Sends a user may make at once [CHAT_RATE_BURST] (default: ${DEFAULT-VALUE})")
  int rateBurst;

  @Option(names = "--body-limit", paramLabel = "BYTES", defaultValue = "${env:CHAT_BODY_LIMIT:-16384}",
      description = "Largest message body [CHAT_BODY_LIMIT] (default: ${DEFAULT-VALUE})")
  int bodyLimit;

  @Option(names = "--frame-limit", paramLabel = "BYTES", defaultValue = "${env:CHAT_FRAME_LIMIT:-65536}",
      description = "Largest WebSocket message, fragments together; larger closes with 1009 [CHAT_FRAME_LIMIT] (default: ${DEFAULT-VALUE})")
  int frameLimit;

  @Option(names = "--attachment-limit", paramLabel = "BYTES", defaultValue = "${env:CHAT_ATTACHMENT_LIMIT:-10485760}",
      description = "Largest upload [CHAT_ATTACHMENT_LIMIT] (default: ${DEFAULT-VALUE}, 10 MiB)")
  long attachmentLimit;

  @Option(names = "--outbound-limit", paramLabel = "BYTES", defaultValue = "${env:CHAT_OUTBOUND_LIMIT:-1048576}",
      description = "Backlog of unsent frames per connection before it is closed with 4008 [CHAT_OUTBOUND_LIMIT] (default: ${DEFAULT-VALUE})")
  int outboundLimit;

  @Option(names = "--max-connections", paramLabel = "N", defaultValue = "${env:CHAT_MAX_CONNECTIONS:-200000}",
      description = "Most open connections; more are closed on accept [CHAT_MAX_CONNECTIONS] (default: ${DEFAULT-VALUE})")
  int maxConnections;

  @Option(names = "--max-connections-per-address", paramLabel = "N",
      defaultValue = "${env:CHAT_MAX_CONNECTIONS_PER_ADDRESS:-20000}",
      description = "Most open connections from one client address [CHAT_MAX_CONNECTIONS_PER_ADDRESS] (default: ${DEFAULT-VALUE})")
  int maxConnectionsPerAddress;

  @Option(names = "--trusted-proxies", paramLabel = "CIDR,...", split = ",",
      defaultValue = "${env:CHAT_TRUSTED_PROXIES:-}",
      description = "Proxies whose X-Forwarded-For names the client (rightmost untrusted hop), for"
          + " per-address login limits and logs; e.g. 10.0.0.0/8,::1/128 [CHAT_TRUSTED_PROXIES] (default: none)")
  List<String> trustedProxies;

  @Option(names = "--header-timeout", paramLabel = "SECONDS", defaultValue = "${env:CHAT_HEADER_TIMEOUT:-30}",
      description = "Time allowed for a request's headers (and idle keep-alive) [CHAT_HEADER_TIMEOUT] (default: ${DEFAULT-VALUE})")
  long headerTimeout;

  @Option(names = "--bcrypt-cost", paramLabel = "N", defaultValue = "${env:CHAT_BCRYPT_COST:-10}",
      description = "bcrypt cost of password hashes [CHAT_BCRYPT_COST] (default: ${DEFAULT-VALUE})")
  int bcryptCost;

  @Option(names = "--commit-batch", paramLabel = "N", defaultValue = "${env:CHAT_COMMIT_BATCH:-512}",
      description = "Most messages stored in one transaction [CHAT_COMMIT_BATCH] (default: ${DEFAULT-VALUE})")
  int commitBatch;

  @Option(names = "--commit-wait", paramLabel = "MICROS", defaultValue = "${env:CHAT_COMMIT_WAIT:-0}",
      description = "How long a batch waits for more messages [CHAT_COMMIT_WAIT] (default: ${DEFAULT-VALUE})")
  long commitWait;

  /** Builds the config from the parsed flags (and environment defaults). */
  ServerConfig config() {
    return ServerConfig.builder()
        .port(port)
        .host(host)
        .dataDir(dataDir)
        .dbUrl(db)
        .redisUrl(redis)
        .redisPrefix(redisPrefix)
        .jwtSecret(jwtSecret)
        .nodeId(nodeId)
        .tokenTtl(Duration.ofSeconds(tokenTtl))
        .refreshTtl(Duration.ofSeconds(refreshTtl))
        .tokenGrace(Duration.ofSeconds(tokenGrace))
        .heartbeatSeconds(heartbeat)
        .rateLimit(rateLimit)
        .rateBurst(rateBurst)
        .bodyLimit(bodyLimit)
        .frameLimit(frameLimit)
        .attachmentLimit(attachmentLimit)
        .outboundLimit(outboundLimit)
        .bcryptCost(bcryptCost)
        .commitBatchSize(commitBatch)
        .commitMaxWaitMicros(commitWait)
        .maxConnections(maxConnections)
        .maxConnectionsPerAddress(maxConnectionsPerAddress)
        .headerTimeout(Duration.ofSeconds(headerTimeout))
        .trustedProxies(trustedProxies == null ? List.of()
            : trustedProxies.stream().map(String::strip).filter(s -> !s.isEmpty()).toList())
        .build();
  }

  @Override
  public Integer call() {
    ServerConfig config;
    try {
      config = config();
    } catch (IllegalArgumentException e) {
      System.err.println("chat-server: " + e.getMessage());
      return 2;
    }
    log.info("starting with {}", config);
    ChatServer server = ChatServer.builder(config).start();
    String shownHost = config.host().equals("0.0.0.0") || config.host().equals("::")
        ? "localhost" : config.host();
    log.info("Parley is ready: open http://{}:{}/ (WebSocket ws://{}:{}/ws)", shownHost,
        server.port(), shownHost, server.port());
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stop = () -> {
      log.info("stopping");
      server.close();
      stopped.countDown();
    };
    Signal.handle(new Signal("TERM"), sig -> stop.run());
    Signal.handle(new Signal("INT"), sig -> stop.run());
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.close();
    }
    return 0;
  }

  public static void main(String[] args) {
    int code = new CommandLine(new Main()).execute(args);
    System.exit(code);
  }

  /** The version shown by {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"Parley chat server " + (v == null ? "(development build)" : v)};
    }
  }
}
