package dev.parley.bench.soak;

import java.time.Duration;

/**
 * What a soak run does.
 *
 * @param duration how long the measured churn runs (after the warm-up)
 * @param warmup churn before the baseline is taken, so that class loading, JIT and Netty's pools
 *     are not counted as growth
 * @param users how many users churn at once, one loop each
 * @param rooms how many group threads the users are spread over
 * @param maxBurst each cycle sends 1 to this many messages before disconnecting
 * @param pause the pause between a user's cycles
 * @param heapToleranceBytes how far heap used after GC may end above its baseline
 * @param fdTolerance how many more open file descriptors than at the baseline are allowed
 * @param settle how long to wait, after the churn stops, for heap and descriptors to come back
 */
public record SoakOptions(Duration duration, Duration warmup, int users, int rooms, int maxBurst,
                          Duration pause, long heapToleranceBytes, int fdTolerance, Duration settle) {
  public SoakOptions {
    if (duration.isNegative() || warmup.isNegative() || pause.isNegative() || settle.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
    if (users < 2 || rooms < 1 || rooms > users || maxBurst < 1) {
      throw new IllegalArgumentException("need users >= 2, 1 <= rooms <= users, maxBurst >= 1");
    }
    if (heapToleranceBytes < 0 || fdTolerance < 0) {
      throw new IllegalArgumentException("tolerances must not be negative");
    }
  }

  /** Defaults of the manual run: one hour. */
  public static SoakOptions defaults() {
    return new SoakOptions(Duration.ofHours(1), Duration.ofSeconds(30), 24, 6, 8,
        Duration.ofMillis(250), 48L * 1024 * 1024, 16, Duration.ofSeconds(30));
  }

  public SoakOptions withDuration(Duration d) {
    return new SoakOptions(d, warmup, users, rooms, maxBurst, pause, heapToleranceBytes, fdTolerance, settle);
  }

  public SoakOptions withWarmup(Duration d) {
    return new SoakOptions(duration, d, users, rooms, maxBurst, pause, heapToleranceBytes, fdTolerance, settle);
  }
}
