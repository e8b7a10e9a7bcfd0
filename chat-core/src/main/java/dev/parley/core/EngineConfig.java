package dev.parley.core;

import java.time.Duration;
import java.util.Objects;

/**
 * The engine's limits and tuning, validated once by {@link Builder#build()}. The defaults are the
 * contract's: 16 KiB bodies, 20 sends/s with bursts of 100 per user, 25 s heartbeat, 30 s grace.
 *
 * @param nodeId             this node's name in a cluster, sent in {@code hello}
 * @param bodyLimitBytes     largest message body in UTF-8 bytes
 * @param rateLimit          sends per second per user, 0 = unlimited
 * @param rateBurst          sends a user may make at once
 * @param typingRate         typing signals relayed per second per user and thread
 * @param heartbeatSeconds   interval of server pings; silence for twice this closes with 4000
 * @param tokenGrace         how long a connection outlives its token without an {@code auth} frame
 * @param commitBatchSize    most messages stored in one transaction
 * @param commitMaxWaitMicros how long a batch waits for more messages (0 = commit at once)
 * @param commitQueueCapacity most messages accepted and not yet stored before sends get unavailable
 * @param maxAttachments     most attachments on one message
 * @param presenceGrace      how long after its last connection closes a user still counts as online
 * @param workerThreads      threads for blocking work (database, password hashing)
 */
public record EngineConfig(String nodeId, int bodyLimitBytes, double rateLimit, int rateBurst,
                           double typingRate, int heartbeatSeconds, Duration tokenGrace,
                           int commitBatchSize, long commitMaxWaitMicros, int commitQueueCapacity,
                           int maxAttachments, Duration presenceGrace, int workerThreads) {

  /*
   * The defaults, named so that the server's config and command line read them instead of
   * repeating them (compile-time constants: picocli's annotations can name them).
   */
  public static final String DEFAULT_NODE_ID = "node-1";
  public static final int DEFAULT_BODY_LIMIT_BYTES = 16_384;
  public static final int DEFAULT_RATE_LIMIT = 20;
  public static final int DEFAULT_RATE_BURST = 100;
  public static final int DEFAULT_TYPING_RATE = 3;
  public static final int DEFAULT_HEARTBEAT_SECONDS = 25;
  public static final int DEFAULT_TOKEN_GRACE_SECONDS = 30;
  public static final int DEFAULT_COMMIT_BATCH_SIZE = 512;
  public static final long DEFAULT_COMMIT_MAX_WAIT_MICROS = 0;
  public static final int DEFAULT_COMMIT_QUEUE_CAPACITY = 100_000;
  public static final int DEFAULT_MAX_ATTACHMENTS = 10;
  public static final long DEFAULT_PRESENCE_GRACE_MILLIS = 2_000;

  /** Threads for blocking work unless told otherwise: four per core, at least eight. */
  public static int defaultWorkerThreads() {
    return Math.max(8, Runtime.getRuntime().availableProcessors() * 4);
  }

  public static Builder builder() {
    return new Builder();
  }

  public static EngineConfig defaults() {
    return builder().build();
  }

  /** Fills an {@link EngineConfig}; every setter has the contract's default. */
  public static final class Builder {
    private String nodeId = DEFAULT_NODE_ID;
    private int bodyLimitBytes = DEFAULT_BODY_LIMIT_BYTES;
    private double rateLimit = DEFAULT_RATE_LIMIT;
    private int rateBurst = DEFAULT_RATE_BURST;
    private double typingRate = DEFAULT_TYPING_RATE;
    private int heartbeatSeconds = DEFAULT_HEARTBEAT_SECONDS;
    private Duration tokenGrace = Duration.ofSeconds(DEFAULT_TOKEN_GRACE_SECONDS);
    private int commitBatchSize = DEFAULT_COMMIT_BATCH_SIZE;
    private long commitMaxWaitMicros = DEFAULT_COMMIT_MAX_WAIT_MICROS;
    private int commitQueueCapacity = DEFAULT_COMMIT_QUEUE_CAPACITY;
    private int maxAttachments = DEFAULT_MAX_ATTACHMENTS;
    private Duration presenceGrace = Duration.ofMillis(DEFAULT_PRESENCE_GRACE_MILLIS);
    private int workerThreads = defaultWorkerThreads();

    private Builder() {
    }

    public Builder nodeId(String v) {
      nodeId = v;
      return this;
    }

    public Builder bodyLimitBytes(int v) {
      bodyLimitBytes = v;
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

    public Builder typingRate(double v) {
      typingRate = v;
      return this;
    }

    public Builder heartbeatSeconds(int v) {
      heartbeatSeconds = v;
      return this;
    }

    public Builder tokenGrace(Duration v) {
      tokenGrace = v;
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

    public Builder commitQueueCapacity(int v) {
      commitQueueCapacity = v;
      return this;
    }

    public Builder maxAttachments(int v) {
      maxAttachments = v;
      return this;
    }

    public Builder presenceGrace(Duration v) {
      presenceGrace = v;
      return this;
    }

    public Builder workerThreads(int v) {
      workerThreads = v;
      return this;
    }

    /** Validates and returns the immutable config. */
    public EngineConfig build() {
      Objects.requireNonNull(nodeId, "nodeId");
      require(!nodeId.isBlank(), "nodeId must not be blank");
      require(bodyLimitBytes >= 1, "body limit must be at least 1 byte");
      require(rateLimit >= 0, "rate limit must not be negative (0 turns it off)");
      require(rateBurst >= 1, "rate burst must be at least 1");
      require(typingRate >= 0, "typing rate must not be negative");
      require(heartbeatSeconds >= 1, "heartbeat must be at least 1 second");
      require(!tokenGrace.isNegative(), "token grace must not be negative");
      require(commitBatchSize >= 1, "commit batch size must be at least 1");
      require(commitMaxWaitMicros >= 0, "commit max wait must not be negative");
      require(commitQueueCapacity >= 1, "commit queue capacity must be at least 1");
      require(maxAttachments >= 0, "max attachments must not be negative");
      require(!presenceGrace.isNegative(), "presence grace must not be negative");
      require(workerThreads >= 1, "worker threads must be at least 1");
      return new EngineConfig(nodeId, bodyLimitBytes, rateLimit, rateBurst, typingRate,
          heartbeatSeconds, tokenGrace, commitBatchSize, commitMaxWaitMicros, commitQueueCapacity,
          maxAttachments, presenceGrace, workerThreads);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
