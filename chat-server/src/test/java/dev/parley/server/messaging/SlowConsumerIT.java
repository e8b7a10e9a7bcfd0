package dev.parley.server.messaging;

import static dev.parley.server.messaging.Chat.oneTo;
import static dev.parley.server.messaging.Chat.sendFrame;
import static dev.parley.server.messaging.Chat.seqsOf;
import static dev.parley.server.messaging.Chat.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.StuckWebSocket;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.WsClient;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A client that never reads is dropped; nobody else waits for it and the heap stays bounded. */
class SlowConsumerIT {
  // small enough that the stuck client passes it, large enough that readers on a loaded machine do not
  private static final int OUTBOUND_LIMIT = 256 * 1024;
  private static final int MESSAGES = 4_000;
  private static final int BODY = 2 * 1024;
  private static final long MIB = 1024 * 1024;
  private static final Pattern CONNECTIONS = Pattern.compile("(?m)^chat_connections\\s+([0-9.eE+]+)");

  @Test
  void dropsAClientThatDoesNotReadWhileOthersGetEveryMessage() throws Exception {
    try (TestServer server = TestServer.start(b -> b.rateLimit(0).outboundLimit(OUTBOUND_LIMIT))) {
      Account alice = user(server, "alice");
      Account bob = user(server, "bob");
      Account slow = user(server, "slow");
      String g = server.group(alice, "flood", bob, slow);

      try (WsClient a = server.connect(alice.access());
           WsClient b = server.connect(bob.access());
           StuckWebSocket stuck = StuckWebSocket.connect("127.0.0.1", server.port(), slow.access(), 4096)) {
        Awaitility.await().atMost(Duration.ofSeconds(10))
            .until(() -> server.server().engine().isConnected(slow.id()));
        assertThat(connectionsGauge(server)).isEqualTo(3);
        long heapBefore = usedHeapAfterGc();

        String body = "x".repeat(BODY);
        long start = System.nanoTime();
        for (int i = 0; i < MESSAGES; i++) {
          a.send(sendFrame(null, g, body, null));
        }
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
            .until(() -> seqsOf(b, g).size() >= MESSAGES && a.ofType("ack").size() >= MESSAGES);
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();

        // the server let go of the one that does not read
        Awaitility.await().atMost(Duration.ofSeconds(30))
            .until(() -> !server.server().engine().isConnected(slow.id()));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> connectionsGauge(server) == 2);

        // everybody else got everything, in order
        assertThat(seqsOf(b, g)).isEqualTo(oneTo(MESSAGES));
        assertThat(seqsOf(a, g)).isEqualTo(oneTo(MESSAGES));
        assertThat(a.isClosed()).isFalse();
        assertThat(b.isClosed()).isFalse();

        // what the stuck client finally reads ends: EOF or reset, not a connection still open
        StuckWebSocket.Drained drained = stuck.drain(10_000);
        long heapAfter = usedHeapAfterGc();
        long floodBytes = (long) MESSAGES * BODY;
        System.out.printf("SlowConsumerIT: %d messages of %d B in %d ms; the stuck client read %d B"
                + " then %s (close code %s); used heap %d MiB -> %d MiB (flood %d MiB)%n",
            MESSAGES, BODY, millis, drained.bytes(), drained.reset() ? "a reset" : "EOF",
            drained.closeCode(), heapBefore / MIB, heapAfter / MIB, floodBytes / MIB);
        assertThat(drained.bytes()).as("the stuck client got far less than the flood").isLessThan(floodBytes);
        if (drained.closeCode() != null) {
          assertThat(drained.closeCode()).isEqualTo(4008);
        }
        assertThat(heapAfter - heapBefore).as("heap growth").isLessThan(64 * MIB);
      }
    }
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    System.gc();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static int connectionsGauge(TestServer server) {
    TestServer.Response r = server.get("/metrics", null);
    assertThat(r.status()).isEqualTo(200);
    Matcher m = CONNECTIONS.matcher(r.body());
    assertThat(m.find()).as("chat_connections in /metrics").isTrue();
    return (int) Double.parseDouble(m.group(1));
  }
}
