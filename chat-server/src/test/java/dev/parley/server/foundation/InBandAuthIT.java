package dev.parley.server.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.Jwts;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A connection outlives its token only through an in-band {@code auth} frame (contract 3 and 6):
 * the server runs with 2-second access tokens and a 1-second grace.
 */
class InBandAuthIT {
  private static final long GRACE_MILLIS = 1_000;
  @RegisterExtension
  static final TestServer server = TestServer.perClass(b -> b.tokenTtl(Duration.ofSeconds(2)).tokenGrace(Duration.ofMillis(GRACE_MILLIS)));
  private static TestServer.Account alice;
  private static TestServer.Account bob;

  @BeforeAll
  static void start() {
    alice = server.register(TestServer.uniqueName("alice"));
    bob = server.register(TestServer.uniqueName("bob"));
  }

  private static long expMillis(String token) {
    return Jwts.payload(token).get("exp").asLong() * 1000;
  }

  private static String login(TestServer.Account a) {
    TestServer.Response r = server.post("/api/auth/login", null,
        "{\"username\":\"" + a.username() + "\",\"password\":\"" + TestServer.PASSWORD + "\"}");
    assertThat(r.status()).isEqualTo(200);
    return r.json().get("access").asText();
  }

  /** Stays connected, answering pings, until {@code untilMillis} (epoch) has passed. */
  private static void assertOpenUntil(WsClient ws, long untilMillis) {
    long left = untilMillis - System.currentTimeMillis();
    if (left > 0) {
      Awaitility.await().during(Duration.ofMillis(left)).atMost(Duration.ofMillis(left + 2_000))
          .until(() -> !ws.isClosed());
    }
    ws.send("{\"type\":\"ping\",\"id\":\"alive\"}");
    assertThat(ws.awaitId("alive").get("type").asText()).isEqualTo("pong");
  }

  @Test
  void closesWith4401WhenTheTokenExpiresWithoutRefresh() {
    String access = login(alice);
    try (WsClient ws = WsClient.connect(server.wsUri("/ws"), access, null)) {
      JsonNode hello = ws.awaitType("hello");
      assertThat(hello.get("expiresAt").asLong()).isEqualTo(expMillis(access));
      int code = ws.awaitClose();
      long closedAt = System.currentTimeMillis();
      assertThat(code).isEqualTo(4401);
      assertThat(closedAt).isGreaterThanOrEqualTo(expMillis(access) + GRACE_MILLIS);
      assertThat(closedAt).isLessThan(expMillis(access) + GRACE_MILLIS + 3_000);
    }
  }

  @Test
  void aFreshTokenKeepsTheConnectionPastTheFirstExpiryAndGrace() {
    String first = login(alice);
    try (WsClient ws = WsClient.connect(server.wsUri("/ws"), first, null)) {
      ws.awaitType("hello");
      // tokens carry whole seconds: wait for a login whose token outlives the first one
      String[] fresh = new String[1];
      Awaitility.await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
        fresh[0] = login(alice);
        return expMillis(fresh[0]) > expMillis(first);
      });
      assertThat(System.currentTimeMillis()).isLessThan(expMillis(first) + GRACE_MILLIS);
      ws.send("{\"type\":\"auth\",\"id\":\"re\",\"token\":\"" + fresh[0] + "\"}");
      JsonNode ack = ws.awaitId("re");
      assertThat(ack.get("type").asText()).isEqualTo("ack");
      assertThat(ack.get("expiresAt").asLong()).isEqualTo(expMillis(fresh[0]));

