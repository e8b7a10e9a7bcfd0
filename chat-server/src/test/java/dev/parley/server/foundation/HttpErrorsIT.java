package dev.parley.server.foundation;

import static dev.parley.server.testing.HttpAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.RawWebSocket;
import dev.parley.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How the HTTP side answers what it cannot serve (contract 6, "Errors"). */
class HttpErrorsIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(b -> b.requestLimit(1024));
  private static TestServer.Account alice;

  @BeforeAll
  static void start() {
    alice = server.register(TestServer.uniqueName("alice"));
  }

  /** Whatever a test sent, the server still answers everyone else. */
  @AfterEach
  void serverStillServes() {
    TestServer.Response health = server.get("/healthz", null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(server.get("/api/users/me", alice.access()).status()).isEqualTo(200);
  }

  @Test
  void unknownApiRouteIs404NotFound() {
    assertError(server.get("/api/nope", alice.access()), 404, "not_found");
    assertError(server.get("/api/threads/x/y/z/w", alice.access()), 404, "not_found");
  }

  @Test
  void unknownStaticPathIs404NotFound() {
    assertError(server.get("/no-such-file.html", null), 404, "not_found");
  }

  @Test
  void wrongMethodIs405BadRequest() {
    assertError(server.request("DELETE", "/api/auth/login", null, null), 405, "bad_request");
    assertError(server.request("PUT", "/api/users/me", alice.access(), "{}"), 405, "bad_request");
    assertError(server.request("POST", "/healthz", null, "{}"), 405, "bad_request");
  }

  @Test
  void malformedJsonIs400() {
    assertError(server.post("/api/auth/login", null, "{\"username\":"), 400, "bad_request");
    assertError(server.post("/api/auth/login", null, "not json"), 400, "bad_request");
    assertError(server.post("/api/auth/login", null, "[1,2]"), 400, "bad_request");
  }

  @Test
  void missingBodyIs400() {
    assertError(server.request("POST", "/api/auth/login", null, null), 400, "bad_request");
  }

  @Test
  void aNumberWhereAStringIsDueIs400() {
    assertError(server.post("/api/auth/login", null, "{\"username\":123,\"password\":\"password123\"}"),
        400, "bad_request");
    assertError(server.post("/api/auth/register", null,
        "{\"username\":\"numeric_pw\",\"password\":12345678}"), 400, "bad_request");
  }

  @Test
  void bodyOverTheRequestLimitIs413TooLarge() {
    String big = "{\"username\":\"" + "a".repeat(2000) + "\",\"password\":\"password123\"}";
    assertError(server.post("/api/auth/register", null, big), 413, "too_large");
  }

  @Test
  void bodyOverTheRequestLimitOnARawConnectionIs413() {
    // no Expect: 100-continue, the whole body is on its way before the answer
    TestServer.Response r = server.send(HttpRequest.newBuilder(server.uri("/api/auth/login"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("x".repeat(5000)))
        .build());
    assertError(r, 413, "too_large");
  }

  @Test
  void aBodyFarOverTheLimitStillGetsItsAnswer() {
    // megabytes in flight when the 413 is written: the server reads them to the end before it
    // closes, or the client would see the connection reset instead of the answer
    for (int i = 0; i < 5; i++) {
      TestServer.Response r = server.send(HttpRequest.newBuilder(server.uri("/api/auth/login"))
          .timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[4 << 20]))
          .build());
      assertError(r, 413, "too_large");
    }
  }

  @Test
  void malformedQueryIs400() {
    String thread = server.group(alice, "q");
    assertError(server.get("/api/threads/" + thread + "/messages?limit=abc", alice.access()), 400, "bad_request");
    assertError(server.get("/api/threads/" + thread + "/messages?limit=0", alice.access()), 400, "bad_request");
    assertError(server.get("/api/threads/" + thread + "/messages?before=x", alice.access()), 400, "bad_request");
  }

  @Test
  void aMalformedPercentEscapeIs400() throws Exception {
    String answer = rawHttp("GET /api/users?q=%zz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + alice.access() + "\r\nConnection: close\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 400");
    assertThat(answer).contains("{\"error\":{\"code\":\"bad_request\"");
    RawWebSocket.Upgrade ws = RawWebSocket.upgrade(server.port(), "/ws?token=%zz", Map.of());
    assertThat(ws.answer().status()).isEqualTo(400);
    assertThat(ws.answer().body()).contains("\"code\":\"bad_request\"");
  }

  private static String rawHttp(String request) throws Exception {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void aPlainGetOfTheWebSocketPathIs400WithTheErrorBody() {
    assertError(server.get("/ws", alice.access()), 400, "bad_request");
  }

  @Test
  void aNonGetUpgradeIs405() {
    assertError(server.request("POST", "/ws", alice.access(), "{}"), 405, "bad_request");
  }

  @Test
  void aGarbageRequestLineGetsA400AndTheServerCarriesOn() throws Exception {
    String answer = rawHttp("THIS IS NOT HTTP\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 400");
    assertThat(answer).contains("\"code\":\"bad_request\"");
    RawWebSocket.Upgrade ok = RawWebSocket.upgrade(server.port(), "/ws", Map.of("Authorization",
        "Bearer " + alice.access()));
    assertThat(ok.answer().status()).isEqualTo(101);
    ok.socket().close();
  }

  @Test
  void bodyOverTheRequestLimitWithExpectContinueIs413WithTheErrorBody() {
    RawWebSocket.HttpAnswer answer = RawWebSocket.request(server.port(),
        "POST /api/auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.header("content-type")).startsWith("application/json");
    assertThat(answer.body()).startsWith("{\"error\":{\"code\":\"too_large\"");
  }

  @Test
  void bodyUnderTheRequestLimitWithExpectContinueGets100Continue() {
    RawWebSocket.HttpAnswer answer = RawWebSocket.request(server.port(),
        "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: 2\r\nExpect: 100-continue\r\n\r\n");
    assertThat(answer.status()).isEqualTo(100);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    String login = "{\"username\":\"" + alice.username() + "\",\"password\":\"" + TestServer.PASSWORD + "\"}";
    StringBuilder requests = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      requests.append("POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n")
          .append("Content-Length: ").append(login.length()).append("\r\n\r\n").append(login)
          .append("GET /api/nope HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    }
    requests.append("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    String answers = rawHttp(requests.toString());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("HTTP/1.1 (\\d{3})").matcher(answers);
    java.util.List<String> statuses = new java.util.ArrayList<>();
    while (m.find()) {
      statuses.add(m.group(1));
    }
    assertThat(statuses).containsExactly("200", "404", "200", "404", "200", "404", "200");
  }
}
