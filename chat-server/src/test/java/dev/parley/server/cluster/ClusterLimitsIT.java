package dev.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.ServerProcess;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two nodes sharing Redis (and PostgreSQL) hold a user to one send budget and count failed logins
 * together: the limits live in Redis, not in each node. The rate is one token per 100 s, so the
 * budget within the test is the burst, 10, whatever the machine's speed; per-node buckets would
 * let 20 through.
 */
class ClusterLimitsIT {
  private static final int BURST = 10;
  private static final int PER_NODE = 20;

  @RegisterExtension
  static final ClusterNodes cluster =
      ClusterNodes.of(2, "--rate-limit", "0.01", "--rate-burst", Integer.toString(BURST));

  @Test
  void aUserSendingFromTwoNodesGetsOneBudget() {
    ServerProcess a = cluster.node(0);
    ServerProcess b = cluster.node(1);
    TestServer.Account alice = a.register(Cluster.name("alice"));
    TestServer.Account bob = b.register(Cluster.name("bob"));
    String thread = Cluster.group(a, alice, bob);
    try (WsClient onA = a.connect(alice.access()); WsClient onB = b.connect(alice.access())) {
      for (int i = 0; i < PER_NODE; i++) { // as fast as the sockets take them, without waiting
        onA.send(send(thread, "a" + i));
        onB.send(send(thread, "b" + i));
      }
      List<JsonNode> answers = new ArrayList<>();
      answers.addAll(answers(onA, "a"));
      answers.addAll(answers(onB, "b"));
      long acked = answers.stream().filter(n -> n.get("type").asText().equals("ack")).count();
      assertThat(answers).filteredOn(n -> n.get("type").asText().equals("error"))
          .allSatisfy(n -> assertThat(n.get("code").asText()).isEqualTo("rate_limited"));
      // the burst, plus at most one token refilled (0.01/s) over the test
      assertThat(acked).as("acks of both nodes together").isBetween((long) BURST, (long) BURST + 1);
      assertThat(Cluster.history(a, alice.access(), thread)).hasSize((int) acked);

      TestServer.Response rest = b.request("POST", "/api/threads/" + thread + "/messages",
          alice.access(), "{\"body\":\"over REST\"}");
      if (acked == BURST) {
        assertThat(rest.status()).as(rest.body()).isEqualTo(429);
        assertThat(rest.errorCode()).isEqualTo("rate_limited");
      }
      // another user has a budget of their own
      TestServer.Response bobs = a.request("POST", "/api/threads/" + thread + "/messages",
          bob.access(), "{\"body\":\"from bob\"}");
      assertThat(bobs.status()).as(bobs.body()).isEqualTo(201);
    }
  }

  @Test
  void failedLoginsOnOneNodeCountOnTheOther() {
    ServerProcess a = cluster.node(0);
    ServerProcess b = cluster.node(1);
    TestServer.Account victim = a.register(Cluster.name("victim"));
    String wrong = "{\"username\":\"" + victim.username() + "\",\"password\":\"wrong-password\"}";
    for (int i = 0; i < 10; i++) { // the per-account bucket: 10 failures
      assertThat(a.request("POST", "/api/auth/login", null, wrong).status()).isEqualTo(401);
    }
    String right = "{\"username\":\"" + victim.username() + "\",\"password\":\"" + TestServer.PASSWORD + "\"}";
    TestServer.Response onB = b.request("POST", "/api/auth/login", null, right);
    assertThat(onB.status()).as(onB.body()).isEqualTo(429);
    assertThat(onB.errorCode()).isEqualTo("rate_limited");
  }

  private static String send(String thread, String id) {
    return "{\"type\":\"send\",\"id\":\"" + id + "\",\"thread\":\"" + thread + "\",\"body\":\"" + id + "\"}";
  }

  /** Waits for the answer (ack or error) to each of the {@value #PER_NODE} sends with ids prefix0... */
  private static List<JsonNode> answers(WsClient ws, String prefix) {
    List<JsonNode> out = new ArrayList<>();
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
      out.clear();
      for (JsonNode n : ws.received()) {
        String id = n.path("id").asText("");
        String type = n.path("type").asText();
        if (id.startsWith(prefix) && (type.equals("ack") || type.equals("error"))) {
          out.add(n);
        }
      }
      return out.size() >= PER_NODE;
    });
    assertThat(out).hasSize(PER_NODE);
    return out;
  }
}
