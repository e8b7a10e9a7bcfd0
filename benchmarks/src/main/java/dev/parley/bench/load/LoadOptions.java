package dev.parley.bench.load;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One load run of {@link LoadGenerator}: {@code connections} users, one connection each, in
 * groups of {@code groupSize}; {@code senders} of them send for {@code durationSeconds} (after
 * {@code warmupSeconds} that are not measured), either at a fixed total {@code rate} (messages per
 * second, latencies measured from each message's intended send time, so a stalled server cannot
 * hide its stall: no coordinated omission) or, with {@code rate} 0, flat out with at most
 * {@code window} unacknowledged messages per sender.
 *
 * @param urls the servers' base URLs, {@code http://host:port}: users register and create their
 *     groups on the first; connection i goes to {@code urls[i % urls.size()]} (nodes of one cluster)
 * @param spreadSources bind connection i to 127.0.0.(1 + i % 250), past the ~28k ephemeral ports of one source address
 * @param serverPid the server's process id for its RSS and CPU time, 0 when unknown
 * @param eventLoops client event loop threads
 * @param drainSeconds how long to wait after the run for outstanding acks and deliveries
 * @param userPrefix prefix of the registered user names, unique per run
 * @param timeline where to write the worst delivery latency per 10 ms of the window, or null
 */
public record LoadOptions(List<URI> urls, int connections, int groupSize, int senders, int durationSeconds,
                          int warmupSeconds, double rate, int window, int bodyBytes,
                          boolean spreadSources, long serverPid, int eventLoops, int drainSeconds,
                          String userPrefix, String password, Path timeline) {

  public LoadOptions {
    urls = List.copyOf(urls);
    require(!urls.isEmpty(), "at least one url");
    require(connections >= 1, "connections must be at least 1");
    require(groupSize >= 1 && groupSize <= connections, "group size must be 1 to connections");
    require(senders >= 1 && senders <= connections, "senders must be 1 to connections");
    require(durationSeconds >= 1, "duration must be at least 1 s");
    require(warmupSeconds >= 0, "warmup must not be negative");
    require(rate >= 0, "rate must not be negative (0 = flat out)");
    require(window >= 1, "window must be at least 1");
    require(bodyBytes >= 1, "body must be at least 1 byte");
    require(eventLoops >= 1, "at least one event loop");
    require(drainSeconds >= 0, "drain must not be negative");
    Objects.requireNonNull(userPrefix, "userPrefix");
    Objects.requireNonNull(password, "password");
  }

  public static Builder builder(URI url) {
    return new Builder(url);
  }

  /** The first server's base URL: where users register and create their groups. */
  public URI url() {
    return urls.get(0);
  }

  /** True when senders run flat out with a window rather than at a fixed rate. */
  public boolean flatOut() {
    return rate == 0;
  }

  /** Number of groups (the last one may be smaller). */
  public int groups() {
    return (connections + groupSize - 1) / groupSize;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Fills a {@link LoadOptions}; defaults: 100 connections, groups of 10, 10 senders flat out, window 16. */
  public static final class Builder {
    private List<URI> urls;
    private int connections = 100;
    private int groupSize = 10;
    private int senders = 10;
    private int durationSeconds = 10;
    private int warmupSeconds = 2;
    private double rate;
    private int window = 16;
    private int bodyBytes = 100;
    private boolean spreadSources;
    private long serverPid;
    private int eventLoops = 2;
    private int drainSeconds = 10;
    private String userPrefix = "b" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    private String password = "bench-password";
    private Path timeline;

    private Builder(URI url) {
      this.urls = List.of(url);
    }

    /** Several nodes of one cluster: connection i goes to {@code urls[i % urls.size()]}. */
    public Builder urls(List<URI> v) {
      urls = v;
      return this;
    }

    public Builder connections(int v) {
      connections = v;
      return this;
    }

    public Builder groupSize(int v) {
      groupSize = v;
      return this;
    }

    public Builder senders(int v) {
      senders = v;
      return this;
    }

    public Builder durationSeconds(int v) {
      durationSeconds = v;
      return this;
    }

    public Builder warmupSeconds(int v) {
      warmupSeconds = v;
      return this;
    }

    public Builder rate(double v) {
      rate = v;
      return this;
    }

    public Builder window(int v) {
      window = v;
      return this;
    }

    public Builder bodyBytes(int v) {
      bodyBytes = v;
      return this;
    }

    public Builder spreadSources(boolean v) {
      spreadSources = v;
      return this;
    }

    public Builder serverPid(long v) {
      serverPid = v;
      return this;
    }

    public Builder eventLoops(int v) {
      eventLoops = v;
      return this;
    }

    public Builder drainSeconds(int v) {
      drainSeconds = v;
      return this;
    }

    public Builder userPrefix(String v) {
      userPrefix = v;
      return this;
    }

    public Builder password(String v) {
      password = v;
      return this;
    }

    public Builder timeline(Path v) {
      timeline = v;
      return this;
    }

    public LoadOptions build() {
      return new LoadOptions(urls, connections, groupSize, senders, durationSeconds, warmupSeconds,
          rate, window, bodyBytes, spreadSources, serverPid, eventLoops, drainSeconds, userPrefix,
          password, timeline);
    }
  }
}
