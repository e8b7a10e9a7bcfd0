package dev.parley.bench.load;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The worst delivery latency and the number of deliveries per slot of the measured window, by
 * intended send time: shows whether a tail comes from a few stalls or from everywhere, and when.
 * Recorded from several event loops at once.
 */
final class LatencyTimeline {
  private final long start;
  private final long slotNanos;
  private final AtomicLongArray worst;
  private final AtomicLongArray counts;

  LatencyTimeline(long start, long windowNanos, long slotNanos) {
    this.start = start;
    this.slotNanos = slotNanos;
    int slots = (int) Math.max(1, (windowNanos + slotNanos - 1) / slotNanos);
    this.worst = new AtomicLongArray(slots);
    this.counts = new AtomicLongArray(slots);
  }

  void record(long intended, long latencyNanos) {
    long slot = (intended - start) / slotNanos;
    if (slot < 0 || slot >= worst.length()) {
      return;
    }
    int i = (int) slot;
    counts.incrementAndGet(i);
    worst.accumulateAndGet(i, latencyNanos, Math::max);
  }

  /** Writes one line per slot: its start in ms from the window's start, deliveries, worst in µs. */
  void write(Path file) throws IOException {
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
      long epochMillis = System.currentTimeMillis() - (System.nanoTime() - start) / 1_000_000;
      out.println("# window start " + Instant.ofEpochMilli(epochMillis));
      out.println("# slot_start_ms deliveries worst_us");
      for (int i = 0; i < worst.length(); i++) {
        out.printf("%d %d %d%n", i * slotNanos / 1_000_000, counts.get(i), worst.get(i) / 1_000);
      }
    }
  }
}
