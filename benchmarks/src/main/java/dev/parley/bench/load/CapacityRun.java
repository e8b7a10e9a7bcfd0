package dev.parley.bench.load;

import dev.parley.bench.load.RestSetup.BenchUser;
import dev.parley.client.transport.FrameHandler;
import dev.parley.client.transport.WsConnection;
import io.netty.buffer.ByteBuf;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Capacity mode: ramps idle, authenticated WebSocket connections up to a target, as fast as the
 * server completes handshakes with at most {@code inFlight} of them pending, then holds them for
 * a few seconds and reports handshakes per second and the server's resident memory per
 * connection. Once the ramp is done it prints one line ({@code ramp done: ...}), so that a script
 * can do more while the connections are held (scenario D holds them until a release file appears).
 */
public final class CapacityRun {

  /**
   * @param url the server's base URL
   * @param connections how many connections to open
   * @param users over how many registered users they are spread (round robin)
   * @param inFlight most handshakes pending at once
   * @param holdSeconds how long all connections stay open before RSS is read
   * @param releaseFile when not null, the hold ends as soon as this file exists (at most
   *     {@code holdSeconds})
   */
  public record Options(URI url, int connections, int users, int inFlight, int holdSeconds,
                        boolean spreadSources, long serverPid, int eventLoops, String userPrefix,
                        String password, Path releaseFile) {
  }

  /** What a capacity run measured. */
  public record Report(String target, int connections, long opened, long failed,
                       long disconnected, double rampSeconds, double handshakesPerSecond,
                       long serverRssBeforeBytes, long serverRssAfterBytes,
                       long serverRssPerConnectionBytes, double serverCpuSeconds,
                       double clientCpuSeconds) {

    public String human() {
      return String.format("target %s: %d of %d connections open (%d failed, %d dropped while"
              + " held) in %.1f s: %.0f handshakes/s%nserver RSS %s -> %s, %s per connection;"
              + " cpu: server %s, chat-bench %.1f s%n", target, opened, connections, failed,
          disconnected, rampSeconds, handshakesPerSecond, mib(serverRssBeforeBytes),
          mib(serverRssAfterBytes),
          serverRssPerConnectionBytes < 0 ? "n/a" : String.format("%.1f KiB", serverRssPerConnectionBytes / 1024.0),
          serverCpuSeconds < 0 ? "n/a" : String.format("%.1f s", serverCpuSeconds), clientCpuSeconds);
    }

    private static String mib(long bytes) {
      return bytes < 0 ? "n/a" : (bytes / (1024 * 1024)) + " MiB";
    }
  }

  private CapacityRun() {
  }

  /** Waits {@code holdSeconds}, or until the release file exists when there is one. */
  private static void hold(Options o) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.holdSeconds());
    try {
      while (System.nanoTime() < until
          && (o.releaseFile() == null || !Files.exists(o.releaseFile()))) {
        TimeUnit.MILLISECONDS.sleep(o.releaseFile() == null
            ? Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())) : 200);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static Report run(Options o) {
    List<BenchUser> users;
    try (RestSetup rest = new RestSetup(o.url(), 16)) {
      users = rest.users(Math.min(o.users(), o.connections()), o.userPrefix(), o.password());
    }
    LongAdder disconnected = new LongAdder();
    FrameHandler idle = new FrameHandler() {
      @Override
      public void onFrame(WsConnection connection, ByteBuf utf8) {
        // idle: presence events and the like are ignored
      }

      @Override
      public void onClose(WsConnection connection, int closeCode) {
        disconnected.increment();
      }
    };
    try (BenchConnections client = new BenchConnections(o.url(), o.eventLoops(), o.spreadSources())) {
      long rssBefore = ProcessStats.rssBytes(o.serverPid());
      double serverCpu0 = ProcessStats.cpuSeconds(o.serverPid());
      double clientCpu0 = ProcessStats.ownCpuSeconds();
      Semaphore permits = new Semaphore(o.inFlight());
      List<CompletableFuture<WsConnection>> pending = new ArrayList<>(o.connections());
      long start = System.nanoTime();
      for (int c = 0; c < o.connections(); c++) {
        permits.acquireUninterruptibly();
        CompletableFuture<WsConnection> f = client.connect(c, users.get(c % users.size()).token(), idle);
        f.whenComplete((conn, err) -> permits.release());
        pending.add(f);
      }
      List<WsConnection> open = new ArrayList<>();
      long failed = 0;
      for (CompletableFuture<WsConnection> f : pending) {
        try {
          open.add(f.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
          failed++;
        }
      }
      double ramp = (System.nanoTime() - start) / 1e9;
      System.out.printf("ramp done: %d of %d connections open (%d failed) in %.1f s: %.0f"
          + " handshakes/s; holding%n", open.size(), o.connections(), failed, ramp, open.size() / ramp);
      System.out.flush();
      hold(o);
      long rssAfter = ProcessStats.rssBytes(o.serverPid());
      double serverCpu = ProcessStats.cpuSeconds(o.serverPid());
      double clientCpu = ProcessStats.ownCpuSeconds() - clientCpu0;
      for (WsConnection c : open) {
        c.close();
      }
      long perConnection = rssBefore < 0 || rssAfter < 0 || open.isEmpty()
          ? -1 : (rssAfter - rssBefore) / open.size();
      return new Report(o.url().toString(), o.connections(), open.size(), failed,
          disconnected.sum(), ramp, open.size() / ramp, rssBefore, rssAfter, perConnection,
          serverCpu < 0 ? -1 : serverCpu - serverCpu0, clientCpu);
    }
  }
}
