package dev.parley.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
    f.group(alice, bob);
    TestClient b = f.connect(bob);
    TestClient c = f.connect(carol);

    TestClient a1 = f.connect(alice);
    JsonNode online = b.connection().awaitFrame("presence");
    assertThat(online.path("user").asText()).isEqualTo(alice.id());
    assertThat(online.path("status").asText()).isEqualTo("online");

    TestClient a2 = f.connect(alice);
    a1.disconnect();
    b.connection().assertFrameCountStays("presence", 1); // no offline while a2 is open

    a2.disconnect();
    JsonNode offline = b.connection().awaitFrame("presence", p -> "offline".equals(p.path("status").asText()));
    assertThat(offline.path("user").asText()).isEqualTo(alice.id());

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
    f.group(alice, bob);
    TestClient b = f.connect(bob);
    TestClient a = f.connect(alice);
    b.connection().awaitFrame("presence");

    a.disconnect();
    f.connect(alice);

    await("no presence change within and after the grace")
        .during(grace.multipliedBy(2)).atMost(grace.multipliedBy(2).plusSeconds(5))
        .until(() -> b.connection().frames("presence").size() == 1);
    b.push("{\"type\":\"presence\",\"id\":\"q\",\"users\":[\"" + alice.id() + "\"]}");
    assertThat(b.connection().awaitReply("q").path("users").path(alice.id()).asText())
        .isEqualTo("online");
  }
}
