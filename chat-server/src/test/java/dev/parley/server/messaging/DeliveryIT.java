package dev.parley.server.messaging;

import static dev.parley.server.messaging.Chat.awaitMessages;
import static dev.parley.server.messaging.Chat.indexOf;
import static dev.parley.server.messaging.Chat.messagesOf;
import static dev.parley.server.messaging.Chat.sendFrame;
import static dev.parley.server.messaging.Chat.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.TestServer.Response;
import dev.parley.server.testing.WsClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Live delivery of sends (WebSocket and REST) and the clientId dedupe. */
class DeliveryIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void sendReachesEveryConnectionOfEveryMemberAndNobodyElse() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    Account carol = user(server, "carol");
    String g = server.group(alice, "tea", bob);
    String barrier = server.group(alice, "barrier", bob, carol);
    try (WsClient a1 = server.connect(alice.access());
         WsClient a2 = server.connect(alice.access());
         WsClient b1 = server.connect(bob.access());
         WsClient b2 = server.connect(bob.access());
         WsClient c = server.connect(carol.access())) {
      a1.send(sendFrame("s1", g, "hello all", null));
      JsonNode ack = a1.awaitId("s1");
      assertThat(ack.get("type").asText()).isEqualTo("ack");
      assertThat(ack.get("thread").asText()).isEqualTo(g);
      assertThat(ack.get("seq").asLong()).isEqualTo(1);
      String messageId = ack.get("messageId").asText();
      assertThat(ack.get("ts").asLong()).isPositive();

      for (WsClient ws : List.of(a1, a2, b1, b2)) {
        awaitMessages(ws, g, 1, WAIT);
        JsonNode m = messagesOf(ws, g).get(0);
        assertThat(m.get("id").asText()).isEqualTo(messageId);
        assertThat(m.get("seq").asLong()).isEqualTo(1);
        assertThat(m.get("sender").asText()).isEqualTo(alice.id());
        assertThat(m.get("body").asText()).isEqualTo("hello all");
        assertThat(m.get("attachments").isArray()).isTrue();
      }
      // the ack is the first frame about the message on the sender's connection
      int ackAt = indexOf(a1, n -> "ack".equals(n.path("type").asText()) && "s1".equals(n.path("id").asText()));
      int messageAt = indexOf(a1, n -> "message".equals(n.path("type").asText())
          && messageId.equals(n.path("id").asText()));
      assertThat(ackAt).isGreaterThanOrEqualTo(0).isLessThan(messageAt);

      // carol shares another thread: a message there, sent later, arrives after any earlier one
      a1.send(sendFrame("s2", barrier, "barrier", null));
      awaitMessages(c, barrier, 1, WAIT);
      assertThat(messagesOf(c, g)).isEmpty();
      for (WsClient ws : List.of(a1, a2, b1, b2)) {
        awaitMessages(ws, barrier, 1, WAIT);
        assertThat(messagesOf(ws, g)).hasSize(1);
      }
    }
  }

  @Test
  void restSendAnswers201AndIsDeliveredLive() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    String g = server.group(alice, "tea", bob);
    try (WsClient a = server.connect(alice.access()); WsClient b = server.connect(bob.access())) {
      Response r = server.post("/api/threads/" + g + "/messages", alice.access(),
          Chat.restBody("over rest", "c-1"));
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      JsonNode m = r.json();
      assertThat(m.get("thread").asText()).isEqualTo(g);
      assertThat(m.get("seq").asLong()).isEqualTo(1);
      assertThat(m.get("sender").asText()).isEqualTo(alice.id());
      assertThat(m.get("body").asText()).isEqualTo("over rest");
      assertThat(m.get("clientId").asText()).isEqualTo("c-1");
      assertThat(m.get("ts").asLong()).isPositive();
      assertThat(m.get("attachments").isArray()).isTrue();

      for (WsClient ws : List.of(a, b)) {
        awaitMessages(ws, g, 1, WAIT);
        assertThat(messagesOf(ws, g).get(0).get("id").asText()).isEqualTo(m.get("id").asText());
      }
    }
  }

  @Test
  void restResendWithSameClientIdAnswers200WithTheStoredMessageAndIsNotDeliveredAgain() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    String g = server.group(alice, "tea", bob);
    try (WsClient b = server.connect(bob.access())) {
      Response first = server.post("/api/threads/" + g + "/messages", alice.access(),
          Chat.restBody("once", "dup-1"));
      assertThat(first.status()).as(first.body()).isEqualTo(201);
      Response again = server.post("/api/threads/" + g + "/messages", alice.access(),
          Chat.restBody("once", "dup-1"));
      assertThat(again.status()).as(again.body()).isEqualTo(200);
      assertThat(again.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
      assertThat(again.json().get("seq").asLong()).isEqualTo(first.json().get("seq").asLong());

      // the same clientId from another sender is another message
      Response bobs = server.post("/api/threads/" + g + "/messages", bob.access(),
          Chat.restBody("mine", "dup-1"));
      assertThat(bobs.status()).as(bobs.body()).isEqualTo(201);
      assertThat(bobs.json().get("seq").asLong()).isEqualTo(2);

      awaitMessages(b, g, 2, WAIT);
      assertThat(Chat.seqsOf(b, g)).containsExactly(1L, 2L);
      assertThat(history(alice, g)).hasSize(2);
    }
  }

  @Test
  void webSocketResendWithSameClientIdRepeatsTheAckAndIsNotDeliveredAgain() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    String g = server.group(alice, "tea", bob);
    try (WsClient a = server.connect(alice.access()); WsClient b = server.connect(bob.access())) {
      a.send(sendFrame("s1", g, "only once", "cid-7"));
      JsonNode ack1 = a.awaitId("s1");
      a.send(sendFrame("s2", g, "only once", "cid-7"));
      JsonNode ack2 = a.awaitId("s2");
      assertThat(ack2.get("type").asText()).isEqualTo("ack");
      assertThat(ack2.get("seq").asLong()).isEqualTo(ack1.get("seq").asLong()).isEqualTo(1);
      assertThat(ack2.get("messageId").asText()).isEqualTo(ack1.get("messageId").asText());

      // without an id the answer carries none
      a.send(sendFrame(null, g, "next", "cid-8"));
      awaitMessages(b, g, 2, WAIT);
      awaitMessages(a, g, 2, WAIT);
      assertThat(Chat.seqsOf(b, g)).containsExactly(1L, 2L);
      assertThat(Chat.seqsOf(a, g)).containsExactly(1L, 2L);
      JsonNode lastAck = a.ofType("ack").get(2);
      assertThat(lastAck.has("id")).isFalse();
      assertThat(lastAck.get("seq").asLong()).isEqualTo(2);
      assertThat(history(alice, g)).extracting(n -> n.get("body").asText()).containsExactly("only once", "next");
    }
  }

  private static List<JsonNode> history(Account a, String thread) {
    Response r = server.get("/api/threads/" + thread + "/messages", a.access());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    java.util.ArrayList<JsonNode> out = new java.util.ArrayList<>();
    r.json().get("messages").forEach(out::add);
    return out;
  }
}
