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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three server processes over one PostgreSQL schema and one Redis behave as one node: what a
 * client sends on one node reaches clients on the others, and concurrent senders on every node
 * produce one order that every connection sees.
 */
class ClusterMessagingIT {
  @RegisterExtension
  static final ClusterNodes cluster = ClusterNodes.of(3);

  private static String send(String thread, String id, String body) {
    return "{\"type\":\"send\",\"id\":\"" + id + "\",\"thread\":\"" + thread + "\",\"body\":\"" + body
        + "\",\"clientId\":\"" + id + "\"}";
  }

  private static List<JsonNode> messagesOf(WsClient ws, String thread) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : ws.ofType("message")) {
      if (thread.equals(n.path("thread").asText())) {
        out.add(n);
      }
    }
    return out;
  }

  private static List<Long> seqs(List<JsonNode> messages) {
    return messages.stream().map(m -> m.get("seq").asLong()).toList();
  }

  @Test
  void aClientOnOneNodeReceivesWhatAClientOnAnotherSends() {
    ServerProcess a = cluster.node(0);
    ServerProcess b = cluster.node(1);
    TestServer.Account alice = a.register(Cluster.name("alice"));
    TestServer.Account bob = b.register(Cluster.name("bob"));
    String thread = Cluster.group(a, alice, bob);

    try (WsClient onA = a.connect(alice.access()); WsClient onB = b.connect(bob.access())) {
      onA.send(send(thread, "s1", "hello from A"));
      JsonNode ack = onA.awaitId("s1");
      assertThat(ack.get("type").asText()).isEqualTo("ack");
      assertThat(ack.get("seq").asLong()).isEqualTo(1);

      JsonNode got = onB.await(n -> "message".equals(n.path("type").asText()));
      assertThat(got.get("body").asText()).isEqualTo("hello from A");
      assertThat(got.get("seq").asLong()).isEqualTo(1);
      assertThat(got.get("sender").asText()).isEqualTo(alice.id());
      assertThat(got.get("id").asText()).isEqualTo(ack.get("messageId").asText());

      onB.send(send(thread, "s2", "hello from B"));
      assertThat(onB.awaitId("s2").get("seq").asLong()).isEqualTo(2);
      JsonNode reply = onA.await(n -> "message".equals(n.path("type").asText())
          && n.path("seq").asLong() == 2);
      assertThat(reply.get("body").asText()).isEqualTo("hello from B");
    }
  }

  @Test
  void concurrentSendersOnEveryNodeProduceOneOrderThatEveryConnectionSees() throws Exception {
    int perSender = 100;
    List<TestServer.Account> users = new ArrayList<>();
    for (ServerProcess node : cluster.nodes()) {
      users.add(node.register(Cluster.name("u")));
    }
    String thread = Cluster.group(cluster.node(0), users.get(0), users.get(1), users.get(2));
    List<WsClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < cluster.nodes().size(); i++) {
        for (int c = 0; c < 2; c++) {
          clients.add(cluster.node(i).connect(users.get(i).access()));
        }
      }
      int total = clients.size() * perSender;

      List<CompletableFuture<Void>> senders = new ArrayList<>();
      for (int s = 0; s < clients.size(); s++) {
        WsClient ws = clients.get(s);
        int sender = s;
        senders.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; i < perSender; i++) {
            String id = "n" + sender + "-" + i;
            ws.send(send(thread, id, id));
          }
        }));
      }
      CompletableFuture.allOf(senders.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
      await("every send acked").atMost(Duration.ofSeconds(60)).until(() ->
          clients.stream().mapToInt(ws -> ws.ofType("ack").size()).sum() == total);
      await("every connection received every message").atMost(Duration.ofSeconds(60))
          .until(() -> clients.stream().allMatch(ws -> messagesOf(ws, thread).size() >= total));

      List<Long> expected = LongStream.rangeClosed(1, total).boxed().toList();
      List<JsonNode> history = Cluster.history(cluster.node(2), users.get(2).access(), thread);
      assertThat(seqs(history)).isEqualTo(expected);
      List<String> historyIds = history.stream().map(m -> m.get("id").asText()).toList();
      for (WsClient ws : clients) {
        List<JsonNode> got = messagesOf(ws, thread);
        assertThat(seqs(got)).as("seqs one connection received").isEqualTo(expected);
        assertThat(got.stream().map(m -> m.get("id").asText()).toList()).isEqualTo(historyIds);
      }
      List<Long> acked = new ArrayList<>();
      clients.forEach(ws -> ws.ofType("ack").forEach(n -> acked.add(n.get("seq").asLong())));
      assertThat(acked).containsExactlyInAnyOrderElementsOf(expected);
    } finally {
      clients.forEach(WsClient::close);
    }
  }

  @Test
  void measuresCrossNodeDeliveryLatency() throws Exception {
    int count = 2000;
    ServerProcess a = cluster.node(0);
    ServerProcess b = cluster.node(1);
    TestServer.Account sender = a.register(Cluster.name("lat_s"));
    TestServer.Account receiver = b.register(Cluster.name("lat_r"));
    TestServer.Account neighbour = a.register(Cluster.name("lat_n"));
    String thread = Cluster.group(a, sender, receiver, neighbour);
    ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
    try (WsClient out = a.connect(sender.access());
         LatencyProbe in = new LatencyProbe(b.wsUri("/ws"), receiver.access());
         LatencyProbe local = new LatencyProbe(a.wsUri("/ws"), neighbour.access())) {
      // warm-up: the receiving node has subscribed once a message crosses
      out.send(send(thread, "warm", "warm-up"));
      await().atMost(Duration.ofSeconds(10)).until(() -> in.count() == 1 && local.count() == 1);

      AtomicInteger sent = new AtomicInteger();
      ScheduledFuture<?> task = pace.scheduleAtFixedRate(() -> {
        int i = sent.getAndIncrement();
        if (i < count) {
          out.socket().sendText("{\"type\":\"send\",\"thread\":\"" + thread + "\",\"body\":\"t="
              + System.nanoTime() + "\"}", true).join();
        }
      }, 0, 2, TimeUnit.MILLISECONDS); // 500 messages a second
      await().atMost(Duration.ofSeconds(60))
          .until(() -> in.count() == count + 1 && local.count() == count + 1);
      task.cancel(false);

      assertThat(in.seqs()).isEqualTo(LongStream.rangeClosed(1, count + 1).boxed().toList());
      System.out.printf("send->receive latency over %d messages at 500/s (commit included):%n"
              + "  other node: p50 %d us, p99 %d us, max %d us%n"
              + "  same node:  p50 %d us, p99 %d us, max %d us%n", count,
          in.percentileMicros(50), in.percentileMicros(99), in.percentileMicros(100),
          local.percentileMicros(50), local.percentileMicros(99), local.percentileMicros(100));
    } finally {
      pace.shutdownNow();
    }
  }
}
