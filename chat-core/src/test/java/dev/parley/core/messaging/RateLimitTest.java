package dev.parley.core.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.testing.EngineFixture;
import dev.parley.core.testing.TestClient;
import dev.parley.core.testing.TestUser;
import dev.parley.protocol.model.ChatThread;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-user send limit, as a WebSocket client meets it. */
class RateLimitTest {
  private EngineFixture f;

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void theSendOverTheBurstIsRateLimitedAndNotStored() {
    f = EngineFixture.create(c -> c.rateLimit(5).rateBurst(5));
    TestUser alice = f.register("alice");
    TestUser bob = f.register("bob");
    ChatThread t = f.group(alice, bob);
    TestClient a = f.connect(alice);
    TestClient b = f.connect(bob);

    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      ids.add(a.send(t.id(), "m" + i));
    }

    for (int i = 0; i < 5; i++) {
      assertThat(a.connection().awaitReply(ids.get(i)).path("type").asText()).isEqualTo("ack");
    }
    JsonNode sixth = a.connection().awaitReply(ids.get(5));
    assertThat(sixth.path("type").asText()).isEqualTo("error");
    assertThat(sixth.path("code").asText()).isEqualTo("rate_limited");
    assertThat(f.store().messagesAfter(t.id(), 0, 10)).hasSize(5);
    b.connection().awaitSeqs(t.id(), 5);
    b.connection().assertFrameCountStays("message", 5);
    // another user has a bucket of its own
    assertThat(b.sendAndAwait(t.id(), "mine").path("type").asText()).isEqualTo("ack");
  }

  @Test
  void rateZeroMeansUnlimited() {
    f = EngineFixture.create(c -> c.rateLimit(0).rateBurst(1));
    TestUser alice = f.register("alice");
    ChatThread t = f.group(alice);
    TestClient a = f.connect(alice);

    for (int i = 0; i < 300; i++) {
      a.send(t.id(), "m" + i);
    }

    assertThat(a.connection().awaitFrames("ack", 300)).hasSize(300);
    assertThat(a.connection().frames("error")).isEmpty();
  }
}
