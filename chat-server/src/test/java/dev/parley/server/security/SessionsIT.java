package dev.parley.server.security;

import static dev.parley.server.testing.HttpAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.CloseCodes;
import dev.parley.server.testing.Jwts;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.TestServer.Response;
import dev.parley.server.testing.WsClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sessions and revocation (contract 7.1) against a real server on one node: the {@code sid}
 * claim, refresh rotation and reuse, logout, logout everywhere, password change, WebSocket
 * tickets, and a revoked session's sockets closed with 4401. The cluster half is
 * {@code ClusterSessionsIT}.
 */
class SessionsIT {
  /** The contract's bound for closing a revoked session's sockets. */
  private static final Duration CLOSE_WITHIN = Duration.ofSeconds(2);

  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  private static Account user(String prefix) {
    return server.register(TestServer.uniqueName(prefix));
  }

  private static Account login(Account a) {
    Response r = server.post("/api/auth/login", null,
        "{\"username\":\"" + a.username() + "\",\"password\":\"" + TestServer.PASSWORD + "\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return new Account(a.id(), a.username(), r.json().get("access").asText(),
        r.json().get("refresh").asText());
  }

  private static Response refresh(String refreshToken) {
    return server.post("/api/auth/refresh", null, "{\"refresh\":\"" + refreshToken + "\"}");
  }

  private static Response logout(String refreshToken) {
    return server.post("/api/auth/logout", null, "{\"refresh\":\"" + refreshToken + "\"}");
  }

  private static WsClient connect(String access) {
    WsClient ws = WsClient.connect(server.wsUri("/ws"), access, null);
    ws.awaitType("hello");
    return ws;
  }

