package dev.parley.server.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /healthz} and {@code /metrics} (contract 1 and 6). */
class HealthAndMetricsIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  private static String metrics() {
    TestServer.Response r = server.get("/metrics", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    return r.body();
  }

  /** The value of a sample line {@code name{labels} value}; 0 when the series is absent. */
  private static double sample(String text, String nameAndLabels) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(nameAndLabels) + " ([0-9.eE+-]+)").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void healthzIsOkWithTheContractBody() {
    TestServer.Response r = server.get("/healthz", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(r.json()).isEqualTo(TestServer.JSON.createObjectNode().put("status", "ok"));
  }

  @Test
  void everyContractMetricHasHelpAndType() {
    String text = metrics();
    assertThat(text).containsPattern("(?m)^# HELP chat_connections .+$");
    assertThat(text).containsPattern("(?m)^# TYPE chat_connections gauge$");
    for (String counter : new String[] {"chat_messages_stored_total", "chat_frames_received_total",
        "chat_frames_sent_total", "chat_http_requests_total"}) {
      String base = counter.substring(0, counter.length() - "_total".length());
      assertThat(text).as(counter).containsPattern("(?m)^# HELP (" + counter + "|" + base + ") .+$");
      assertThat(text).as(counter).containsPattern("(?m)^# TYPE (" + counter + "|" + base + ") counter$");
    }
    assertThat(text).containsPattern("(?m)^# HELP chat_store_batch_size .+$");
    assertThat(text).containsPattern("(?m)^# TYPE chat_store_batch_size (histogram|summary)$");
    assertThat(text).containsPattern("(?m)^chat_connections [0-9.eE+-]+$");
    assertThat(text).containsPattern("(?m)^chat_frames_received_total [0-9.eE+-]+$");
    assertThat(text).containsPattern("(?m)^chat_frames_sent_total [0-9.eE+-]+$");
    assertThat(text).containsPattern("(?m)^chat_messages_stored_total [0-9.eE+-]+$");
    assertThat(text).containsPattern("(?m)^chat_store_batch_size_count [0-9.eE+-]+$");
  }

  @Test
  void httpRequestsAreCountedByStatus() {
    double ok = sample(metrics(), "chat_http_requests_total{status=\"200\"}");
    double notFound = sample(metrics(), "chat_http_requests_total{status=\"404\"}");
    server.get("/healthz", null);
    server.get("/api/nope", null);
    server.get("/api/nope", null);
    String text = metrics();
    // the scrapes themselves are 200s too
    assertThat(sample(text, "chat_http_requests_total{status=\"200\"}")).isGreaterThanOrEqualTo(ok + 2);
    assertThat(sample(text, "chat_http_requests_total{status=\"404\"}")).isEqualTo(notFound + 2);
  }

  @Test
  void refusedUpgradesAreCountedAs401() {
    double before = sample(metrics(), "chat_http_requests_total{status=\"401\"}");
    dev.parley.server.testing.RawWebSocket.upgrade(server.port(), "/ws", java.util.Map.of());
    assertThat(sample(metrics(), "chat_http_requests_total{status=\"401\"}")).isEqualTo(before + 1);
  }

  @Test
  void connectionAndFrameCountersMoveWithTraffic() {
    TestServer.Account alice = server.register(TestServer.uniqueName("alice"));
    TestServer.Account bob = server.register(TestServer.uniqueName("bob"));
    String thread = server.group(alice, "metrics", bob);
    String before = metrics();
    double received = sample(before, "chat_frames_received_total");
    double sent = sample(before, "chat_frames_sent_total");
    double stored = sample(before, "chat_messages_stored_total");
    double batches = sample(before, "chat_store_batch_size_count");
    double connections = sample(before, "chat_connections");

    try (WsClient a = server.connect(alice.access()); WsClient b = server.connect(bob.access())) {
      Awaitility.await().atMost(Duration.ofSeconds(5))
          .until(() -> sample(metrics(), "chat_connections") == connections + 2);
      a.send("{\"type\":\"ping\",\"id\":\"p\"}");
      a.awaitId("p");
      a.send("{\"type\":\"send\",\"id\":\"s\",\"thread\":\"" + thread + "\",\"body\":\"counted\"}");
      a.awaitId("s");
      b.awaitType("message");

      String after = metrics();
      assertThat(sample(after, "chat_frames_received_total")).isEqualTo(received + 2);
      // two hellos, a pong, an ack, the message to both (presence events may add more)
      assertThat(sample(after, "chat_frames_sent_total")).isGreaterThanOrEqualTo(sent + 6);
      assertThat(sample(after, "chat_messages_stored_total")).isEqualTo(stored + 1);
      assertThat(sample(after, "chat_store_batch_size_count")).isEqualTo(batches + 1);
    }
    Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> sample(metrics(), "chat_connections") == connections);
  }

  @Test
  void messagesSentOverRestAreCountedAsStored() {
    TestServer.Account carol = server.register(TestServer.uniqueName("carol"));
    String thread = server.group(carol, "rest");
    double stored = sample(metrics(), "chat_messages_stored_total");
    assertThat(server.post("/api/threads/" + thread + "/messages", carol.access(), "{\"body\":\"via rest\"}").status())
        .isEqualTo(201);
    assertThat(sample(metrics(), "chat_messages_stored_total")).isEqualTo(stored + 1);
  }
}
