package dev.parley.server.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.testing.Jwts;
import dev.parley.server.testing.RawWebSocket;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.net.URLEncoder;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Authentication of the WebSocket upgrade (contract 3 and 6, "Tokens"). */
class WebSocketUpgradeIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  private static TestServer.Account alice;

  @BeforeAll
  static void start() {
    alice = server.register(TestServer.uniqueName("alice"));
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  /** Asserts the upgrade with this token in the header, and in the query, is refused with 401. */
  private static void assertRefused(String token) {
    Map<String, String> headers = new HashMap<>();
    if (token != null) {
      headers.put("Authorization", "Bearer " + token);
    }
    assertRefusedWith("/ws", headers);
    if (token != null) {
      assertRefusedWith("/ws?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8), Map.of());
    }
  }

  private static void assertRefusedWith(String pathAndQuery, Map<String, String> headers) {
    RawWebSocket.Upgrade u = RawWebSocket.upgrade(server.port(), pathAndQuery, headers);
    assertThat(u.socket()).isNull();
    assertThat(u.answer().status()).isEqualTo(401);
    assertThat(u.answer().header("upgrade")).isNull();
    assertThat(u.answer().header("sec-websocket-accept")).isNull();
    assertThat(u.answer().header("content-type")).startsWith("application/json");
    JsonNode error = parse(u.answer().body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("unauthorized");
    assertThat(error.get("message").asText()).isNotBlank();
  }

  private static JsonNode parse(String body) {
    try {
      return TestServer.JSON.readTree(body);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  @Test
  void acceptsTheTokenInTheAuthorizationHeader() {
    try (WsClient ws = WsClient.connect(server.wsUri("/ws"), alice.access(), null)) {
      assertThat(ws.awaitType("hello").get("user").get("id").asText()).isEqualTo(alice.id());
    }
  }

  @Test
  void acceptsTheTokenInTheQuery() {
    try (WsClient ws = WsClient.connect(server.wsUri("/ws?token=" + alice.access()), null, null)) {
      assertThat(ws.awaitType("hello").get("user").get("id").asText()).isEqualTo(alice.id());
    }
  }

  @Test
  void acceptsAHandForgedTokenSignedWithTheServerSecret() {
    // proves the forging helper right, so that the refusals below are about what they change
    String token = Jwts.hs256(Jwts.accessClaims(alice.id(), 60));
    RawWebSocket.Upgrade u = RawWebSocket.upgrade(server.port(), "/ws", Map.of("Authorization", "Bearer " + token));
    assertThat(u.answer().status()).isEqualTo(101);
    u.socket().close();
  }

  @Test
  void refusesAMissingTokenWith401() {
    assertRefused(null);
    assertRefusedWith("/ws?token=", Map.of());
    assertRefusedWith("/ws", Map.of("Authorization", "Bearer "));
  }

  @Test
  void refusesAMissingTokenThroughTheJdkClientWithAHandshakeError() {
    assertThatThrownBy(() -> WsClient.connect(server.wsUri("/ws"), null, null))
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(WebSocketHandshakeException.class)
        .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(401));
  }

  @Test
  void refusesAMalformedToken() {
    assertRefused("garbage");
    assertRefused("a.b.c");
    assertRefused(alice.access().substring(0, alice.access().length() - 5));
  }

  @Test
  void refusesAWrongSignature() {
    assertRefused(Jwts.hmac("HS256", "not-the-server-secret-not-the-server-secret",
        Jwts.accessClaims(alice.id(), 600)));
    String real = alice.access();
    String[] parts = real.split("\\.");
    ObjectNode claims = (ObjectNode) Jwts.payload(real);
    claims.put("sub", "someone-else");
    String tampered = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    assertRefused(tampered);
  }

  @Test
  void refusesAnExpiredToken() {
    assertRefused(Jwts.hs256(Jwts.claims(alice.id(), now() - 120, now() - 60, "access")));
  }

  @Test
  void refusesAlgNone() {
    assertRefused(Jwts.none(Jwts.accessClaims(alice.id(), 600)));
  }

  @Test
  void refusesHs512WithTheSameSecret() {
    assertRefused(Jwts.hmac("HS512", TestServer.SECRET, Jwts.accessClaims(alice.id(), 600)));
    assertRefused(Jwts.hmac("HS384", TestServer.SECRET, Jwts.accessClaims(alice.id(), 600)));
  }

  @Test
  void refusesARefreshToken() {
    assertRefused(alice.refresh());
    assertRefused(Jwts.hs256(Jwts.claims(alice.id(), now(), now() + 600, "refresh")));
  }

  @Test
  void refusesATokenWithoutAType() {
    ObjectNode claims = Jwts.accessClaims(alice.id(), 600);
    claims.remove("typ");
    assertRefused(Jwts.hs256(claims));
  }

  @Test
  void refusesATokenOfAnUnknownUser() {
    assertRefused(Jwts.hs256(Jwts.accessClaims("no-such-user", 600)));
  }

  @Test
  void serverKeepsServingAfterRefusals() {
    assertRefused("garbage");
    try (WsClient ws = WsClient.connect(server.wsUri("/ws"), alice.access(), null)) {
      ws.awaitType("hello");
      ws.send("{\"type\":\"ping\",\"id\":\"p\"}");
      assertThat(ws.awaitId("p").get("type").asText()).isEqualTo("pong");
    }
  }

  private static String upgradeRequest(String... headerLines) {
    StringBuilder r = new StringBuilder("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nAuthorization: Bearer " + alice.access() + "\r\n");
    for (String h : headerLines) {
      r.append(h).append("\r\n");
    }
    return r.append("\r\n").toString();
  }

  private static void assertBadRequest(RawWebSocket.HttpAnswer answer) {
    assertThat(answer.status()).as("%s", answer).isEqualTo(400);
    assertThat(answer.header("sec-websocket-accept")).isNull();
    assertThat(answer.header("content-type")).startsWith("application/json");
    assertThat(parse(answer.body()).get("error").get("code").asText()).isEqualTo("bad_request");
  }

  @Test
  void refusesAnUpgradeWithoutAKeyWithTheErrorBody() {
    assertBadRequest(RawWebSocket.request(server.port(), upgradeRequest("Sec-WebSocket-Version: 13")));
  }

  @Test
  void refusesAnUnsupportedWebSocketVersionWithTheErrorBody() {
    assertBadRequest(RawWebSocket.request(server.port(),
        upgradeRequest("Sec-WebSocket-Version: 99", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==")));
    assertBadRequest(RawWebSocket.request(server.port(),
        upgradeRequest("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==")));
  }

  @Test
  void aWellFormedRawUpgradeIsAccepted() {
    RawWebSocket.HttpAnswer answer = RawWebSocket.request(server.port(),
        upgradeRequest("Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="));
    assertThat(answer.status()).isEqualTo(101);
    assertThat(answer.header("sec-websocket-accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  }
}