  private static JsonNode claims(String jwt) {
    String payload = jwt.split("\\.")[1];
    try {
      return TestServer.JSON.readTree(new String(Base64.getUrlDecoder().decode(payload),
          StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void assertUpgradeRefused(String query, String bearer) {
    assertThatThrownBy(() -> WsClient.connect(server.wsUri("/ws" + query), bearer, null))
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(WebSocketHandshakeException.class)
        .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
            .isEqualTo(401));
  }

  @Test
  void tokensNameTheirSessionAndEachLoginHasItsOwn() {
    Account a = user("sid");
    Account again = login(a);

    String sid = claims(a.access()).get("sid").asText();
    assertThat(sid).isNotBlank();
    assertThat(claims(a.refresh()).get("sid").asText()).isEqualTo(sid);
    assertThat(claims(again.access()).get("sid").asText()).isNotEqualTo(sid);
  }

  @Test
  void aTokenWithoutSidIsRefusedEverywhere() {
    Account a = user("nosid");
    ObjectNode c = Jwts.accessClaims(a.id(), 600);
    c.remove("sid");
    String token = Jwts.hs256(c);

    assertError(server.get("/api/users/me", token), 401, "unauthorized");
    assertUpgradeRefused("", token);
    assertUpgradeRefused("?token=" + token, null);
  }

  @Test
  void refreshRotatesAndARepeatWithinTheLeewayGetsTheSameAnswer() {
    Account a = user("rot");

    Response first = refresh(a.refresh());
    Response repeat = refresh(a.refresh());

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().get("refresh").asText()).isNotEqualTo(a.refresh());
    assertThat(repeat.status()).isEqualTo(200);
    assertThat(repeat.json()).isEqualTo(first.json());
    assertThat(server.get("/api/users/me", first.json().get("access").asText()).status()).isEqualTo(200);
  }

  @Test
  void aReusedRefreshTokenRevokesTheWholeSession() {
    Account a = user("reuse");
    Account other = login(a);
    WsClient ws = connect(a.access());
    WsClient otherWs = connect(other.access());
    String second = refresh(a.refresh()).json().get("refresh").asText();
    String third = refresh(second).json().get("refresh").asText();

    assertError(refresh(a.refresh()), 401, "unauthorized"); // two generations old: a reuse

    assertError(refresh(third), 401, "unauthorized"); // the newest dies with its session
    assertError(server.get("/api/users/me", a.access()), 401, "unauthorized");
    assertThat(ws.awaitClose(CLOSE_WITHIN)).isEqualTo(CloseCodes.TOKEN_EXPIRED);
    // the user's other session is untouched
    assertThat(server.get("/api/users/me", other.access()).status()).isEqualTo(200);
    otherWs.send("{\"type\":\"ping\",\"id\":\"p\"}");
    assertThat(otherWs.awaitId("p").get("type").asText()).isEqualTo("pong");
    otherWs.close();
  }

  @Test
  void logoutEndsTheSessionEverywhereATokenIsAccepted() {
    Account a = user("out");
    Account other = login(a);
    WsClient ws = connect(a.access());
    WsClient otherWs = connect(other.access());
    WsClient withOtherToken = connect(other.access());

    Response r = logout(a.refresh());

    assertThat(r.status()).isEqualTo(204);
    assertThat(ws.awaitClose(CLOSE_WITHIN)).isEqualTo(CloseCodes.TOKEN_EXPIRED);
    assertError(refresh(a.refresh()), 401, "unauthorized");
    assertError(server.get("/api/users/me", a.access()), 401, "unauthorized");
    assertUpgradeRefused("", a.access());
    assertUpgradeRefused("?token=" + a.access(), null);
    assertError(server.post("/api/auth/ticket", a.access(), null), 401, "unauthorized");
    // in band: a connection of the other session cannot take the revoked token
    withOtherToken.send("{\"type\":\"auth\",\"id\":\"re\",\"token\":\"" + a.access() + "\"}");
    JsonNode answer = withOtherToken.awaitId("re");
    assertThat(answer.get("type").asText()).isEqualTo("error");
    assertThat(answer.get("code").asText()).isEqualTo("unauthorized");
    // the other session lives on
    assertThat(server.get("/api/users/me", other.access()).status()).isEqualTo(200);
    assertThat(otherWs.isClosed()).isFalse();
    // again: still 204
    assertThat(logout(a.refresh()).status()).isEqualTo(204);
    otherWs.close();
    withOtherToken.close();
  }

  @Test
  void logoutRefusesWhatIsNotOneOfOurRefreshTokens() {
    Account a = user("outbad");
    ObjectNode forged = Jwts.claims(a.id(), System.currentTimeMillis() / 1000,
        System.currentTimeMillis() / 1000 + 600, "refresh");

    assertError(logout(a.access()), 401, "unauthorized");
    assertError(logout("not.a.token"), 401, "unauthorized");
    assertError(logout(Jwts.hmac("HS256", "another-secret-another-secret-another-0123", forged)),
        401, "unauthorized");
    assertError(server.post("/api/auth/logout", null, "{}"), 401, "unauthorized");
    // none of that ended the session
    assertThat(refresh(a.refresh()).status()).isEqualTo(200);
  }

  @Test
  void logoutAllEndsEverySessionOfTheUserOnly() {
    Account a = user("all");
    Account second = login(a);
    Account bystander = user("bystander");
    WsClient first = connect(a.access());
    WsClient other = connect(second.access());
    WsClient theirs = connect(bystander.access());

    assertThat(server.post("/api/auth/logout-all", a.access(), null).status()).isEqualTo(204);

    assertThat(first.awaitClose(CLOSE_WITHIN)).isEqualTo(CloseCodes.TOKEN_EXPIRED);
    assertThat(other.awaitClose(CLOSE_WITHIN)).isEqualTo(CloseCodes.TOKEN_EXPIRED);
    assertError(refresh(a.refresh()), 401, "unauthorized");
    assertError(refresh(second.refresh()), 401, "unauthorized");
    assertThat(server.get("/api/users/me", bystander.access()).status()).isEqualTo(200);
    assertThat(theirs.isClosed()).isFalse();
    assertError(server.post("/api/auth/logout-all", a.refresh(), null), 401, "unauthorized");
    theirs.close();
  }

  @Test
  void aPasswordChangeEndsEveryOtherSession() {
    Account a = user("pw");
    Account other = login(a);
    WsClient mine = connect(a.access());
    WsClient theirs = connect(other.access());

    Response r = server.post("/api/users/me/password", a.access(),
        "{\"current\":\"" + TestServer.PASSWORD + "\",\"new\":\"a brand new one\"}");

    assertThat(r.status()).as(r.body()).isEqualTo(204);
    assertThat(theirs.awaitClose(CLOSE_WITHIN)).isEqualTo(CloseCodes.TOKEN_EXPIRED);
    assertError(refresh(other.refresh()), 401, "unauthorized");
    assertThat(server.get("/api/users/me", a.access()).status()).isEqualTo(200);
    assertThat(refresh(a.refresh()).status()).isEqualTo(200);
    assertThat(mine.isClosed()).isFalse();
    assertError(server.post("/api/auth/login", null, "{\"username\":\"" + a.username()
        + "\",\"password\":\"" + TestServer.PASSWORD + "\"}"), 401, "unauthorized");
    assertThat(server.post("/api/auth/login", null, "{\"username\":\"" + a.username()
        + "\",\"password\":\"a brand new one\"}").status()).isEqualTo(200);
    mine.close();
  }

  @Test
  void aWrongCurrentPasswordIsForbiddenChangesNothingAndIsThrottled() {
    Account a = user("pwbad");
    String wrong = "{\"current\":\"not the password\",\"new\":\"a brand new one\"}";

    assertError(server.post("/api/users/me/password", a.access(), wrong), 403, "forbidden");
    assertError(server.post("/api/users/me/password", a.access(),
        "{\"current\":\"" + TestServer.PASSWORD + "\",\"new\":\"short\"}"), 400, "bad_request");
    assertError(server.post("/api/users/me/password", a.access(), "{}"), 400, "bad_request");
    assertError(server.post("/api/users/me/password", a.refresh(), wrong), 401, "unauthorized");
    assertThat(refresh(a.refresh()).status()).isEqualTo(200);

    int status = 0;
    for (int i = 0; i < 30 && status != 429; i++) {
      status = server.post("/api/users/me/password", a.access(), wrong).status();
    }
    assertThat(status).as("wrong current passwords are throttled like logins").isEqualTo(429);
    // and so is a login of that account now
    assertThat(server.post("/api/auth/login", null, "{\"username\":\"" + a.username()
        + "\",\"password\":\"" + TestServer.PASSWORD + "\"}").status()).isEqualTo(429);
  }

  @Test
  void aTicketOpensOneWebSocketOnce() {
    Account a = user("ticket");
    Response r = server.post("/api/auth/ticket", a.access(), null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("expiresIn").asInt()).isEqualTo(30);
    String ticket = r.json().get("ticket").asText();
    WsClient ws = WsClient.connect(server.wsUri("/ws?ticket=" + ticket), null, null);
    JsonNode hello = ws.awaitType("hello");
    assertThat(hello.get("user").get("id").asText()).isEqualTo(a.id());
    assertThat(hello.get("expiresAt").asLong())
        .isEqualTo(claims(a.access()).get("exp").asLong() * 1000);
    assertUpgradeRefused("?ticket=" + ticket, null);
    assertUpgradeRefused("?ticket=unknown-ticket", null);
    assertError(server.post("/api/auth/ticket", null, null), 401, "unauthorized");
    assertError(server.post("/api/auth/ticket", a.refresh(), null), 401, "unauthorized");

    // a socket opened with a ticket belongs to its session
    logout(a.refresh());
    assertThat(ws.awaitClose(CLOSE_WITHIN)).isEqualTo(CloseCodes.TOKEN_EXPIRED);
  }

  @Test
  void aTicketOfASessionRevokedBeforeItIsUsedIsRefused() {
    Account a = user("ticketrev");
    String ticket = server.post("/api/auth/ticket", a.access(), null).json().get("ticket").asText();

    logout(a.refresh());

    assertUpgradeRefused("?ticket=" + ticket, null);
  }

  @Test
  void ticketsNeverReachTheLog() {
    Account a = user("ticketlog");
    try (LogCapture log = new LogCapture()) {
      String ticket = server.post("/api/auth/ticket", a.access(), null).json().get("ticket").asText();
      WsClient.connect(server.wsUri("/ws?ticket=" + ticket), null, null).awaitType("hello");
      assertUpgradeRefused("?ticket=" + ticket, null);

      assertThat(log.lines()).isNotEmpty().noneMatch(line -> line.contains(ticket));
    }
  }

  @Test
  void revocationSurvivesARestart() {
    Account a = user("restart");
    assertThat(logout(a.refresh()).status()).isEqualTo(204);

    server.restart();

    assertError(server.get("/api/users/me", a.access()), 401, "unauthorized");
    assertUpgradeRefused("", a.access());
    assertError(refresh(a.refresh()), 401, "unauthorized");
  }
}
