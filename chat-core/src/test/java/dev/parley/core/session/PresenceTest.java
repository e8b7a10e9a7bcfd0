package dev.parley.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.testing.EngineFixture;
import dev.parley.core.testing.TestClient;
import dev.parley.core.testing.TestUser;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Presence queries and the online/offline events of users who share a thread. */
class PresenceTest {
  private EngineFixture f;

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void answersAQueryWithOnlineAndOfflineAndUnknownIdsOffline() {
    f = EngineFixture.create(c -> c.presenceGrace(Duration.ZERO));
    TestUser alice = f.register("alice");
    TestUser bob = f.register("bob");
    TestUser carol = f.register("carol");
    f.connect(alice);
    TestClient b = f.connect(bob);

    b.push("{\"type\":\"presence\",\"id\":\"q\",\"users\":[\"" + alice.id() + "\",\"" + carol.id()
        + "\",\"no-such-user\",\"" + bob.id() + "\"]}");

    JsonNode answer = b.connection().awaitReply("q");
    assertThat(answer.path("type").asText()).isEqualTo("presence");
    assertThat(answer.path("users").path(alice.id()).asText()).isEqualTo("online");
    assertThat(answer.path("users").path(bob.id()).asText()).isEqualTo("online");
    assertThat(answer.path("users").path(carol.id()).asText()).isEqualTo("offline");
    assertThat(answer.path("users").path("no-such-user").asText()).isEqualTo("offline");
  }

  @Test
  void tellsUsersWhoShareAThreadOfFirstOpenAndLastCloseButNotTheUserItself() {
    f = EngineFixture.create(c -> c.presenceGrace(Duration.ofMillis(100)));
    TestUser alice = f.register("alice");
    TestUser bob = f.register("bob");
    TestUser carol = f.register("carol");
    TestUser dave = f.register("dave");
    f.group(alice, bob);
    f.group(bob, dave);
    TestClient b = f.connect(bob);
    TestClient c = f.connect(carol);
    TestClient d = f.connect(dave);
    b.connection().awaitFrame("presence", p -> p.path("user").asText().equals(dave.id()));

    TestClient a1 = f.connect(alice);
    JsonNode online = b.connection().awaitFrame("presence", p -> p.path("user").asText().equals(alice.id()));
    assertThat(online.path("status").asText()).isEqualTo("online");

    TestClient a2 = f.connect(alice);
    a1.disconnect();
    // barrier: dave leaves after a1 closed; his offline comes from the same grace timer, scheduled
    // later, so an offline of alice (wrong while a2 is open) would have reached bob before it
    d.disconnect();
    b.connection().awaitFrame("presence", p -> p.path("user").asText().equals(dave.id())
        && "offline".equals(p.path("status").asText()));
    assertThat(statusesOf(b, alice)).containsExactly("online");

    a2.disconnect();
    b.connection().awaitFrame("presence", p -> p.path("user").asText().equals(alice.id())
        && "offline".equals(p.path("status").asText()));
    assertThat(statusesOf(b, alice)).containsExactly("online", "offline");

    assertThat(a1.connection().frames("presence")).isEmpty();
    assertThat(a2.connection().frames("presence")).isEmpty();
    assertThat(c.connection().frames("presence")).isEmpty();
  }

  @Test
  void aQuickReconnectWithinTheGraceDoesNotFlap() {
    Duration grace = Duration.ofMillis(500);
    f = EngineFixture.create(c -> c.presenceGrace(grace));
    TestUser alice = f.register("alice");
    TestUser bob = f.register("bob");
    TestUser carol = f.register("carol");
    f.group(alice, bob, carol);
    TestClient b = f.connect(bob);
    TestClient c = f.connect(carol);
    TestClient a = f.connect(alice);
    b.connection().awaitFrame("presence", p -> p.path("user").asText().equals(alice.id()));

    a.disconnect();
    f.connect(alice);
    // barrier: carol leaves for good after alice's blip; her offline comes from the same grace
    // timer, scheduled later, so an offline of alice would have reached bob before it
    c.disconnect();
    b.connection().awaitFrame("presence", p -> p.path("user").asText().equals(carol.id())
        && p.path("status").asText().equals("offline"));

    assertThat(statusesOf(b, alice)).containsExactly("online");
    b.push("{\"type\":\"presence\",\"id\":\"q\",\"users\":[\"" + alice.id() + "\"]}");
    assertThat(b.connection().awaitReply("q").path("users").path(alice.id()).asText())
        .isEqualTo("online");
  }

  /** The presence statuses of {@code user} that {@code client} received, in order. */
  private static java.util.List<String> statusesOf(TestClient client, TestUser user) {
    return client.connection().frames("presence").stream()
        .filter(p -> p.path("user").asText().equals(user.id()))
        .map(p -> p.path("status").asText())
        .toList();
  }
}
