package dev.parley.server.cluster;

import static dev.parley.server.testing.HttpAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.ServerProcess;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A block made on one node holds on another (contract 7.4 across nodes): two server processes on
 * a shared PostgreSQL and Redis, the blocker on one, the blocked user on the other.
 */
class ClusterBlockingIT {
  @RegisterExtension
  static final ClusterNodes cluster = ClusterNodes.of(2);

  @Test
  void aBlockMadeOnOneNodeIsEnforcedOnTheOther() {
    ServerProcess a = cluster.node(0);
    ServerProcess b = cluster.node(1);
    TestServer.Account ann = a.register(Cluster.name("ann"));
    TestServer.Account ben = b.register(Cluster.name("ben"));
    TestServer.Account cat = a.register(Cluster.name("cat"));
    String direct = a.request("POST", "/api/threads", ann.access(),
        "{\"kind\":\"direct\",\"members\":[\"" + ben.id() + "\"]}").json().get("id").asText();
    String shared = Cluster.group(a, cat, ann, ben);

    try (WsClient annOnA = a.connect(ann.access()); WsClient benOnB = b.connect(ben.access())) {
      // before the block, ben on B sees ann on A online
      await().atMost(Duration.ofSeconds(10)).until(() -> "online".equals(Cluster.presence(benOnB, ann.id())));
      assertThat(a.request("PUT", "/api/users/" + ben.id() + "/block", ann.access(), null).status())
          .isEqualTo(204);

      // node B learns of the block through the broker: ben's sends into the direct thread fail
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        String id = "s" + System.nanoTime();
        benOnB.send("{\"type\":\"send\",\"id\":\"" + id + "\",\"thread\":\"" + direct
            + "\",\"body\":\"hi\"}");
        return "forbidden".equals(benOnB.awaitId(id).path("code").asText());
      });
      assertError(b.request("POST", "/api/threads", ben.access(),
          "{\"kind\":\"direct\",\"members\":[\"" + ann.id() + "\"]}"), 403, "forbidden");
      assertThat(Cluster.presence(benOnB, ann.id())).isEqualTo("offline");

      // typing from ann on A does not reach ben on B; a later message in the same thread does
      annOnA.send("{\"type\":\"typing\",\"thread\":\"" + shared + "\"}");
      annOnA.send("{\"type\":\"send\",\"id\":\"b1\",\"thread\":\"" + shared + "\",\"body\":\"barrier\"}");
      assertThat(annOnA.awaitId("b1").path("type").asText()).isEqualTo("ack");
      benOnB.await(n -> "barrier".equals(n.path("body").asText()));
      assertThat(benOnB.ofType("typing")).isEmpty();

      // the group they share works as before, both ways
      benOnB.send("{\"type\":\"send\",\"id\":\"g1\",\"thread\":\"" + shared + "\",\"body\":\"from ben\"}");
      assertThat(benOnB.awaitId("g1").path("type").asText()).isEqualTo("ack");
      annOnA.await(n -> "from ben".equals(n.path("body").asText()));

      // and an unblock on B frees ben's sends on B
      assertThat(b.request("DELETE", "/api/users/" + ben.id() + "/block", ann.access(), null).status())
          .isEqualTo(204);
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        String id = "u" + System.nanoTime();
        benOnB.send("{\"type\":\"send\",\"id\":\"" + id + "\",\"thread\":\"" + direct
            + "\",\"body\":\"thanks\"}");
        JsonNode answer = benOnB.awaitId(id);
        return "ack".equals(answer.path("type").asText());
      });
    }
  }

  @Test
  void aRenameOnOneNodeReachesMembersOnTheOther() {
    ServerProcess a = cluster.node(0);
    ServerProcess b = cluster.node(1);
    TestServer.Account owner = a.register(Cluster.name("owner"));
    TestServer.Account member = b.register(Cluster.name("member"));
    String group = Cluster.group(a, owner, member);
    try (WsClient onB = b.connect(member.access())) {
      assertThat(a.request("PUT", "/api/threads/" + group + "/admins/" + member.id(), owner.access(), null)
          .status()).isEqualTo(204);
      onB.await(n -> "thread".equals(n.path("type").asText())
          && n.path("thread").path("admins").size() == 1);
      assertThat(b.request("PATCH", "/api/threads/" + group, member.access(), "{\"title\":\"renamed\"}")
          .status()).isEqualTo(200);
      onB.await(n -> "thread".equals(n.path("type").asText())
          && "renamed".equals(n.path("thread").path("title").asText()));
    }
  }
}
