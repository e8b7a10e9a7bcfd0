package dev.parley.server.signals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * Helpers of the live-signal tests: frames, predicates over received frames, and the two waits
 * these tests need: for something to arrive, and proof that something did <em>not</em> arrive (a
 * barrier, never a quiet window).
 */
final class Signals {
  static final Duration WAIT = Duration.ofSeconds(10);
  private static final AtomicInteger IDS = new AtomicInteger();

  private Signals() {
  }

  /** A fresh frame id. */
  static String nextId(String prefix) {
    return prefix + IDS.incrementAndGet();
  }

  static String typingFrame(String thread) {
    return TestServer.JSON.createObjectNode().put("type", "typing").put("thread", thread).toString();
  }

  static String readFrame(String id, String thread, long seq) {
    ObjectNode n = TestServer.JSON.createObjectNode().put("type", "read");
    if (id != null) {
      n.put("id", id);
    }
    return n.put("thread", thread).put("seq", seq).toString();
  }

  static String presenceQuery(String id, String... users) {
    ObjectNode n = TestServer.JSON.createObjectNode().put("type", "presence").put("id", id);
    ArrayNode a = n.putArray("users");
    for (String u : users) {
      a.add(u);
    }
    return n.toString();
  }

  static String sendFrame(String id, String thread, String body, List<String> attachments) {
    ObjectNode n = TestServer.JSON.createObjectNode().put("type", "send").put("id", id)
        .put("thread", thread).put("body", body);
    if (attachments != null) {
      ArrayNode a = n.putArray("attachments");
      attachments.forEach(a::add);
    }
    return n.toString();
  }

  /** A REST send body with attachment ids. */
  static String restSend(String body, List<String> attachments) {
    ObjectNode n = TestServer.JSON.createObjectNode().put("body", body);
    ArrayNode a = n.putArray("attachments");
    attachments.forEach(a::add);
    return n.toString();
  }

  static Predicate<JsonNode> ofType(String type) {
    return n -> type.equals(n.path("type").asText());
  }

  static Predicate<JsonNode> typing(String thread, String user) {
    return n -> "typing".equals(n.path("type").asText()) && thread.equals(n.path("thread").asText())
        && user.equals(n.path("user").asText());
  }

  static Predicate<JsonNode> presence(String user, String status) {
    return n -> "presence".equals(n.path("type").asText()) && user.equals(n.path("user").asText())
        && status.equals(n.path("status").asText());
  }

  /** Any unprompted presence event (not a query's answer) about {@code user}. */
  static Predicate<JsonNode> presenceAbout(String user) {
    return n -> "presence".equals(n.path("type").asText()) && user.equals(n.path("user").asText());
  }

  static Predicate<JsonNode> readEvent(String thread, String user) {
    return n -> "read".equals(n.path("type").asText()) && thread.equals(n.path("thread").asText())
        && user.equals(n.path("user").asText());
  }

  static Predicate<JsonNode> message(String thread) {
    return n -> "message".equals(n.path("type").asText()) && thread.equals(n.path("thread").asText());
  }

  /** Any frame that is about {@code thread}: a message, typing, read, thread or removed event. */
  static Predicate<JsonNode> aboutThread(String thread) {
    return n -> thread.equals(n.path("thread").asText()) || thread.equals(n.path("thread").path("id").asText());
  }

  /** The frames received so far that match. */
  static List<JsonNode> matching(WsClient ws, Predicate<JsonNode> match) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : ws.received()) {
      if (match.test(n)) {
        out.add(n);
      }
    }
    return out;
  }

  static long count(WsClient ws, Predicate<JsonNode> match) {
    return ws.received().stream().filter(match).count();
  }

  /** Waits until a frame that matches has arrived, wherever it is among the frames received; returns the first. */
  static JsonNode awaitFrame(WsClient ws, Predicate<JsonNode> match) {
    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(10))
        .until(() -> count(ws, match) > 0);
    return matching(ws, match).get(0);
  }

  /** Waits for the answer carrying frame id {@code id} (not a message), wherever it is among the frames received. */
  static JsonNode answer(WsClient ws, String id) {
    return awaitFrame(ws, n -> id.equals(n.path("id").asText(null)) && !"message".equals(n.path("type").asText()));
  }

  /**
   * Asserts that no frame that matches has reached any of the clients, with a ping round trip on
   * each as the barrier: the server writes the pong after every frame it queued to that
   * connection before it read the ping. Call it once whatever should not arrive would already
   * have been queued (after an error answer, an ack, or a frame that followed it elsewhere). On
   * failure the cause names the frames that did arrive.
   */
  static void assertNoneArrives(Predicate<JsonNode> match, WsClient... clients) {
    for (WsClient ws : clients) {
      roundTrip(ws);
      assertThat(matching(ws, match)).as("frames that should not have arrived").isEmpty();
    }
  }

  /** Round-trips a ping: every frame the client sent before it has been handled by the server. */
  static void roundTrip(WsClient ws) {
    String id = nextId("ping");
    ws.send("{\"type\":\"ping\",\"id\":\"" + id + "\"}");
    assertThat(answer(ws, id).path("type").asText()).isEqualTo("pong");
  }

  /** A unique-named account. */
  static TestServer.Account user(TestServer server, String prefix) {
    return server.register(TestServer.uniqueName(prefix));
  }
}
