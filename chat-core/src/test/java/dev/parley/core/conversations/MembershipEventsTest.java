package dev.parley.core.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.testing.EngineFixture;
import dev.parley.core.testing.TestClient;
import dev.parley.core.testing.TestUser;
import dev.parley.protocol.model.ChatThread;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Membership changes reach the open connections at once: {@code thread} and {@code removed}. */
class MembershipEventsTest {
  private EngineFixture f;
  private TestUser alice;
  private TestUser bob;
  private TestUser carol;

  @BeforeEach
  void setUp() {
    f = EngineFixture.create(c -> c.rateLimit(0));
    alice = f.register("alice");
    bob = f.register("bob");
    carol = f.register("carol");
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void aNewGroupReachesEveryMembersConnectionsWhichGetItsMessagesAtOnce() {
    TestClient a = f.connect(alice);
    TestClient b1 = f.connect(bob);
    TestClient b2 = f.connect(bob);
    TestClient c = f.connect(carol);

    ChatThread g = f.engine().conversations().createGroup(alice.id(), "new", List.of(bob.id()));

    for (TestClient member : List.of(a, b1, b2)) {
      JsonNode event = member.connection().awaitFrame("thread");
      assertThat(event.path("thread").path("id").asText()).isEqualTo(g.id());
      assertThat(event.path("thread").path("kind").asText()).isEqualTo("group");
      assertThat(event.path("thread").path("members")).hasSize(2);
    }
    JsonNode ack = b1.sendAndAwait(g.id(), "first");
    assertThat(ack.path("type").asText()).isEqualTo("ack");
    for (TestClient member : List.of(a, b1, b2)) {
      assertThat(member.connection().awaitSeqs(g.id(), 1)).containsExactly(1L);
    }
    // barrier: a group that carol is in, created after; its event reaches her after g's would have
    ChatThread barrier = f.engine().conversations().createGroup(alice.id(), "barrier", List.of(carol.id()));
    c.connection().awaitFrame("thread", e -> e.path("thread").path("id").asText().equals(barrier.id()));
    assertThat(c.connection().frames("thread")).extracting(e -> e.path("thread").path("id").asText())
        .containsExactly(barrier.id());
    assertThat(c.connection().frames("message")).isEmpty();
  }

  @Test
  void aNewDirectThreadReachesBothUsers() {
    TestClient a = f.connect(alice);
    TestClient b = f.connect(bob);

    ChatThread d = f.direct(alice, bob);

    assertThat(a.connection().awaitFrame("thread").path("thread").path("id").asText()).isEqualTo(d.id());
    assertThat(b.connection().awaitFrame("thread").path("thread").path("kind").asText())
        .isEqualTo("direct");
    f.direct(bob, alice);
    a.connection().assertFrameCountStays("thread", 1);
  }

  @Test
  void anAddedMemberGetsTheThreadEventAndThenItsMessages() {
    ChatThread g = f.group(alice, bob);
    TestClient a = f.connect(alice);
    TestClient c = f.connect(carol);

    f.engine().conversations().addMember(alice.id(), g.id(), carol.id());

    JsonNode event = c.connection().awaitFrame("thread");
    assertThat(event.path("thread").path("id").asText()).isEqualTo(g.id());
    assertThat(event.path("thread").path("members")).hasSize(3);
    a.sendAndAwait(g.id(), "welcome");
    assertThat(c.connection().awaitSeqs(g.id(), 1)).containsExactly(1L);
  }

  @Test
  void removalSendsRemovedAndStopsDelivery() {
    ChatThread g = f.group(alice, bob);
    TestClient a = f.connect(alice);
    TestClient b = f.connect(bob);
    a.sendAndAwait(g.id(), "before");
    b.connection().awaitSeqs(g.id(), 1);

    f.engine().conversations().removeMember(alice.id(), g.id(), bob.id());

    JsonNode removed = b.connection().awaitFrame("removed");
    assertThat(removed.path("thread").asText()).isEqualTo(g.id());
    a.sendAndAwait(g.id(), "after");
    a.connection().awaitSeqs(g.id(), 2);
    b.connection().assertFrameCountStays("message", 1);
    assertThat(b.sendAndAwait(g.id(), "still here?").path("code").asText()).isEqualTo("forbidden");
  }
}
