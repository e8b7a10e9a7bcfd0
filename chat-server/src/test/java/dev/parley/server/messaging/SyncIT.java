package dev.parley.server.messaging;

import static dev.parley.server.messaging.Chat.awaitMessages;
import static dev.parley.server.messaging.Chat.messagesOf;
import static dev.parley.server.messaging.Chat.sendFrame;
import static dev.parley.server.messaging.Chat.seqsOf;
import static dev.parley.server.messaging.Chat.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.WsClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code sync} after a reconnect gives exactly what was missed. */
class SyncIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  private static String syncFrame(String id, String thread, long seq) {
    return "{\"type\":\"sync\",\"id\":\"" + id + "\",\"threads\":{\"" + thread + "\":" + seq + "}}";
  }

  @Test
  void reconnectingClientSyncsExactlyTheMessagesItMissed() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    String g = server.group(alice, "tea", bob);
    long lastSeen;
    try (WsClient b = server.connect(bob.access())) {
      Chat.post(server, alice, g, "seen 1");
      Chat.post(server, alice, g, "seen 2");
      awaitMessages(b, g, 2, WAIT);
      lastSeen = seqsOf(b, g).get(1);
    }
    try (WsClient a = server.connect(alice.access())) {
      for (int i = 1; i <= 5; i++) {
        a.send(sendFrame("m" + i, g, "missed " + i, null));
        a.awaitId("m" + i);
      }
    }
    try (WsClient b = server.connect(bob.access())) {
      b.send(syncFrame("sy1", g, lastSeen));
      JsonNode synced = b.awaitId("sy1");
      assertThat(synced.get("type").asText()).isEqualTo("synced");
      List<JsonNode> got = messagesOf(b, g);
      assertThat(got).extracting(m -> m.get("seq").asLong()).containsExactly(3L, 4L, 5L, 6L, 7L);
      assertThat(got).extracting(m -> m.get("body").asText())
          .containsExactly("missed 1", "missed 2", "missed 3", "missed 4", "missed 5");
      // every message came before synced
      int syncedAt = Chat.indexOf(b, n -> "synced".equals(n.path("type").asText()));
      int lastMessageAt = Chat.indexOf(b, n -> n.path("seq").asLong() == 7 && "message".equals(n.path("type").asText()));
      assertThat(lastMessageAt).isLessThan(syncedAt);

      // live delivery goes on after the sync, without duplicates
      Chat.post(server, alice, g, "live");
      awaitMessages(b, g, 6, WAIT);
      assertThat(seqsOf(b, g)).containsExactly(3L, 4L, 5L, 6L, 7L, 8L);
    }
  }

  @Test
  void syncFromZeroGivesEverything() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    String g = server.group(alice, "tea", bob);
    for (int i = 1; i <= 4; i++) {
      Chat.post(server, alice, g, "m" + i);
    }
    try (WsClient b = server.connect(bob.access())) {
      b.send(syncFrame("all", g, 0));
      assertThat(b.awaitId("all").get("type").asText()).isEqualTo("synced");
      assertThat(seqsOf(b, g)).containsExactly(1L, 2L, 3L, 4L);

      b.send(syncFrame("none", g, 4));
      assertThat(b.awaitId("none").get("type").asText()).isEqualTo("synced");
      assertThat(seqsOf(b, g)).containsExactly(1L, 2L, 3L, 4L);
    }
  }

  @Test
  void syncOfAForeignThreadIsForbiddenAndSendsNothingElse() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    Account eve = user(server, "eve");
    String g = server.group(alice, "tea", bob);
    String mine = server.group(eve, "eve's");
    Chat.post(server, alice, g, "secret");
    Chat.post(server, eve, mine, "eve's own");
    try (WsClient e = server.connect(eve.access())) {
      e.send("{\"type\":\"sync\",\"id\":\"x\",\"threads\":{\"" + mine + "\":0,\"" + g + "\":0}}");
      JsonNode answer = e.awaitId("x");
      assertThat(answer.get("type").asText()).isEqualTo("error");
      assertThat(answer.get("code").asText()).isEqualTo("forbidden");

      // a ping answered afterwards proves nothing more came for the sync
      e.send("{\"type\":\"ping\",\"id\":\"p\"}");
      assertThat(e.awaitId("p").get("type").asText()).isEqualTo("pong");
      assertThat(e.ofType("message")).isEmpty();
      assertThat(e.ofType("synced")).isEmpty();

      e.send(syncFrame("u", "no-such-thread", 0));
      JsonNode unknown = e.awaitId("u");
      assertThat(unknown.get("type").asText()).isEqualTo("error");
      assertThat(unknown.get("code").asText()).isEqualTo("not_found");
    }
  }
}
