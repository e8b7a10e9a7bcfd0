package dev.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.ServerProcess;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The cluster when Redis restarts or a node is killed. */
class ClusterFailureIT {

  private static String send(String thread, String id, String body) {
    return "{\"type\":\"send\",\"id\":\"" + id + "\",\"thread\":\"" + thread + "\",\"body\":\"" + body
        + "\",\"clientId\":\"" + id + "\"}";
  }

  private static List<Long> seqsOf(WsClient ws, String thread) {
    List<Long> out = new ArrayList<>();
    for (JsonNode n : ws.ofType("message")) {
      if (thread.equals(n.path("thread").asText())) {
        out.add(n.get("seq").asLong());
      }
    }
    return out;
  }

  private static List<Long> upTo(long n) {
    return LongStream.rangeClosed(1, n).boxed().toList();
  }

  @Test
  void nodesDeliverLocallyWhileRedisIsDownAndCatchUpWhenItIsBack() {
    try (RedisProcess redis = RedisProcess.start(); Cluster cluster = Cluster.onRedis(redis.url())) {
      List<ServerProcess> nodes = cluster.start(2);
      ServerProcess a = nodes.get(0);
      ServerProcess b = nodes.get(1);
      TestServer.Account alice = a.register(Cluster.name("alice"));
      TestServer.Account bob = b.register(Cluster.name("bob"));
      String thread = Cluster.group(a, alice, bob);

      try (WsClient onA = a.connect(alice.access()); WsClient onB = b.connect(bob.access())) {
        onA.send(send(thread, "m1", "before the outage"));
        await().atMost(Duration.ofSeconds(10)).until(() -> seqsOf(onB, thread).equals(upTo(1)));

        redis.kill();
        await("both nodes report Redis down").atMost(Duration.ofSeconds(15))
            .until(() -> Cluster.health(a) == 503 && Cluster.health(b) == 503);
        assertThat(a.request("GET", "/healthz", null, null).json().get("status").asText())
            .isEqualTo("unavailable");

        onA.send(send(thread, "m2", "during the outage, from A"));
        assertThat(onA.awaitId("m2").get("seq").asLong()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> seqsOf(onA, thread).equals(upTo(2)));
        onB.send(send(thread, "m3", "during the outage, from B"));
        assertThat(onB.awaitId("m3").get("seq").asLong()).isEqualTo(3);
        // B's own message goes out at once; A's seq 2, lost with Redis, is filled from the store
        await().atMost(Duration.ofSeconds(10)).until(() -> seqsOf(onB, thread).equals(upTo(3)));

        redis.startAgain();
        await("both nodes healthy again").atMost(Duration.ofSeconds(30))
            .until(() -> Cluster.health(a) == 200 && Cluster.health(b) == 200);

        // what A's client missed (seq 3) comes with sync
        onA.send("{\"type\":\"sync\",\"id\":\"y1\",\"threads\":{\"" + thread + "\":2}}");
        onA.awaitId("y1");
        assertThat(seqsOf(onA, thread)).isEqualTo(upTo(3));

        // and live delivery across nodes works again
        onB.send(send(thread, "m4", "after the outage"));
        await().atMost(Duration.ofSeconds(10)).until(() -> seqsOf(onA, thread).equals(upTo(4)));
        await().atMost(Duration.ofSeconds(10)).until(() -> seqsOf(onB, thread).equals(upTo(4)));
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(e.getMessage() + "\nnode logs:\n" + cluster.logs(), e);
      }
    }
  }

  @Test
  void killingANodeLosesNoAckedMessageAndTheOthersCarryOn() throws Exception {
    try (Cluster cluster = Cluster.onSharedRedis()) {
      List<ServerProcess> nodes = cluster.start(3);
      ServerProcess a = nodes.get(0);
      ServerProcess b = nodes.get(1);
      ServerProcess c = nodes.get(2);
      TestServer.Account x = a.register(Cluster.name("x"));
      TestServer.Account y = b.register(Cluster.name("y"));
      TestServer.Account z = c.register(Cluster.name("z"));
      String thread = Cluster.group(a, x, y, z);

      try (WsClient onA = a.connect(x.access()); WsClient onB = b.connect(y.access());
           WsClient onC = c.connect(z.access())) {
        CompletableFuture<Void> fromB = CompletableFuture.runAsync(() -> {
          try {
            for (int i = 0; i < 1000; i++) {
              onB.send(send(thread, "b" + i, "from B " + i));
            }
          } catch (RuntimeException e) {
            // the node died under the sender
          }
        });
        for (int i = 0; i < 40; i++) {
          onA.send(send(thread, "a" + i, "from A " + i));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> onB.ofType("ack").size() >= 50);
        b.kill();
        fromB.get();
        Set<String> ackedOnB = new HashSet<>();
        onB.ofType("ack").forEach(n -> ackedOnB.add(n.get("messageId").asText()));

        for (int i = 40; i < 80; i++) {
          onA.send(send(thread, "a" + i, "from A " + i));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> onA.ofType("ack").size() == 80);

        List<JsonNode> history = Cluster.history(c, z.access(), thread);
        long last = history.get(history.size() - 1).get("seq").asLong();
        assertThat(history.stream().map(m -> m.get("seq").asLong()).toList())
            .as("no gap in the history").isEqualTo(upTo(last));
        Set<String> stored = new HashSet<>();
        history.forEach(m -> stored.add(m.get("id").asText()));
        assertThat(stored).as("every message acked on the killed node").containsAll(ackedOnB);
        onA.ofType("ack").forEach(n -> assertThat(stored).contains(n.get("messageId").asText()));

        // the survivors deliver everything in order, gaps the dead node left filled from the store
        await().atMost(Duration.ofSeconds(15)).until(() -> seqsOf(onC, thread).size() >= last);
        assertThat(seqsOf(onC, thread)).isEqualTo(upTo(last));
        await().atMost(Duration.ofSeconds(15)).until(() -> seqsOf(onA, thread).size() >= last);
        assertThat(seqsOf(onA, thread)).isEqualTo(upTo(last));
        assertThat(Cluster.health(a)).isEqualTo(200);
        assertThat(Cluster.health(c)).isEqualTo(200);

        onC.send(send(thread, "c1", "after the crash"));
        await().atMost(Duration.ofSeconds(10)).until(() -> seqsOf(onA, thread).size() == last + 1);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(e.getMessage() + "\nnode logs:\n" + cluster.logs(), e);
      }
    }
  }
}
