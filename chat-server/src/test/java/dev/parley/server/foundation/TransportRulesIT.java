package dev.parley.server.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.RawWebSocket;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What only the transport enforces: binary frames (1003), messages over the frame limit (1009),
 * silence (4000). The server runs with a 2048-byte frame limit and a 1-second heartbeat.
 */
class TransportRulesIT {
  private static final int FRAME_LIMIT = 2048;
  @RegisterExtension
  static final TestServer server = TestServer.perClass(b -> b.frameLimit(FRAME_LIMIT).heartbeatSeconds(1));
  private static TestServer.Account alice;

  @BeforeAll
  static void start() {
    alice = server.register(TestServer.uniqueName("alice"));
  }

  private static String pingOfSize(int bytes) {
    String head = "{\"type\":\"ping\",\"id\":\"";
    String tail = "\"}";
    return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
  }

  @Test
  void aBinaryFrameClosesWith1003() {
    try (WsClient ws = server.connect(alice.access())) {
      ws.socket().sendBinary(ByteBuffer.wrap("{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8)), true).join();
      assertThat(ws.awaitClose()).isEqualTo(1003);
    }
  }

  @Test
  void aMessageAtTheFrameLimitIsAccepted() {
    try (WsClient ws = server.connect(alice.access())) {
      String frame = pingOfSize(FRAME_LIMIT);
      assertThat(frame.getBytes(StandardCharsets.UTF_8)).hasSize(FRAME_LIMIT);
      ws.send(frame);
      assertThat(ws.awaitType("pong").get("id").asText()).hasSize(FRAME_LIMIT - 23);
    }
  }

  @Test
  void aSingleFrameOverTheLimitClosesWith1009() {
    try (WsClient ws = server.connect(alice.access())) {
      ws.send(pingOfSize(FRAME_LIMIT + 1));
      assertThat(ws.awaitClose()).isEqualTo(1009);
    }
  }

  @Test
  void aFragmentedMessageWhosePartsTogetherExceedTheLimitClosesWith1009() {
    try (WsClient ws = server.connect(alice.access())) {
      String frame = pingOfSize(FRAME_LIMIT + 500);
      int half = frame.length() / 2;
      ws.socket().sendText(frame.substring(0, half), false).join();
      ws.socket().sendText(frame.substring(half), true).join();
      assertThat(ws.awaitClose()).isEqualTo(1009);
    }
  }

  @Test
  void aFragmentedMessageUnderTheLimitIsReassembled() {
    try (RawWebSocket raw = RawWebSocket.connect(server.port(), alice.access())) {
      raw.awaitFrame(RawWebSocket.TEXT, Duration.ofSeconds(5)); // hello
      byte[] frame = pingOfSize(1500).getBytes(StandardCharsets.UTF_8);
      raw.sendFrame(RawWebSocket.TEXT, false, java.util.Arrays.copyOfRange(frame, 0, 500));
      raw.sendFrame(RawWebSocket.CONTINUATION, false, java.util.Arrays.copyOfRange(frame, 500, 1000));
      raw.sendFrame(RawWebSocket.CONTINUATION, true, java.util.Arrays.copyOfRange(frame, 1000, frame.length));
      String pong = raw.awaitFrame(RawWebSocket.TEXT, Duration.ofSeconds(5)).text();
      assertThat(pong).startsWith("{\"type\":\"pong\"");
    }
  }

  @Test
  void manyFragmentsOverTheLimitOnARawSocketCloseWith1009() {
    try (RawWebSocket raw = RawWebSocket.connect(server.port(), alice.access())) {
      raw.awaitFrame(RawWebSocket.TEXT, Duration.ofSeconds(5)); // hello
      byte[] part = "x".repeat(400).getBytes(StandardCharsets.UTF_8);
      raw.sendFrame(RawWebSocket.TEXT, false, "{\"type\":\"ping\",\"id\":\"".getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < 6; i++) {
        raw.sendFrame(RawWebSocket.CONTINUATION, false, part);
      }
      assertThat(raw.awaitClose(Duration.ofSeconds(5))).isEqualTo(1009);
    }
  }

  @Test
  void aSilentClientIsClosedWith4000AfterTwoHeartbeats() {
    try (RawWebSocket raw = RawWebSocket.connect(server.port(), alice.access())) {
      long start = System.nanoTime();
      RawWebSocket.Frame hello = raw.awaitFrame(RawWebSocket.TEXT, Duration.ofSeconds(5));
      assertThat(hello.text()).contains("\"heartbeat\":1");
      // the server pings every second; this client answers nothing
      raw.awaitFrame(RawWebSocket.PING, Duration.ofSeconds(3));
      int code = raw.awaitClose(Duration.ofSeconds(5));
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(code).isEqualTo(4000);
      assertThat(elapsedMillis).isBetween(1_500L, 4_500L);
    }
  }

  @Test
  void aClientThatAnswersPingsStaysOpen() {
    try (WsClient ws = server.connect(alice.access())) {
      // the JDK client answers the server's pings with pongs by itself
      Awaitility.await().during(Duration.ofMillis(3_500)).atMost(Duration.ofSeconds(5))
          .until(() -> !ws.isClosed());
      ws.send("{\"type\":\"ping\",\"id\":\"after\"}");
      assertThat(ws.awaitId("after").get("type").asText()).isEqualTo("pong");
    }
  }

  @Test
  void silentClientsAreClosedWhileTheirNeighboursThatAnswerStayOpen() throws Exception {
    // one sweep per event loop walks all these connections: several close in the same walk
    List<RawWebSocket> silent = new ArrayList<>();
    List<WsClient> answering = new ArrayList<>();
    try {
      for (int i = 0; i < 12; i++) {
        silent.add(RawWebSocket.connect(server.port(), alice.access()));
        answering.add(server.connect(alice.access()));
      }
      for (RawWebSocket raw : silent) {
        assertThat(raw.awaitClose(Duration.ofSeconds(6))).isEqualTo(4000);
      }
      Awaitility.await().during(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(4))
          .until(() -> answering.stream().noneMatch(WsClient::isClosed));
      for (WsClient ws : answering) {
        ws.send("{\"type\":\"ping\",\"id\":\"still\"}");
        assertThat(ws.awaitId("still").get("type").asText()).isEqualTo("pong");
      }
    } finally {
      silent.forEach(RawWebSocket::close);
      answering.forEach(WsClient::close);
    }
  }

  @Test
  void aClientThatOnlySendsFramesStaysOpen() throws InterruptedException {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try (RawWebSocket raw = RawWebSocket.connect(server.port(), alice.access())) {
      raw.awaitFrame(RawWebSocket.TEXT, Duration.ofSeconds(5)); // hello
      // never a pong: only its own ping frames (WebSocket control pings and JSON pings in turn)
      int[] n = new int[1];
      timer.scheduleAtFixedRate(() -> {
        if (n[0]++ % 2 == 0) {
          raw.sendFrame(RawWebSocket.PING, true, new byte[0]);
        } else {
          raw.sendText("{\"type\":\"ping\"}");
        }
      }, 0, 400, TimeUnit.MILLISECONDS);
      long until = System.nanoTime() + Duration.ofMillis(3_500).toNanos();
      while (System.nanoTime() < until) {
        RawWebSocket.Frame f = raw.readFrame(Duration.ofMillis(500));
        assertThat(f == null || f.opcode() != RawWebSocket.CLOSE)
            .as("closed with %s", f == null ? "" : f.closeCode()).isTrue();
      }
      timer.shutdownNow();
      assertThat(timer.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
      raw.sendText("{\"type\":\"ping\",\"id\":\"end\"}");
      RawWebSocket.Frame pong;
      do {
        pong = raw.awaitFrame(RawWebSocket.TEXT, Duration.ofSeconds(5));
      } while (!pong.text().contains("\"end\""));
      assertThat(pong.text()).contains("\"type\":\"pong\"");
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void aClientsOwnCloseIsAnsweredWith1000() {
    try (RawWebSocket raw = RawWebSocket.connect(server.port(), alice.access())) {
      raw.awaitFrame(RawWebSocket.TEXT, Duration.ofSeconds(5)); // hello
      raw.sendFrame(RawWebSocket.CLOSE, true, new byte[] {0x03, (byte) 0xE8});
      assertThat(raw.awaitClose(Duration.ofSeconds(5))).isEqualTo(1000);
    }
  }
}
