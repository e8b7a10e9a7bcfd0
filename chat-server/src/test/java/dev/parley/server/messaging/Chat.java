package dev.parley.server.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/** Small helpers shared by the messaging integration tests: frames, REST calls, waits. */
final class Chat {
  private Chat() {
  }

  /** A {@code send} frame; {@code id} and {@code clientId} are left out when null. */
  static String sendFrame(String id, String thread, String body, String clientId) {
    ObjectNode n = TestServer.JSON.createObjectNode().put("type", "send");
    if (id != null) {
      n.put("id", id);
    }
    n.put("thread", thread).put("body", body);
    if (clientId != null) {
      n.put("clientId", clientId);
    }
    return n.toString();
  }

  /** A REST send body. */
  static String restBody(String body, String clientId) {
    ObjectNode n = TestServer.JSON.createObjectNode().put("body", body);
    if (clientId != null) {
      n.put("clientId", clientId);
    }
    return n.toString();
  }

  /** Sends over REST and expects 201; returns the stored message. */
  static JsonNode post(TestServer server, TestServer.Account from, String thread, String body) {
    TestServer.Response r = server.post("/api/threads/" + thread + "/messages", from.access(),
        restBody(body, null));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  /** Creates a direct thread and returns the response. */
  static TestServer.Response direct(TestServer server, TestServer.Account from, String otherId) {
    return server.post("/api/threads", from.access(),
        "{\"kind\":\"direct\",\"members\":[\"" + otherId + "\"]}");
  }

  /** The {@code message} frames of one thread, in order of arrival. */
  static List<JsonNode> messagesOf(WsClient ws, String thread) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : ws.received()) {
      if ("message".equals(n.path("type").asText()) && thread.equals(n.path("thread").asText())) {
        out.add(n);
      }
    }
    return out;
  }

  /** Seqs of the thread's {@code message} frames, in order of arrival. */
  static List<Long> seqsOf(WsClient ws, String thread) {
    return messagesOf(ws, thread).stream().map(n -> n.get("seq").asLong()).toList();
  }

  /** Waits until the client has at least {@code count} messages of the thread. */
  static void awaitMessages(WsClient ws, String thread, int count, Duration within) {
    Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(20))
        .until(() -> messagesOf(ws, thread).size() >= count);
  }

  /**
   * Waits for the answer carrying frame id {@code id}, wherever it is among the frames received
   * (unlike {@link WsClient#awaitId}, which only looks past what it returned before).
   */
  static JsonNode answer(WsClient ws, String id) {
    return ws.awaitAnswer(id, Duration.ofSeconds(10));
  }


  /** Index in arrival order of the first frame that satisfies the predicate, or -1. */
  static int indexOf(WsClient ws, java.util.function.Predicate<JsonNode> match) {
    List<JsonNode> all = ws.received();
    for (int i = 0; i < all.size(); i++) {
      if (match.test(all.get(i))) {
        return i;
      }
    }
    return -1;
  }

  /** Seqs 1..n. */
  static List<Long> oneTo(long n) {
    List<Long> out = new ArrayList<>();
    for (long i = 1; i <= n; i++) {
      out.add(i);
    }
    return out;
  }

  /** Ids of the members of a thread JSON. */
  static List<String> memberIds(JsonNode thread) {
    List<String> out = new ArrayList<>();
    thread.get("members").forEach(m -> out.add(m.get("id").asText()));
    return out;
  }

  /** A unique-named account. */
  static TestServer.Account user(TestServer server, String prefix) {
    return server.register(TestServer.uniqueName(prefix));
  }
}
