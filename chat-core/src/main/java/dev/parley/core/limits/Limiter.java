package dev.parley.core.limits;

import java.util.List;

/**
 * Token buckets of one kind (e.g. sends per user), keyed by a string. Whether a call may block
 * depends on the {@link RateLimits} it came from: see {@link RateLimits#blocking()}.
 */
public interface Limiter {
  /** Takes one token from {@code key}'s bucket; false when it is empty. */
  boolean tryAcquire(String key);

  /**
   * Takes one token for each key, in order (a key may repeat), in one go; {@code result[i]} says
   * whether {@code keys.get(i)} got one. A shared implementation does it in one round trip.
   */
  default boolean[] tryAcquireAll(List<String> keys) {
    boolean[] out = new boolean[keys.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = tryAcquire(keys.get(i));
    }
    return out;
  }

  /** True when {@code key}'s bucket has a token; none is taken. */
  boolean hasToken(String key);

  /** Forgets buckets that are full again (their keys have been quiet); called now and then. */
  default void evictIdle() {
  }
}
