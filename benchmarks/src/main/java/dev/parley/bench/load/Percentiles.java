package dev.parley.bench.load;

import org.HdrHistogram.Histogram;

/** Latency percentiles in microseconds, from a histogram recorded in nanoseconds. */
public record Percentiles(long count, double p50, double p90, double p99, double p999, double max) {

  static Percentiles of(Histogram h) {
    if (h.getTotalCount() == 0) {
      return new Percentiles(0, 0, 0, 0, 0, 0);
    }
    return new Percentiles(h.getTotalCount(), micros(h.getValueAtPercentile(50)),
        micros(h.getValueAtPercentile(90)), micros(h.getValueAtPercentile(99)),
        micros(h.getValueAtPercentile(99.9)), micros(h.getMaxValue()));
  }

  private static double micros(long nanos) {
    return nanos / 1_000.0;
  }

  /** {@code p50 0.412 ms  p90 ...}: milliseconds, for people. */
  String human() {
    return String.format("p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms  (n=%d)",
        p50 / 1000, p90 / 1000, p99 / 1000, p999 / 1000, max / 1000, count);
  }
}