      assertOpenUntil(ws, expMillis(first) + GRACE_MILLIS + 300);
      // and the new token's own expiry is enforced in turn
      assertThat(ws.awaitClose()).isEqualTo(4401);
      assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(expMillis(fresh[0]) + GRACE_MILLIS);
    }
  }

  @Test
  void aTokenFromTheRefreshEndpointWorksInBandToo() {
    TestServer.Response login = server.post("/api/auth/login", null,
        "{\"username\":\"" + alice.username() + "\",\"password\":\"" + TestServer.PASSWORD + "\"}");
    String first = login.json().get("access").asText();
    String[] refresh = {login.json().get("refresh").asText()};
    try (WsClient ws = WsClient.connect(server.wsUri("/ws"), first, null)) {
      ws.awaitType("hello");
      String[] fresh = new String[1];
      // each refresh rotates: the next one presents the newest refresh token
      Awaitility.await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
        TestServer.Response r = server.post("/api/auth/refresh", null,
            "{\"refresh\":\"" + refresh[0] + "\"}");
        fresh[0] = r.json().get("access").asText();
        refresh[0] = r.json().get("refresh").asText();
        return expMillis(fresh[0]) > expMillis(first);
      });
      ws.send("{\"type\":\"auth\",\"token\":\"" + fresh[0] + "\"}");
      JsonNode ack = ws.awaitType("ack");
      assertThat(ack.has("id")).isFalse();
      assertThat(ack.get("expiresAt").asLong()).isEqualTo(expMillis(fresh[0]));
      assertOpenUntil(ws, expMillis(first) + GRACE_MILLIS + 300);
    }
  }

  @Test
  void authIsAcceptedDuringTheGracePeriod() {
    String first = login(alice);
    try (WsClient ws = WsClient.connect(server.wsUri("/ws"), first, null)) {
      ws.awaitType("hello");
      Awaitility.await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(20))
          .until(() -> System.currentTimeMillis() >= expMillis(first) + 100);
      String fresh = Jwts.hs256(Jwts.accessClaims(alice.id(), 30));
      ws.send("{\"type\":\"auth\",\"id\":\"late\",\"token\":\"" + fresh + "\"}");
      assertThat(ws.awaitId("late").get("type").asText()).isEqualTo("ack");
      assertOpenUntil(ws, expMillis(first) + GRACE_MILLIS + 500);
    }
  }

  @Test
  void anotherUsersTokenIsRefusedAndTheOldTokenStaysInForce() {
    String first = login(alice);
    try (WsClient ws = WsClient.connect(server.wsUri("/ws"), first, null)) {
      ws.awaitType("hello");
      ws.send("{\"type\":\"auth\",\"id\":\"bob\",\"token\":\"" + login(bob) + "\"}");
      JsonNode error = ws.awaitId("bob");
      assertThat(error.get("type").asText()).isEqualTo("error");
      assertThat(error.get("code").asText()).isEqualTo("unauthorized");
      ws.send("{\"type\":\"ping\",\"id\":\"p\"}");
      assertThat(ws.awaitId("p").get("type").asText()).isEqualTo("pong");
      assertThat(ws.awaitClose()).isEqualTo(4401);
    }
  }

  @Test
  void refreshAndForgedTokensAreRefusedInBand() {
    TestServer.Response login = server.post("/api/auth/login", null,
        "{\"username\":\"" + alice.username() + "\",\"password\":\"" + TestServer.PASSWORD + "\"}");
    try (WsClient ws = WsClient.connect(server.wsUri("/ws"), login.json().get("access").asText(), null)) {
      ws.awaitType("hello");
      ws.send("{\"type\":\"auth\",\"id\":\"r\",\"token\":\"" + login.json().get("refresh").asText() + "\"}");
      assertThat(ws.awaitId("r").get("code").asText()).isEqualTo("unauthorized");
      ws.send("{\"type\":\"auth\",\"id\":\"n\",\"token\":\"" + Jwts.none(Jwts.accessClaims(alice.id(), 60)) + "\"}");
      assertThat(ws.awaitId("n").get("code").asText()).isEqualTo("unauthorized");
      ws.send("{\"type\":\"auth\",\"id\":\"g\",\"token\":\"garbage\"}");
      assertThat(ws.awaitId("g").get("code").asText()).isEqualTo("unauthorized");
      ws.send("{\"type\":\"auth\",\"id\":\"h\",\"token\":\""
          + Jwts.hmac("HS512", TestServer.SECRET, Jwts.accessClaims(alice.id(), 60)) + "\"}");
      assertThat(ws.awaitId("h").get("code").asText()).isEqualTo("unauthorized");
      assertThat(ws.isClosed()).isFalse();
    }
  }
}
