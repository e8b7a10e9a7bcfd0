package dev.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.ServerProcess;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A user online on any node is online everywhere; offline once their last connection anywhere is gone. */
class ClusterPresenceIT {
  @RegisterExtension
  static final ClusterNodes cluster = ClusterNodes.of(2);

  private static JsonNode presenceEvent(WsClient ws, String userId, String status) {
    return ws.await(n -> "presence".equals(n.path("type").asText())
        && userId.equals(n.path("user").asText()) && status.equals(n.path("status").asText()));
  }

  @Test
  void aUserConnectingOnOneNodeIsOnlineForAMemberOnAnother() {
    ServerProcess a = cluster.node(0);
    ServerProcess b = cluster.node(1);
    TestServer.Account alice = a.register(Cluster.name("alice"));
    TestServer.Account bob = b.register(Cluster.name("bob"));
    Cluster.group(a, alice, bob);

    try (WsClient onA = a.connect(alice.access())) {
      assertThat(Cluster.presence(onA, bob.id())).isEqualTo("offline");

      WsClient onB = b.connect(bob.access());
      presenceEvent(onA, bob.id(), "online");
      assertThat(Cluster.presence(onA, bob.id())).isEqualTo("online");
      assertThat(cluster.keys()).contains(cluster.prefix() + "presence:u:" + bob.id());

      onB.close();
      presenceEvent(onA, bob.id(), "offline"); // after the presence grace
      assertThat(Cluster.presence(onA, bob.id())).isEqualTo("offline");
    }
  }

  @Test
  void aUserStaysOnlineUntilTheirLastConnectionOnAnyNodeCloses() {
    ServerProcess a = cluster.node(0);
    ServerProcess b = cluster.node(1);
    TestServer.Account carol = a.register(Cluster.name("carol"));
    TestServer.Account dave = a.register(Cluster.name("dave"));
    Cluster.group(a, carol, dave);

    try (WsClient watcher = b.connect(carol.access())) {
      WsClient daveOnA = a.connect(dave.access());
      presenceEvent(watcher, dave.id(), "online");
      WsClient daveOnB = b.connect(dave.access());
      assertThat(Cluster.presence(watcher, dave.id())).isEqualTo("online");

      daveOnA.close(); // still connected on B
      // the grace (2 s) and a margin pass without an offline event, and queries agree
      await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
          .until(() -> watcher.ofType("presence").stream().noneMatch(n ->
              dave.id().equals(n.path("user").asText()) && "offline".equals(n.path("status").asText())));
      assertThat(Cluster.presence(watcher, dave.id())).isEqualTo("online");

      daveOnB.close();
      presenceEvent(watcher, dave.id(), "offline");
      assertThat(Cluster.presence(watcher, dave.id())).isEqualTo("offline");
    }
  }

  @Test
  void presenceQueriesAnswerForUsersOnEveryNode() {
    ServerProcess a = cluster.node(0);
    ServerProcess b = cluster.node(1);
    TestServer.Account erin = a.register(Cluster.name("erin"));
    TestServer.Account frank = b.register(Cluster.name("frank")); // shares no thread with erin

    try (WsClient onA = a.connect(erin.access()); WsClient onB = b.connect(frank.access())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> "online".equals(Cluster.presence(onA, frank.id())));
      assertThat(Cluster.presence(onB, erin.id())).isEqualTo("online");
      assertThat(Cluster.presence(onA, "no-such-user")).isEqualTo("offline");
    }
  }

  @Test
  void aNodeThatStopsCleanlyTakesItsUsersOfflineAtOnce() {
    ServerProcess a = cluster.node(0);
    ServerProcess leaving = cluster.start(1).get(0); // a node of this test's own
    TestServer.Account gina = a.register(Cluster.name("gina"));
    TestServer.Account hank = a.register(Cluster.name("hank"));
    Cluster.group(a, gina, hank);

    try (WsClient watcher = a.connect(gina.access());
         WsClient hankOnLeaving = leaving.connect(hank.access())) {
      presenceEvent(watcher, hank.id(), "online");

      leaving.terminate(); // SIGTERM: a clean stop
      assertThat(leaving.awaitExit(Duration.ofSeconds(30))).isZero();
      // said by the stopping node itself, before it exits; not left to the other node's next
      // refresh (every 5 s with the default TTL)
      await().atMost(Duration.ofMillis(500)).until(() -> watcher.ofType("presence").stream()
          .anyMatch(n -> hank.id().equals(n.path("user").asText())
              && "offline".equals(n.path("status").asText())));
      assertThat(Cluster.presence(watcher, hank.id())).isEqualTo("offline");
    }
  }
}
