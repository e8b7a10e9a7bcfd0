package dev.parley.server.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.WsClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /api/users/{id}: online and "last seen", written as connections open and close, hidden by blocks. */
class LastSeenIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void lastSeenFollowsConnectionsAndStaysOnceTheUserLeaves() {
    Account a = server.register(TestServer.uniqueName("ls"));
    Account b = server.register(TestServer.uniqueName("ls"));
    JsonNode never = profile(a, b);
    assertThat(never.get("username").asText()).isEqualTo(b.username());
    assertThat(never.get("online").asBoolean()).isFalse();
    assertThat(never.get("lastSeen").isNull()).isTrue();

    long before = System.currentTimeMillis();
    WsClient ws = server.connect(b.access());
    JsonNode online = await().atMost(Duration.ofSeconds(10))
        .until(() -> profile(a, b), p -> p.get("online").asBoolean() && p.get("lastSeen").isNumber());
    assertThat(online.get("lastSeen").asLong()).isGreaterThanOrEqualTo(before);

    long leaving = System.currentTimeMillis();
    ws.close();
    JsonNode gone = await().atMost(Duration.ofSeconds(10))
        .until(() -> profile(a, b), p -> !p.get("online").asBoolean()
            && p.get("lastSeen").asLong() >= leaving);
    assertThat(gone.get("lastSeen").asLong()).isLessThanOrEqualTo(System.currentTimeMillis());
  }

  @Test
  void aBlockEitherWayHidesOnlineAndLastSeen() {
    Account a = server.register(TestServer.uniqueName("ls"));
    Account b = server.register(TestServer.uniqueName("ls"));
    try (WsClient ws = server.connect(b.access())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> profile(a, b),
          p -> p.get("online").asBoolean() && p.get("lastSeen").isNumber());
      assertThat(server.request("PUT", "/api/users/" + b.id() + "/block", a.access(), null).status())
          .isEqualTo(204);

      for (JsonNode p : new JsonNode[] {profile(a, b), profile(b, a)}) {
        assertThat(p.get("online").asBoolean()).isFalse();
        assertThat(p.get("lastSeen").isNull()).isTrue();
      }
      // one's own is never hidden (last seen is written within a second)
      JsonNode own = await().atMost(Duration.ofSeconds(10))
          .until(() -> profile(b, b), p -> p.get("lastSeen").isNumber());
      assertThat(own.get("online").asBoolean()).isTrue();
    }
  }

  @Test
  void anUnknownUserIsNotFound() {
    Account a = server.register(TestServer.uniqueName("ls"));
    assertThat(server.get("/api/users/nobody", a.access()).status()).isEqualTo(404);
    assertThat(server.get("/api/users/" + a.id(), null).status()).isEqualTo(401);
  }

  private static JsonNode profile(Account viewer, Account of) {
    TestServer.Response r = server.get("/api/users/" + of.id(), viewer.access());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }
}
