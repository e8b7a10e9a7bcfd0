package dev.parley.core.broker.redis;

import dev.parley.core.LogSafe;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * How a {@link RedisBroker} reaches Redis: built once with {@link #builder(String)}, validated by
 * {@link Builder#build()}, immutable afterwards. {@link #toString()} masks the password.
 *
 * <ul>
 *   <li>{@code url}: {@code redis://[[user]:password@]host[:port][/db]} ({@code rediss://} for TLS;
 *       the port defaults to {@value #DEFAULT_PORT})
 *   <li>{@code keyPrefix}: prepended to every channel name (default {@value #DEFAULT_KEY_PREFIX});
 *       nodes of one cluster share it, different clusters on one Redis must not
 *   <li>{@code nodeId}: this node's name, carried in every event for diagnostics
 *   <li>{@code initialBackoff} / {@code maxBackoff}: the wait before reconnecting, doubling from
 *       the first to the second (default 100 ms to 5 s)
 *   <li>{@code timeout}: connect and command timeout (default 2 s)
 *   <li>{@code pingInterval}: an idle subscriber connection is pinged this often and dropped
 *       (then re-established) when nothing came back for three intervals (default 10 s)
 *   <li>{@code publishQueue}: events waiting to be published; beyond it they are dropped
 *       (default 65,536)
 * </ul>
 */
public final class RedisBrokerOptions {
  /** The key prefix used when none is given. */
  public static final String DEFAULT_KEY_PREFIX = "parley:";

  /** The port used when the URL names none. */
  public static final int DEFAULT_PORT = 6379;

  private final URI url;
  private final String keyPrefix;
  private final String nodeId;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration timeout;
  private final Duration pingInterval;
  private final int publishQueue;

  private RedisBrokerOptions(Builder b, URI url) {
    this.url = url;
    this.keyPrefix = b.keyPrefix;
    this.nodeId = b.nodeId;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.timeout = b.timeout;
    this.pingInterval = b.pingInterval;
    this.publishQueue = b.publishQueue;
  }

  /** Starts options for the Redis at {@code url} (e.g. {@code redis://127.0.0.1:6379}). */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  public URI url() {
    return url;
  }

  public String keyPrefix() {
    return keyPrefix;
  }

  public String nodeId() {
    return nodeId;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  public Duration timeout() {
    return timeout;
  }

  public Duration pingInterval() {
    return pingInterval;
  }

  public int publishQueue() {
    return publishQueue;
  }

  /** The URL without its credentials, for log lines. */
  String safeUrl() {
    return LogSafe.url(url.toString());
  }

  @Override
  public String toString() {
    return "RedisBrokerOptions[url=" + LogSafe.url(url.toString()) + ", keyPrefix=" + keyPrefix + ", nodeId=" + nodeId
        + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff + ", timeout=" + timeout
        + ", pingInterval=" + pingInterval + ", publishQueue=" + publishQueue + "]";
  }

  /** Collects the options; {@link #build()} validates them. */
  public static final class Builder {
    private final String url;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private String nodeId = "node-1";
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private Duration timeout = Duration.ofSeconds(2);
    private Duration pingInterval = Duration.ofSeconds(10);
    private int publishQueue = 65_536;

    private Builder(String url) {
      this.url = Objects.requireNonNull(url, "url");
    }

    public Builder keyPrefix(String v) {
      keyPrefix = v;
      return this;
    }

    public Builder nodeId(String v) {
      nodeId = v;
      return this;
    }

    /** The first reconnect wait and the cap it doubles up to. */
    public Builder backoff(Duration initial, Duration max) {
      initialBackoff = initial;
      maxBackoff = max;
      return this;
    }

    public Builder timeout(Duration v) {
      timeout = v;
      return this;
    }

    public Builder pingInterval(Duration v) {
      pingInterval = v;
      return this;
    }

    public Builder publishQueue(int v) {
      publishQueue = v;
      return this;
    }

    /**
     * Validates and returns the options.
     *
     * @throws IllegalArgumentException naming the first setting that is wrong
     */
    public RedisBrokerOptions build() {
      URI uri;
      try {
        uri = new URI(url.trim());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("Redis URL is not a valid URI: " + e.getReason());
      }
      if (!JedisURIHelper.isRedisScheme(uri) && !JedisURIHelper.isRedisSSLScheme(uri)) {
        throw new IllegalArgumentException("Redis URL must start with redis:// or rediss://");
      }
      if (uri.getHost() != null && uri.getPort() == -1) {
        uri = withDefaultPort(uri);
      }
      if (!JedisURIHelper.isValid(uri)) {
        throw new IllegalArgumentException("Redis URL must name a host");
      }
      Objects.requireNonNull(keyPrefix, "keyPrefix");
      Objects.requireNonNull(nodeId, "nodeId");
      if (nodeId.isBlank()) {
        throw new IllegalArgumentException("nodeId must not be blank");
      }
      positive("initialBackoff", initialBackoff);
      positive("maxBackoff", maxBackoff);
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("maxBackoff must not be shorter than initialBackoff");
      }
      positive("timeout", timeout);
      positive("pingInterval", pingInterval);
      if (timeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("timeout is too long");
      }
      if (publishQueue < 1) {
        throw new IllegalArgumentException("publishQueue must be at least 1");
      }
      return new RedisBrokerOptions(this, uri);
    }

    private static URI withDefaultPort(URI u) {
      try {
        return new URI(u.getScheme(), u.getRawUserInfo() == null ? null : u.getUserInfo(), u.getHost(),
            DEFAULT_PORT, u.getPath(), u.getQuery(), null);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("Redis URL is not a valid URI: " + e.getReason());
      }
    }

    private static void positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
    }
  }
}
