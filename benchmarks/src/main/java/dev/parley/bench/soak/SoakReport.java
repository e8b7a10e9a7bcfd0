package dev.parley.bench.soak;

import java.util.List;

/**
 * The outcome of a soak run.
 *
 * @param cycles connect / chat / disconnect cycles completed
 * @param acked messages acked (each recorded with its thread and seq)
 * @param checked messages found in history, every thread read back from seq 1
 * @param delivered live message frames the clients received
 * @param heapBaseline heap used after GC when the warm-up ended, bytes
 * @param heapAfter heap used after GC once the churn stopped and settled, bytes
 * @param fdBaseline open file descriptors of this JVM at the baseline (-1 if unknown)
 * @param fdAfter open file descriptors after the churn (-1 if unknown)
 * @param failures what went wrong; empty when the run passed
 */
public record SoakReport(long cycles, long acked, long checked, long delivered, long heapBaseline,
                         long heapAfter, long fdBaseline, long fdAfter, List<String> failures) {
  public SoakReport {
    failures = List.copyOf(failures);
  }

  public boolean passed() {
    return failures.isEmpty();
  }

  /** A few lines for a human. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    s.append(String.format("cycles %d, acked %d, checked in history %d, delivered live %d%n",
        cycles, acked, checked, delivered));
    s.append(String.format("heap used after GC: %.1f MiB at baseline, %.1f MiB after (%+.1f MiB)%n",
        heapBaseline / 1048576.0, heapAfter / 1048576.0, (heapAfter - heapBaseline) / 1048576.0));
    s.append(String.format("open file descriptors: %d at baseline, %d after%n", fdBaseline, fdAfter));
    s.append(passed() ? "PASSED" : "FAILED: " + String.join("; ", failures));
    return s.toString();
  }
}
