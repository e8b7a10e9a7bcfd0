package dev.parley.core.limits;

import dev.parley.core.internal.limit.RateLimiter;

/**
 * Where the engine's token buckets live: per send rate and failed logins. {@link #local()} keeps
 * them in this JVM (one node: the default); {@link dev.parley.core.limits.redis.RedisRateLimits}
 * shares them between the nodes of a cluster, so that N nodes do not allow N times the rate.
 * Give one to {@link dev.parley.core.ChatEngine.Builder#rateLimits}; the engine closes it.
 */
public interface RateLimits extends AutoCloseable {
  /**
   * The buckets called {@code name}: {@code ratePerSecond} tokens refill each second up to
   * {@code burst}; a rate of 0 turns them off (every call succeeds).
   */
  Limiter limiter(String name, double ratePerSecond, int burst);

  /**
   * True when a {@link Limiter}'s calls may block (a network round trip): they must then never
   * run on an event loop. The engine checks sends on its commit thread, in one round trip per
   * batch, instead of on the connection's thread.
   */
  boolean blocking();

  @Override
  default void close() {
  }

  /** Buckets in this JVM: exact for one node, per node in a cluster. Never block. */
  static RateLimits local() {
    return new RateLimits() {
      @Override
      public Limiter limiter(String name, double ratePerSecond, int burst) {
        return new RateLimiter(ratePerSecond, burst);
      }

      @Override
      public boolean blocking() {
        return false;
      }

      @Override
      public String toString() {
        return "RateLimits[local]";
      }
    };
  }
}
