package dev.parley.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.testing.EngineFixture;
import dev.parley.core.testing.TestClient;
import dev.parley.core.testing.TestUser;
import dev.parley.protocol.model.ChatThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code typing} and {@code read}: who hears of them and what the reader is told. */
class TypingAndReadTest {
  private EngineFixture f;
  private TestUser alice;
  private TestUser bob;
  private TestUser carol;
  private ChatThread t;
  private ChatThread withCarol;

  @BeforeEach
  void setUp() {
    f = EngineFixture.create(c -> c.rateLimit(0));
    alice = f.register("alice");
    bob = f.register("bob");
    carol = f.register("carol");
    t = f.group(alice, bob);
    withCarol = f.group(carol, alice);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void typingReachesOtherMembersOnlyNeverTheSendersOwnConnections() {
    TestClient a1 = f.connect(alice);
    TestClient a2 = f.connect(alice);
    TestClient b = f.connect(bob);
    TestClient c = f.connect(carol);

    a1.push(a1.frame("typing").put("thread", t.id()));

    JsonNode typing = b.connection().awaitFrame("typing");
    assertThat(typing.path("thread").asText()).isEqualTo(t.id());
    assertThat(typing.path("user").asText()).isEqualTo(alice.id());
    // barriers: events published after alice's typing reach each connection after it would have
    b.push(b.frame("typing").put("thread", t.id()));
    a1.sendAndAwait(withCarol.id(), "barrier");
    for (TestClient own : new TestClient[] {a1, a2}) {
      own.connection().awaitFrame("typing", m -> m.path("user").asText().equals(bob.id()));
      assertThat(own.connection().frames("typing"))
          .extracting(m -> m.path("user").asText()).containsExactly(bob.id());
    }
    c.connection().awaitFrame("message");
    assertThat(c.connection().frames("typing")).isEmpty();
  }

  @Test
  void typingInAThreadOfOthersIsForbidden() {
    TestClient c = f.connect(carol);

    c.push(c.frame("typing").put("id", "ty").put("thread", t.id()));

    assertThat(c.connection().awaitReply("ty").path("code").asText()).isEqualTo("forbidden");
  }

  @Test
  void readIsAckedWithTheStoredPositionAndOnlyMovesForward() {
    TestClient a = f.connect(alice);
    TestClient b1 = f.connect(bob);
    for (int i = 0; i < 3; i++) {
      a.sendAndAwait(t.id(), "m" + i);
    }

    b1.push(b1.frame("read").put("id", "r1").put("thread", t.id()).put("seq", 2));
    JsonNode ack = b1.connection().awaitReply("r1");
    assertThat(ack.path("type").asText()).isEqualTo("ack");
    assertThat(ack.path("thread").asText()).isEqualTo(t.id());
    assertThat(ack.path("seq").asLong()).isEqualTo(2);

    b1.push(b1.frame("read").put("id", "r2").put("thread", t.id()).put("seq", 1));
    assertThat(b1.connection().awaitReply("r2").path("seq").asLong()).isEqualTo(2);

    b1.push(b1.frame("read").put("id", "r3").put("thread", t.id()).put("seq", 3));
    assertThat(b1.connection().awaitReply("r3").path("seq").asLong()).isEqualTo(3);
    assertThat(f.store().readPositions(t.id())).containsEntry(bob.id(), 3L);
  }

  @Test
  void readReachesOtherMembersAndTheReadersOtherConnectionsButNotTheSendingOne() {
    TestClient a = f.connect(alice);
    TestClient b1 = f.connect(bob);
    TestClient b2 = f.connect(bob);
    TestClient c = f.connect(carol);
    a.sendAndAwait(t.id(), "m1");
    a.sendAndAwait(t.id(), "m2");

    b1.push(b1.frame("read").put("id", "r1").put("thread", t.id()).put("seq", 2));
    b1.connection().awaitReply("r1");

    for (TestClient other : new TestClient[] {a, b2}) {
      JsonNode read = other.connection().awaitFrame("read");
      assertThat(read.path("thread").asText()).isEqualTo(t.id());
      assertThat(read.path("user").asText()).isEqualTo(bob.id());
      assertThat(read.path("seq").asLong()).isEqualTo(2);
    }
    // the ack is the barrier: the engine publishes the read before it acks, and the in-memory
    // broker fans it out to this node's connections before publish returns
    assertThat(b1.connection().frames("read")).isEmpty();
    assertThat(c.connection().frames("read")).isEmpty();

    // a lower seq is ignored: nobody hears of it (r2's ack is the barrier again)
    b1.push(b1.frame("read").put("id", "r2").put("thread", t.id()).put("seq", 1));
    b1.connection().awaitReply("r2");
    assertThat(a.connection().frames("read")).hasSize(1);
    assertThat(b2.connection().frames("read")).hasSize(1);
  }

  @Test
  void readWithoutIdGetsNoAck() {
    TestClient a = f.connect(alice);
    TestClient b1 = f.connect(bob);
    TestClient b2 = f.connect(bob);
    a.sendAndAwait(t.id(), "m1");

    b1.push(b1.frame("read").put("thread", t.id()).put("seq", 1));
    b2.connection().awaitFrame("read");
    // barrier: a second message and a read of it with an id, from the same connection; its ack
    // comes after the first read's would have (the first was already published and delivered)
    a.sendAndAwait(t.id(), "m2");
    b1.push(b1.frame("read").put("id", "r2").put("thread", t.id()).put("seq", 2));
    JsonNode ack = b1.connection().awaitReply("r2");

    assertThat(b1.connection().frames("ack")).containsExactly(ack);
  }
}
