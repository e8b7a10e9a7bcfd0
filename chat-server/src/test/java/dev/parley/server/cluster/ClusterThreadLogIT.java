package dev.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.ServerProcess;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The thread log across two nodes (shared PostgreSQL, Redis broker): edits and reactions made
 * concurrently on both nodes get one gap-free seq order shared with messages, and every
 * connection on either node receives every entry in that order (contract 7.2 and section 4).
 */
class ClusterThreadLogIT {
  private static final List<String> LOG_TYPES = List.of("message", "edited", "deleted", "reaction");
  @RegisterExtension
  static final ClusterNodes cluster = ClusterNodes.of(2);

  private static List<JsonNode> entries(WsClient ws, String thread) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : ws.received()) {
      if (LOG_TYPES.contains(n.path("type").asText()) && thread.equals(n.path("thread").asText())) {
        out.add(n);
      }
    }
    return out;
  }

  @Test
  void changesOnBothNodesCrossInOneSeqOrder() throws Exception {
    int perSender = 60;
    ServerProcess a = cluster.node(0);
    ServerProcess b = cluster.node(1);
    TestServer.Account alice = a.register(Cluster.name("alice"));
    TestServer.Account bob = b.register(Cluster.name("bob"));
    String thread = Cluster.group(a, alice, bob);
    try (WsClient onA = a.connect(alice.access()); WsClient onB = b.connect(bob.access());
         WsClient watcherB = b.connect(alice.access())) {
      onA.send("{\"type\":\"send\",\"id\":\"a0\",\"thread\":\"" + thread + "\",\"body\":\"alice's\"}");
      assertThat(onA.awaitId("a0").get("seq").asLong()).isEqualTo(1);
      onB.send("{\"type\":\"send\",\"id\":\"b0\",\"thread\":\"" + thread + "\",\"body\":\"bob's\"}");
      assertThat(onB.awaitId("b0").get("seq").asLong()).isEqualTo(2);

      // alice toggles a reaction on bob's message from node A while bob edits his own from
      // node B: every frame changes something, so every one is an entry
      CompletableFuture<Void> fromA = CompletableFuture.runAsync(() -> {
        for (int i = 1; i <= perSender; i++) {
          onA.send("{\"type\":\"react\",\"id\":\"a" + i + "\",\"thread\":\"" + thread
              + "\",\"target\":2,\"emoji\":\"👍\",\"on\":" + (i % 2 == 1) + "}");
        }
      });
      CompletableFuture<Void> fromB = CompletableFuture.runAsync(() -> {
        for (int i = 1; i <= perSender; i++) {
          onB.send("{\"type\":\"edit\",\"id\":\"b" + i + "\",\"thread\":\"" + thread
              + "\",\"target\":2,\"body\":\"bob's v" + i + "\"}");
        }
      });
      CompletableFuture.allOf(fromA, fromB).get(30, TimeUnit.SECONDS);
      long total = 2 + 2L * perSender;
      await("every change acked").atMost(Duration.ofSeconds(60)).until(() ->
          onA.ofType("ack").size() == perSender + 1 && onB.ofType("ack").size() == perSender + 1);
      List<Long> acked = new ArrayList<>();
      for (WsClient ws : List.of(onA, onB)) {
        for (JsonNode ack : ws.ofType("ack")) {
          assertThat(ack.has("changed")).as("every toggle changed something").isFalse();
          acked.add(ack.get("seq").asLong());
        }
      }
      List<Long> expected = LongStream.rangeClosed(1, total).boxed().toList();
      assertThat(acked).containsExactlyInAnyOrderElementsOf(expected);

      List<WsClient> all = List.of(onA, onB, watcherB);
      await("every connection received every entry").atMost(Duration.ofSeconds(60))
          .until(() -> all.stream().allMatch(ws -> entries(ws, thread).size() >= total));
      List<String> order = null;
      for (WsClient ws : all) {
        List<JsonNode> got = entries(ws, thread);
        assertThat(got).extracting(n -> n.get("seq").asLong()).as("seq order").isEqualTo(expected);
        List<String> kinds = got.stream().map(n -> n.get("type").asText() + ":" + n.path("user").asText()
            + n.path("sender").asText()).toList();
        if (order == null) {
          order = kinds;
        }
        assertThat(kinds).as("the same log on every connection").isEqualTo(order);
      }
      // a's toggles arrive in the order they were sent: on, off, on, ...
      List<Boolean> toggles = entries(onB, thread).stream()
          .filter(n -> "reaction".equals(n.get("type").asText())).map(n -> n.get("on").asBoolean()).toList();
      for (int i = 0; i < toggles.size(); i++) {
        assertThat(toggles.get(i)).isEqualTo(i % 2 == 0);
      }
      List<JsonNode> history = Cluster.history(b, bob.access(), thread);
      assertThat(history).extracting(m -> m.get("seq").asLong()).containsExactly(1L, 2L);
      assertThat(history.get(1).get("body").asText()).isEqualTo("bob's v" + perSender);
      assertThat(history.get(1).has("reactions")).as("an even number of toggles").isFalse();
    }
  }
}
