package dev.parley.client.internal;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "equal jitter": attempt n waits between half and all of
 * {@code min(max, initial * 2^n)}, so clients dropped together do not return together.
 */
public final class Backoff {
  private final long initialMillis;
  private final long maxMillis;
  private final DoubleSupplier random;

  public Backoff(Duration initial, Duration max, DoubleSupplier random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + ", " + max);
    }
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
    this.random = random;
  }

  /** The wait before attempt {@code attempt} (0 for the first retry), in milliseconds. */
  public long delayMillis(int attempt) {
    long ceiling = attempt >= 30 ? maxMillis : Math.min(maxMillis, initialMillis << attempt);
    long half = ceiling / 2;
    return half + (long) (random.getAsDouble() * (ceiling - half));
  }
}
