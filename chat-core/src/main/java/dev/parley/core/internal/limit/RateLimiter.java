package dev.parley.core.internal.limit;

import dev.parley.core.limits.Limiter;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets keyed by a string (a user id, or user and thread): {@code ratePerSecond} tokens
 * refill each second up to {@code burst}. A rate of 0 turns the limiter off. Idle full buckets are
 * dropped by {@link #evictIdle} so the map does not grow with every user ever seen.
 */
public final class RateLimiter implements Limiter {
  private final double ratePerNano;
  private final double burst;
  private final boolean enabled;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(double ratePerSecond, int burst) {
    if (ratePerSecond < 0 || burst < 0) {
      throw new IllegalArgumentException("rate and burst must not be negative");
    }
    this.enabled = ratePerSecond > 0;
    this.ratePerNano = ratePerSecond / 1_000_000_000d;
    this.burst = Math.max(1, burst);
  }

  /** Takes one token for the key; false when its bucket is empty. */
  @Override
  public boolean tryAcquire(String key) {
    if (!enabled) {
      return true;
    }
    long now = System.nanoTime();
    Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
    return bucket.take(now, ratePerNano, burst);
  }

  /** True when the key's bucket has a token (none is taken). */
  @Override
  public boolean hasToken(String key) {
    if (!enabled) {
      return true;
    }
    Bucket bucket = buckets.get(key);
    return bucket == null || bucket.peek(System.nanoTime(), ratePerNano, burst);
  }

  /** Drops buckets that have refilled completely (their users have been quiet). */
  @Override
  public void evictIdle() {
    long now = System.nanoTime();
    buckets.values().removeIf(b -> b.isFull(now, ratePerNano, burst));
  }

  public int size() {
    return buckets.size();
  }

  private static final class Bucket {
    private double tokens;
    private long last;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.last = now;
    }

    synchronized boolean take(long now, double ratePerNano, double burst) {
      refill(now, ratePerNano, burst);
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }

    synchronized boolean peek(long now, double ratePerNano, double burst) {
      refill(now, ratePerNano, burst);
      return tokens >= 1;
    }

    synchronized boolean isFull(long now, double ratePerNano, double burst) {
      refill(now, ratePerNano, burst);
      return tokens >= burst;
    }

    private void refill(long now, double ratePerNano, double burst) {
      long elapsed = now - last;
      if (elapsed > 0) {
        tokens = Math.min(burst, tokens + elapsed * ratePerNano);
        last = now;
      }
    }
  }
}
