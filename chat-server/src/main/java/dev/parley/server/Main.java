package dev.parley.server;

import dev.parley.core.attachments.s3.S3Settings;
import dev.parley.core.EngineConfig;
import dev.parley.core.notifications.PushSettings;
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

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "${env:CHAT_PORT:-" + ServerConfig.DEFAULT_PORT + "}",
      description = "Port to listen on, 0 picks a free one [CHAT_PORT] (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--host", paramLabel = "HOST", defaultValue = "${env:CHAT_HOST:-" + ServerConfig.DEFAULT_HOST + "}",
      description = "Interface to listen on [CHAT_HOST] (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:CHAT_DATA_DIR:-" + ServerConfig.DEFAULT_DATA_DIR + "}",
      description = "SQLite file, JWT secret and attachments [CHAT_DATA_DIR] (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Option(names = "--db", paramLabel = "JDBC_URL", defaultValue = "${env:CHAT_DB_URL}",
      description = "jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB [CHAT_DB_URL] (default: SQLite in the data dir)")
  String db;

  @Option(names = "--redis", paramLabel = "URL", defaultValue = "${env:CHAT_REDIS_URL}",
      description = "redis://HOST:PORT for a cluster [CHAT_REDIS_URL] (default: in-memory broker, one node)")
  String redis;

  @Option(names = "--redis-prefix", paramLabel = "PREFIX", defaultValue = "${env:CHAT_REDIS_PREFIX:-" + ServerConfig.DEFAULT_REDIS_PREFIX + "}",
      description = "Prefix of the Redis channels, to share one Redis between clusters [CHAT_REDIS_PREFIX] (default: ${DEFAULT-VALUE})")
  String redisPrefix;

  @Option(names = "--jwt-secret", paramLabel = "SECRET", defaultValue = "${env:CHAT_JWT_SECRET}",
      description = "HS256 secret, at least 32 bytes, the same on every node [CHAT_JWT_SECRET] (default: created once in the data dir)")
  String jwtSecret;

  @Option(names = "--node-id", paramLabel = "ID", defaultValue = "${env:CHAT_NODE_ID}",
      description = "This node's name in a cluster [CHAT_NODE_ID] (default: host name and pid)")
  String nodeId;

  @Option(names = "--token-ttl", paramLabel = "SECONDS", defaultValue = "${env:CHAT_TOKEN_TTL:-" + ServerConfig.DEFAULT_TOKEN_TTL_SECONDS + "}",
      description = "Access token lifetime [CHAT_TOKEN_TTL] (default: ${DEFAULT-VALUE})")
  long tokenTtl;

  @Option(names = "--refresh-ttl", paramLabel = "SECONDS", defaultValue = "${env:CHAT_REFRESH_TTL:-" + ServerConfig.DEFAULT_REFRESH_TTL_SECONDS + "}",
      description = "Refresh token lifetime [CHAT_REFRESH_TTL] (default: ${DEFAULT-VALUE}, 30 days)")
  long refreshTtl;

  @Option(names = "--token-grace", paramLabel = "SECONDS", defaultValue = "${env:CHAT_TOKEN_GRACE:-" + EngineConfig.DEFAULT_TOKEN_GRACE_SECONDS + "}",
      description = "How long a WebSocket outlives its token without an auth frame [CHAT_TOKEN_GRACE] (default: ${DEFAULT-VALUE})")
  long tokenGrace;

  @Option(names = "--heartbeat", paramLabel = "SECONDS", defaultValue = "${env:CHAT_HEARTBEAT:-" + EngineConfig.DEFAULT_HEARTBEAT_SECONDS + "}",
      description = "Server ping interval; silence for twice this closes with 4000 [CHAT_HEARTBEAT] (default: ${DEFAULT-VALUE})")
  int heartbeat;

  @Option(names = "--rate-limit", paramLabel = "PER_SECOND", defaultValue = "${env:CHAT_RATE_LIMIT:-" + EngineConfig.DEFAULT_RATE_LIMIT + "}",
      description = "Sends per second per user, 0 = off [CHAT_RATE_LIMIT] (default: ${DEFAULT-VALUE})")
  double rateLimit;

  @Option(names = "--rate-burst", paramLabel = "N", defaultValue = "${env:CHAT_RATE_BURST:-" + EngineConfig.DEFAULT_RATE_BURST + "}",
      description = "Sends a user may make at once [CHAT_RATE_BURST] (default: ${DEFAULT-VALUE})")
  int rateBurst;

  @Option(names = "--body-limit", paramLabel = "BYTES", defaultValue = "${env:CHAT_BODY_LIMIT:-" + EngineConfig.DEFAULT_BODY_LIMIT_BYTES + "}",
      description = "Largest message body [CHAT_BODY_LIMIT] (default: ${DEFAULT-VALUE})")
  int bodyLimit;

  @Option(names = "--frame-limit", paramLabel = "BYTES", defaultValue = "${env:CHAT_FRAME_LIMIT:-" + ServerConfig.DEFAULT_FRAME_LIMIT + "}",
      description = "Largest WebSocket message, fragments together; larger closes with 1009 [CHAT_FRAME_LIMIT] (default: ${DEFAULT-VALUE})")
  int frameLimit;

  @Option(names = "--attachment-limit", paramLabel = "BYTES", defaultValue = "${env:CHAT_ATTACHMENT_LIMIT:-" + ServerConfig.DEFAULT_ATTACHMENT_LIMIT + "}",
      description = "Largest upload [CHAT_ATTACHMENT_LIMIT] (default: ${DEFAULT-VALUE}, 10 MiB)")
  long attachmentLimit;

  @Option(names = "--image-pixel-limit", paramLabel = "PIXELS", defaultValue = "${env:CHAT_IMAGE_PIXEL_LIMIT:-" + ServerConfig.DEFAULT_IMAGE_PIXEL_LIMIT + "}",
      description = "Largest image (width x height) decoded for a thumbnail; larger ones have none [CHAT_IMAGE_PIXEL_LIMIT] (default: ${DEFAULT-VALUE})")
  long imagePixelLimit;

  @Option(names = "--outbound-limit", paramLabel = "BYTES", defaultValue = "${env:CHAT_OUTBOUND_LIMIT:-" + ServerConfig.DEFAULT_OUTBOUND_LIMIT + "}",
      description = "Backlog of unsent frames per connection before it is closed with 4008 [CHAT_OUTBOUND_LIMIT] (default: ${DEFAULT-VALUE})")
  int outboundLimit;

  @Option(names = "--max-connections", paramLabel = "N", defaultValue = "${env:CHAT_MAX_CONNECTIONS:-" + ServerConfig.DEFAULT_MAX_CONNECTIONS + "}",
      description = "Most open connections; more are closed on accept [CHAT_MAX_CONNECTIONS] (default: ${DEFAULT-VALUE})")
  int maxConnections;

  @Option(names = "--max-connections-per-address", paramLabel = "N",
      defaultValue = "${env:CHAT_MAX_CONNECTIONS_PER_ADDRESS:-"
          + ServerConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS + "}",
      description = "Most open connections from one client address [CHAT_MAX_CONNECTIONS_PER_ADDRESS] (default: ${DEFAULT-VALUE})")
  int maxConnectionsPerAddress;

  @Option(names = "--trusted-proxies", paramLabel = "CIDR,...", split = ",",
      defaultValue = "${env:CHAT_TRUSTED_PROXIES:-}",
      description = "Proxies whose X-Forwarded-For names the client (rightmost untrusted hop), for"
          + " per-address login limits and logs; e.g. 10.0.0.0/8,::1/128 [CHAT_TRUSTED_PROXIES] (default: none)")
  List<String> trustedProxies;

  @Option(names = "--header-timeout", paramLabel = "SECONDS", defaultValue = "${env:CHAT_HEADER_TIMEOUT:-" + ServerConfig.DEFAULT_HEADER_TIMEOUT_SECONDS + "}",
      description = "Time allowed for a request's headers (and idle keep-alive) [CHAT_HEADER_TIMEOUT] (default: ${DEFAULT-VALUE})")
  long headerTimeout;

  @Option(names = "--bcrypt-cost", paramLabel = "N", defaultValue = "${env:CHAT_BCRYPT_COST:-" + ServerConfig.DEFAULT_BCRYPT_COST + "}",
      description = "bcrypt cost of password hashes [CHAT_BCRYPT_COST] (default: ${DEFAULT-VALUE})")
  int bcryptCost;

  @Option(names = "--commit-batch", paramLabel = "N", defaultValue = "${env:CHAT_COMMIT_BATCH:-" + EngineConfig.DEFAULT_COMMIT_BATCH_SIZE + "}",
      description = "Most messages stored in one transaction [CHAT_COMMIT_BATCH] (default: ${DEFAULT-VALUE})")
  int commitBatch;

  @Option(names = "--commit-wait", paramLabel = "MICROS", defaultValue = "${env:CHAT_COMMIT_WAIT:-" + EngineConfig.DEFAULT_COMMIT_MAX_WAIT_MICROS + "}",
      description = "How long a batch waits for more messages [CHAT_COMMIT_WAIT] (default: ${DEFAULT-VALUE})")
  long commitWait;

  @Option(names = "--commit-queue", paramLabel = "N",
      defaultValue = "${env:CHAT_COMMIT_QUEUE:-" + EngineConfig.DEFAULT_COMMIT_QUEUE_CAPACITY + "}",
      description = "Messages accepted and not yet stored before sends are refused as unavailable [CHAT_COMMIT_QUEUE] (default: ${DEFAULT-VALUE})")
  int commitQueue;

  @Option(names = "--typing-rate", paramLabel = "PER_SECOND",
      defaultValue = "${env:CHAT_TYPING_RATE:-" + EngineConfig.DEFAULT_TYPING_RATE + "}",
      description = "Typing signals relayed per second per user and thread [CHAT_TYPING_RATE] (default: ${DEFAULT-VALUE})")
  double typingRate;

  @Option(names = "--max-attachments", paramLabel = "N",
      defaultValue = "${env:CHAT_MAX_ATTACHMENTS:-" + EngineConfig.DEFAULT_MAX_ATTACHMENTS + "}",
      description = "Most attachments on one message [CHAT_MAX_ATTACHMENTS] (default: ${DEFAULT-VALUE})")
  int maxAttachments;

  @Option(names = "--push-allow-local", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
      defaultValue = "${env:CHAT_PUSH_ALLOW_LOCAL:-false}",
      description = "Also accept Web Push endpoints on loopback addresses, http included, for tests and local setups [CHAT_PUSH_ALLOW_LOCAL] (default: ${DEFAULT-VALUE})")
  boolean pushAllowLocal;

  @Option(names = "--push-subject", paramLabel = "URL", defaultValue = "${env:CHAT_PUSH_SUBJECT:-" + PushSettings.DEFAULT_SUBJECT + "}",
      description = "Contact (mailto: or https:) in the VAPID token, for push services [CHAT_PUSH_SUBJECT] (default: ${DEFAULT-VALUE})")
  String pushSubject;

  @Option(names = "--vapid-public-key", paramLabel = "BASE64URL", defaultValue = "${env:CHAT_VAPID_PUBLIC_KEY}",
      description = "VAPID public key, an uncompressed P-256 point [CHAT_VAPID_PUBLIC_KEY] (default: generated once and kept in the store)")
  String vapidPublicKey;

  @Option(names = "--vapid-private-key", paramLabel = "BASE64URL", defaultValue = "${env:CHAT_VAPID_PRIVATE_KEY}",
      description = "VAPID private key, the 32-byte scalar, with --vapid-public-key [CHAT_VAPID_PRIVATE_KEY] (default: kept in the store)")
  String vapidPrivateKey;

  @Option(names = "--webhook", paramLabel = "URL", split = ",", defaultValue = "${env:CHAT_WEBHOOKS:-}",
      description = "POST every log entry here, signed; repeatable [CHAT_WEBHOOKS, comma-separated] (default: none)")
  List<String> webhooks;

  @Option(names = "--webhook-secret", paramLabel = "SECRET", defaultValue = "${env:CHAT_WEBHOOK_SECRET}",
      description = "HMAC-SHA256 key of X-Parley-Signature, at least 16 bytes [CHAT_WEBHOOK_SECRET] (default: none)")
  String webhookSecret;

  @Option(names = "--attachments", paramLabel = "auto|disk|database|s3", defaultValue = "${env:CHAT_ATTACHMENTS:-auto}",
      description = "Where uploaded files are kept: auto is s3 with --s3-bucket, else database with PostgreSQL and Redis (a cluster), else disk [CHAT_ATTACHMENTS] (default: ${DEFAULT-VALUE})")
  String attachments;

  @Option(names = "--s3-endpoint", paramLabel = "URL", defaultValue = "${env:CHAT_S3_ENDPOINT}",
      description = "S3-compatible service, e.g. http://minio:9000 (path-style) [CHAT_S3_ENDPOINT] (default: AWS S3)")
  String s3Endpoint;

  @Option(names = "--s3-bucket", paramLabel = "BUCKET", defaultValue = "${env:CHAT_S3_BUCKET}",
      description = "Bucket for attachments; it must exist [CHAT_S3_BUCKET] (default: none)")
  String s3Bucket;

  @Option(names = "--s3-region", paramLabel = "REGION", defaultValue = "${env:CHAT_S3_REGION:-" + S3Settings.DEFAULT_REGION + "}",
      description = "Signing region [CHAT_S3_REGION] (default: ${DEFAULT-VALUE})")
  String s3Region;

  @Option(names = "--s3-prefix", paramLabel = "PREFIX", defaultValue = "${env:CHAT_S3_PREFIX:-" + S3Settings.DEFAULT_PREFIX + "}",
      description = "Put before each object key [CHAT_S3_PREFIX] (default: ${DEFAULT-VALUE})")
  String s3Prefix;

  @Option(names = "--s3-access-key", paramLabel = "KEY", defaultValue = "${env:CHAT_S3_ACCESS_KEY}",
      description = "Access key id, with --s3-secret-key [CHAT_S3_ACCESS_KEY] (default: the AWS chain: AWS_ACCESS_KEY_ID, profile, role)")
  String s3AccessKey;

  @Option(names = "--s3-secret-key", paramLabel = "SECRET", defaultValue = "${env:CHAT_S3_SECRET_KEY}",
      description = "Secret access key; prefer the environment variable [CHAT_S3_SECRET_KEY] (default: the AWS chain)")
  String s3SecretKey;

  // no number in the annotation: the default depends on the machine, the builder computes it
  @Option(names = "--worker-threads", paramLabel = "N", defaultValue = "${env:CHAT_WORKER_THREADS}",
      description = "Threads for blocking work: database, password hashing [CHAT_WORKER_THREADS] (default: four per core, at least 8)")
  Integer workerThreads;

  /** Builds the config from the parsed flags (and environment defaults). */
  ServerConfig config() {
    ServerConfig.Builder b = ServerConfig.builder();
    if (workerThreads != null) {
      b.workerThreads(workerThreads);
    }
    return b
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
        .imagePixelLimit(imagePixelLimit)
        .outboundLimit(outboundLimit)
        .bcryptCost(bcryptCost)
        .commitBatchSize(commitBatch)
        .commitMaxWaitMicros(commitWait)
        .commitQueueCapacity(commitQueue)
        .typingRate(typingRate)
        .maxAttachments(maxAttachments)
        .maxConnections(maxConnections)
        .maxConnectionsPerAddress(maxConnectionsPerAddress)
        .headerTimeout(Duration.ofSeconds(headerTimeout))
        .trustedProxies(trustedProxies == null ? List.of()
            : trustedProxies.stream().map(String::strip).filter(s -> !s.isEmpty()).toList())
        .pushAllowLocal(pushAllowLocal)
        .pushSubject(pushSubject)
        .vapidKeys(vapidPublicKey, vapidPrivateKey)
        .webhooks(webhooks == null ? List.of()
            : webhooks.stream().map(String::strip).filter(s -> !s.isEmpty()).toList())
        .webhookSecret(webhookSecret)
        .attachmentStorage(AttachmentStorage.parse(attachments))
        .s3(s3Settings())
        .build();
  }

  private S3Settings s3Settings() {
    if (s3Bucket == null || s3Bucket.isBlank()) {
      return null;
    }
    String endpoint = s3Endpoint == null || s3Endpoint.isBlank() ? null : s3Endpoint.strip();
    return new S3Settings(endpoint, s3Region, s3Bucket.strip(), s3Prefix, blankToNull(s3AccessKey),
        blankToNull(s3SecretKey), endpoint != null);
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v;
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
