package dev.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.parley.bench.baseline.BareNettyServer;
import dev.parley.server.ChatServer;
import dev.parley.server.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * chat-bench against a real server in this JVM (SQLite in a temp dir) and against the bare Netty
 * baseline: a few seconds of load, then every message must have been acked and delivered to
 * every member of its group, exactly once.
 */
class ChatBenchSmokeIT {

  @TempDir
  Path dataDir;

  @Test
  void everyMessageIsAckedAndDeliveredToEveryMember() {
    ServerConfig config = ServerConfig.builder()
        .host("127.0.0.1")
        .port(0)
        .dataDir(dataDir)
        .rateLimit(0)
        .bcryptCost(4)
        .jwtSecret("smoke-test-secret-of-at-least-32-bytes")
        .build();
    try (ChatServer server = ChatServer.builder(config).start()) {
      LoadReport report = LoadGenerator.run(options(server.port()).build());

      assertLossFree(report);
    }
  }

  @Test
  void fixedRateRunIsLossFreeWithLatencies() throws IOException {
    ServerConfig config = ServerConfig.builder()
        .host("127.0.0.1")
        .port(0)
        .dataDir(dataDir)
        .rateLimit(0)
        .bcryptCost(4)
        .jwtSecret("smoke-test-secret-of-at-least-32-bytes")
        .build();
    try (ChatServer server = ChatServer.builder(config).start()) {
      Path timeline = dataDir.resolve("timeline.txt");
      LoadReport report = LoadGenerator.run(options(server.port()).rate(200).timeline(timeline)
          .build());

      assertLossFree(report);
      assertThat(report.sentPerSecond()).isBetween(150.0, 250.0);
      assertThat(report.delivery().p50()).isPositive();
      // one line per 10 ms of the 5 s window, counting every measured delivery once
      List<String> slots = Files.readAllLines(timeline).stream()
          .filter(line -> !line.startsWith("#")).toList();
      assertThat(slots).hasSize(500);
      assertThat(slots.stream().mapToLong(line -> Long.parseLong(line.split(" ")[1])).sum())
          .isEqualTo(report.delivery().count());
      assertThat(slots.stream().mapToLong(line -> Long.parseLong(line.split(" ")[2])).max()
          .orElse(0)).isPositive();
    }
  }

  @Test
  void bareNettyBaselineSpeaksEnoughOfTheProtocol() {
    try (BareNettyServer server = BareNettyServer.start(0)) {
      LoadReport report = LoadGenerator.run(options(server.port()).build());

      assertLossFree(report);
      assertThat(report.remoteDelivery().count()).as("one node: nothing crosses").isZero();
    }
  }

  @Test
  void bareNettyBaselineFlushingOncePerReadLosesNothing() {
    try (BareNettyServer server = BareNettyServer.start(0, true)) {
      LoadReport report = LoadGenerator.run(options(server.port()).build());

      assertLossFree(report);
      assertThat(report.delivery().count()).isPositive();
    }
  }

  @Test
  void durableBareBaselineAcksOnlyWhatItHasLogged() throws IOException {
    Path log = dataDir.resolve("bare.log");
    LoadReport report;
    try (BareNettyServer server = BareNettyServer.startDurable(0, log)) {
      report = LoadGenerator.run(options(server.port()).build());
    }

    assertLossFree(report);
    // every acked message is in the log (the warm-up's too, so at least as many)
    String logged = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    assertThat(countOf(logged, "{\"type\":\"message\"")).as("message records in the log")
        .isGreaterThanOrEqualTo(report.acked());
  }

  private static long countOf(String text, String needle) {
    long n = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void severalUrlsSpreadTheConnectionsAndMeasureCrossNodeCopiesApart() {
    try (BareNettyServer server = BareNettyServer.start(0)) {
      // two addresses of the same server stand in for two nodes: connection i goes to URL i % 2
      LoadReport report = LoadGenerator.run(options(server.port())
          .urls(List.of(URI.create("http://127.0.0.1:" + server.port()),
              URI.create("http://127.0.0.2:" + server.port())))
          .spreadSources(false)
          .build());

      assertLossFree(report);
      assertThat(report.target()).contains("127.0.0.2");
      // groups of 4 alternate nodes: half of each message's copies land on the sender's node
      assertThat(report.remoteDelivery().count()).isPositive()
          .isCloseTo(report.delivery().count() / 2, withinPercentage(5));
    }
  }

  private static LoadOptions.Builder options(int port) {
    return LoadOptions.builder(URI.create("http://127.0.0.1:" + port))
        .connections(12)
        .groupSize(4)
        .senders(3)
        .window(8)
        .warmupSeconds(1)
        .durationSeconds(5)
        .eventLoops(2);
  }

  private static void assertLossFree(LoadReport report) {
    assertThat(report.sent()).as("messages sent").isPositive();
    assertThat(report.acked()).as("acks\n%s", report.human()).isEqualTo(report.sent());
    assertThat(report.expectedDeliveries()).isEqualTo(report.sent() * 4);
    assertThat(report.delivered()).as("deliveries\n%s", report.human())
        .isEqualTo(report.expectedDeliveries());
    assertThat(report.missingDeliveries()).isZero();
    assertThat(report.duplicateDeliveries()).isZero();
    assertThat(report.errors()).isZero();
    assertThat(report.disconnects()).isZero();
    assertThat(report.lossFree()).isTrue();
  }
}
