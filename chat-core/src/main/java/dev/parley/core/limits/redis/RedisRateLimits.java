package dev.parley.core.limits.redis;

import dev.parley.core.internal.redis.JedisPools;
import dev.parley.core.broker.redis.RedisBrokerOptions;
import dev.parley.core.internal.limit.RateLimiter;
import dev.parley.core.limits.Limiter;
import dev.parley.core.limits.RateLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Token buckets shared by every node that uses the same Redis and key prefix, so that a user's
 * send rate and an account's or address's failed logins are limited across the cluster, not per
 * node. Each bucket is a hash {@code PREFIX limit:NAME:KEY} with its tokens and the time of their
 * last refill, updated by one Lua script ({@link #SCRIPT}) that refills, takes and expires
 * atomically, on Redis's own clock (no node clock skew), for many keys in one round trip.
 *
 * <p>Every call is a network round trip and blocks: the engine calls these limiters only from
 * worker threads and the commit thread ({@link #blocking()} is true). When Redis cannot be
 * reached, a limiter falls back to buckets of this node (a per-node limit, as on a single node)
 * for a second at a time, logs that at most every 10 s, and tries Redis again after.
 */
public final class RedisRateLimits implements RateLimits {
  private static final Logger log = LoggerFactory.getLogger(RedisRateLimits.class);
  private static final long RETRY_AFTER_FAILURE_NANOS = 1_000_000_000L;
  private static final long WARN_EVERY_NANOS = 10_000_000_000L;

  /**
   * KEYS: the buckets, in order (one may repeat). ARGV: tokens per second, burst, cost (1 takes a
   * token, 0 only looks). Returns 1 or 0 per key. Full buckets expire once they would have refilled.
   */
  static final String SCRIPT = String.join("\n",
      "local t = redis.call('TIME')",
      "local now = tonumber(t[1]) * 1000000 + tonumber(t[2])",
      "local perMicro = tonumber(ARGV[1]) / 1000000",
      "local burst = tonumber(ARGV[2])",
      "local cost = tonumber(ARGV[3])",
      "local ttl = math.ceil(burst / tonumber(ARGV[1]) * 1000) + 1000",
      "local out = {}",
      "for i, key in ipairs(KEYS) do",
      "  local b = redis.call('HMGET', key, 'tokens', 'at')",
      "  local tokens = tonumber(b[1])",
      "  local at = tonumber(b[2])",
      "  if tokens == nil or at == nil then tokens = burst; at = now end",
      "  if now > at then tokens = math.min(burst, tokens + (now - at) * perMicro); at = now end",
      "  if tokens >= 1 then",
      "    tokens = tokens - cost",
      "    out[i] = 1",
      "  else",
      "    out[i] = 0",
      "  end",
      "  if cost > 0 then",
      "    redis.call('HSET', key, 'tokens', tostring(tokens), 'at', tostring(at))",
      "    redis.call('PEXPIRE', key, ttl)",
      "  end",
      "end",
      "return out");

  private final JedisPool pool;
  private final String prefix;
  private final String safeUrl;
  private volatile String sha;
  private final AtomicLong lastWarn = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

  private RedisRateLimits(RedisBrokerOptions options) {
    this.prefix = options.keyPrefix() + "limit:";
    this.safeUrl = options.url().getHost() + ":" + options.url().getPort();
    // the commit thread and login workers; more callers wait briefly for a connection
    this.pool = JedisPools.open(options, 4);
  }

  /** Buckets in the Redis of {@code options}, under its key prefix. Connects lazily. */
  public static RedisRateLimits create(RedisBrokerOptions options) {
    return new RedisRateLimits(Objects.requireNonNull(options, "options"));
  }

  @Override
  public Limiter limiter(String name, double ratePerSecond, int burst) {
    if (ratePerSecond < 0 || burst < 0) {
      throw new IllegalArgumentException("rate and burst must not be negative");
    }
    if (ratePerSecond == 0) {
      return new RateLimiter(0, burst); // off: no need to ask anyone
    }
    return new Shared(prefix + name + ":", ratePerSecond, Math.max(1, burst));
  }

  @Override
  public boolean blocking() {
    return true;
  }

  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "RedisRateLimits[" + safeUrl + ", prefix=" + prefix + "]";
  }

  /** Runs the script over {@code keys}; throws JedisException when Redis cannot be reached. */
  private boolean[] eval(List<String> keys, List<String> args) {
    try (Jedis j = pool.getResource()) {
      Object reply;
      String loaded = sha;
      if (loaded == null) {
        loaded = j.scriptLoad(SCRIPT);
        sha = loaded;
      }
      try {
        reply = j.evalsha(loaded, keys, args);
      } catch (JedisNoScriptException e) { // Redis restarted or flushed its scripts
        sha = j.scriptLoad(SCRIPT);
        reply = j.evalsha(sha, keys, args);
      }
      List<?> list = (List<?>) reply;
      boolean[] out = new boolean[keys.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = ((Number) list.get(i)).longValue() == 1;
      }
      return out;
    }
  }

  private void warn(String what, RuntimeException e) {
    long now = System.nanoTime();
    long last = lastWarn.get();
    if (now - last >= WARN_EVERY_NANOS && lastWarn.compareAndSet(last, now)) {
      log.warn("rate limits: Redis at {} failed ({}): {}; limiting per node until it answers",
          safeUrl, what, e.toString());
    }
  }

  /** One kind of bucket in Redis, with per-node buckets to fall back on. */
  private final class Shared implements Limiter {
    private final String keyPrefix;
    private final List<String> takeArgs;
    private final List<String> peekArgs;
    private final RateLimiter fallback;
    private volatile long redisAgainAt = System.nanoTime();

    Shared(String keyPrefix, double ratePerSecond, int burst) {
      this.keyPrefix = keyPrefix;
      String rate = Double.toString(ratePerSecond);
      this.takeArgs = List.of(rate, Integer.toString(burst), "1");
      this.peekArgs = List.of(rate, Integer.toString(burst), "0");
      this.fallback = new RateLimiter(ratePerSecond, burst);
    }

    @Override
    public boolean tryAcquire(String key) {
      return tryAcquireAll(List.of(key))[0];
    }

    @Override
    public boolean[] tryAcquireAll(List<String> keys) {
      if (keys.isEmpty()) {
        return new boolean[0];
      }
      if (System.nanoTime() - redisAgainAt >= 0) {
        List<String> redisKeys = new ArrayList<>(keys.size());
        for (String k : keys) {
          redisKeys.add(keyPrefix + k);
        }
        try {
          return eval(redisKeys, takeArgs);
        } catch (JedisException e) {
          redisAgainAt = System.nanoTime() + RETRY_AFTER_FAILURE_NANOS;
          warn("take", e);
        }
      }
      return fallback.tryAcquireAll(keys);
    }

    @Override
    public boolean hasToken(String key) {
      if (System.nanoTime() - redisAgainAt >= 0) {
        try {
          return eval(List.of(keyPrefix + key), peekArgs)[0];
        } catch (JedisException e) {
          redisAgainAt = System.nanoTime() + RETRY_AFTER_FAILURE_NANOS;
          warn("peek", e);
        }
      }
      return fallback.hasToken(key);
    }

    @Override
    public void evictIdle() {
      fallback.evictIdle(); // Redis expires its own full buckets
    }
  }
}
