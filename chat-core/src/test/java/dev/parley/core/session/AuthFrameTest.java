package dev.parley.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.testing.EngineFixture;
import dev.parley.core.testing.TestClient;
import dev.parley.core.testing.TestUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-band {@code auth} frame that keeps a connection alive past its first token. */
class AuthFrameTest {
  private EngineFixture f;
  private TestUser alice;
  private TestUser bob;
  private TestClient a;
  private long oldExpiry;

  @BeforeEach
  void setUp() {
    f = EngineFixture.create();
    alice = f.register("alice");
    bob = f.register("bob");
    oldExpiry = System.currentTimeMillis() + 10_000;
    a = f.connect(alice, oldExpiry);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void aFreshTokenOfTheSameUserIsAckedWithItsExpiry() {
    String token = f.tokens().issue(alice.id(), "session-1").access();
    long expected = f.tokens().verifyAccess(token).expiresAtMillis();

    a.push(a.frame("auth").put("id", "au").put("token", token));

    JsonNode ack = a.connection().awaitReply("au");
    assertThat(ack.path("type").asText()).isEqualTo("ack");
    assertThat(ack.path("expiresAt").asLong()).isEqualTo(expected).isGreaterThan(oldExpiry);
    assertThat(a.session().expiresAtMillis()).isEqualTo(expected);
  }

  @Test
  void anotherUsersTokenIsUnauthorizedAndTheOldExpiryStays() {
    a.push(a.frame("auth").put("id", "au").put("token", bob.tokens().access()));

    JsonNode error = a.connection().awaitReply("au");
    assertThat(error.path("type").asText()).isEqualTo("error");
    assertThat(error.path("code").asText()).isEqualTo("unauthorized");
    assertThat(a.session().expiresAtMillis()).isEqualTo(oldExpiry);
    assertThat(a.connection().isClosed()).isFalse();
  }

  @Test
  void aRefreshTokenIsUnauthorizedAndTheOldExpiryStays() {
    a.push(a.frame("auth").put("id", "au").put("token", alice.tokens().refresh()));

    JsonNode error = a.connection().awaitReply("au");
    assertThat(error.path("code").asText()).isEqualTo("unauthorized");
    assertThat(a.session().expiresAtMillis()).isEqualTo(oldExpiry);
  }

  @Test
  void garbageIsUnauthorized() {
    a.push(a.frame("auth").put("id", "au").put("token", "not.a.jwt"));

    assertThat(a.connection().awaitReply("au").path("code").asText()).isEqualTo("unauthorized");
    assertThat(a.session().expiresAtMillis()).isEqualTo(oldExpiry);
  }
}
