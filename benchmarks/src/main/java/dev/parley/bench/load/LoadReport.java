package dev.parley.bench.load;

/**
 * What a load run measured. Counts cover the whole run (warmup included) and are what the loss
 * check compares; rates and latencies cover only the measured window.
 *
 * @param sent                messages sent
 * @param acked               acks received for them
 * @param delivered           message frames received by members
 * @param expectedDeliveries  sent messages times the members of their group (each member has one connection)
 * @param missingAcks         sent but never acked
 * @param missingDeliveries   members that never received a sent message, summed over connections
 * @param duplicateDeliveries deliveries beyond the expected ones, summed over connections
 * @param errors              error frames received
 * @param disconnects         connections closed before the end of the run
 * @param sentPerSecond       messages sent per second in the measured window
 * @param deliveredPerSecond  deliveries per second of the messages sent in the measured window
 * @param ack                 send to ack, microseconds (from the intended send time at a fixed rate)
 * @param delivery            send to delivery at each member, microseconds (likewise)
 * @param remoteDelivery      the same for the copies delivered on another node than the sender's
 *                            (several {@code --url}s, nodes of one cluster); count 0 otherwise
 * @param serverRssBytes      the server's VmRSS at the end, -1 without {@code --server-pid}
 * @param serverCpuSeconds    the server's CPU time in the measured window, -1 without a pid
 * @param clientCpuSeconds    this load generator's CPU time in the measured window
 * @param deliveryMismatches  the first connections that received more or fewer messages than sent to their group
 */
public record LoadReport(String target, int connections, int groupSize, int senders, double rate,
                         int window, int bodyBytes, int durationSeconds, double setupSeconds,
                         long sent, long acked, long delivered, long expectedDeliveries,
                         long missingAcks, long missingDeliveries, long duplicateDeliveries,
                         long errors, long disconnects, double sentPerSecond,
                         double deliveredPerSecond, Percentiles ack, Percentiles delivery,
                         Percentiles remoteDelivery,
                         long serverRssBytes, double serverCpuSeconds, double clientCpuSeconds,
                         String deliveryMismatches) {

  /** Every message acked once and delivered exactly once to every member, and no errors. */
  public boolean lossFree() {
    return sent > 0 && missingAcks == 0 && missingDeliveries == 0 && duplicateDeliveries == 0
        && errors == 0 && disconnects == 0;
  }

  /** A few lines for people. */
  public String human() {
    StringBuilder b = new StringBuilder();
    b.append(String.format("target %s: %d connections, groups of %d, %d senders, %s, body %d B,"
            + " %d s measured (setup %.1f s)%n", target, connections, groupSize, senders,
        rate == 0 ? "flat out, window " + window : String.format("%.0f msg/s", rate), bodyBytes,
        durationSeconds, setupSeconds));
    b.append(String.format("throughput: %.0f sent/s, %.0f delivered/s%n", sentPerSecond,
        deliveredPerSecond));
    b.append("send->ack:      ").append(ack.human()).append(System.lineSeparator());
    b.append("send->delivery: ").append(delivery.human()).append(System.lineSeparator());
    if (remoteDelivery.count() > 0) {
      b.append("  cross-node:   ").append(remoteDelivery.human()).append(System.lineSeparator());
    }
    b.append(String.format("totals: sent %d, acked %d, delivered %d of %d; missing acks %d,"
            + " missing deliveries %d, duplicates %d, errors %d, disconnects %d -> %s%n", sent, acked,
        delivered, expectedDeliveries, missingAcks, missingDeliveries, duplicateDeliveries, errors,
        disconnects, lossFree() ? "NO LOSS" : "LOSS OR ERRORS"));
    if (!deliveryMismatches.isEmpty()) {
      b.append("received/expected: ").append(deliveryMismatches).append(System.lineSeparator());
    }
    b.append(String.format("cpu: server %s, chat-bench %.1f s; server RSS %s%n",
        serverCpuSeconds < 0 ? "n/a" : String.format("%.1f s", serverCpuSeconds), clientCpuSeconds,
        serverRssBytes < 0 ? "n/a" : (serverRssBytes / (1024 * 1024)) + " MiB"));
    return b.toString();
  }
}
