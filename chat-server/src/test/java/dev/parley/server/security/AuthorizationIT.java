package dev.parley.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.TestServer.Response;
import dev.parley.server.testing.WsClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The authorization matrix: a signed-in user who is not a member of a thread can neither read nor
 * write it through any REST route or WebSocket frame (403 / {@code forbidden}, 404 /
 * {@code not_found} for ids that do not exist), and the members see nothing of the attempts.
 * Every authenticated route refuses a missing token and a refresh token with 401.
 */
class AuthorizationIT {
  private static final String UNKNOWN = "AAAAAAAAAAAAAAAAAAAAAA";

  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  private static Account alice;
  private static Account bob;
  private static Account mallory;
  private static String thread;
  private static String attachment;

  @BeforeAll
  static void start() {
    alice = server.register(TestServer.uniqueName("alice"));
    bob = server.register(TestServer.uniqueName("bob"));
    mallory = server.register(TestServer.uniqueName("mallory"));
    thread = server.group(alice, "private", bob);
    Response upload = server.send(HttpRequest.newBuilder(server.uri("/api/attachments"))
        .header("Authorization", "Bearer " + alice.access())
        .header("Content-Type", "text/plain")
        .header("X-Filename", "secret.txt")
        .POST(HttpRequest.BodyPublishers.ofString("for members only"))
        .build());
    assertThat(upload.status()).isEqualTo(201);
    attachment = upload.json().get("id").asText();
    Response posted = server.post("/api/threads/" + thread + "/messages", alice.access(),
        "{\"body\":\"see attached\",\"attachments\":[\"" + attachment + "\"]}");
    assertThat(posted.status()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** One REST call about a thread (or attachment) id. */
  private record Call(String method, String path, String body) {
    Call on(String id) {
      return new Call(method, path.replace("{id}", id), body);
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private static List<Call> threadCalls() {
    return List.of(
        new Call("GET", "/api/threads/{id}", null),
        new Call("POST", "/api/threads/{id}/members", "{\"userId\":\"MALLORY\"}"),
        new Call("DELETE", "/api/threads/{id}/members/BOB", null),
        new Call("GET", "/api/threads/{id}/messages", null),
        new Call("GET", "/api/threads/{id}/messages?after=0&limit=200", null),
        new Call("POST", "/api/threads/{id}/messages", "{\"body\":\"intrusion\",\"clientId\":\"m1\"}"),
        new Call("POST", "/api/threads/{id}/read", "{\"seq\":1}"));
  }

  private static Response call(Call c, String token) {
    String body = c.body() == null ? null
        : c.body().replace("MALLORY", mallory.id()).replace("BOB", bob.id());
    return server.request(c.method(), c.path().replace("BOB", bob.id()), token, body);
  }

  private static void expectError(SoftAssertions soft, String what, Response r, int status, String code) {
    soft.assertThat(r.status()).as(what + " status (" + r.body() + ")").isEqualTo(status);
    soft.assertThat(r.errorCode()).as(what + " code").isEqualTo(code);
  }

  @Test
  void aNonMemberGetsForbiddenOnEveryRestRouteOfTheThreadAndNotFoundForUnknownIds() {
    SoftAssertions soft = new SoftAssertions();
    for (Call c : threadCalls()) {
      expectError(soft, "outsider " + c, call(c.on(thread), mallory.access()), 403, "forbidden");
      expectError(soft, "unknown thread " + c, call(c.on(UNKNOWN), mallory.access()), 404, "not_found");
    }
    expectError(soft, "outsider GET attachment",
        server.get("/api/attachments/" + attachment, mallory.access()), 403, "forbidden");
    expectError(soft, "unknown attachment",
        server.get("/api/attachments/" + UNKNOWN, mallory.access()), 404, "not_found");
    soft.assertAll();

    // and nothing changed: the members, the history and alice's read position are as before
    JsonNode t = server.get("/api/threads/" + thread, alice.access()).json();
    List<String> members = new ArrayList<>();
    t.get("members").forEach(m -> members.add(m.get("id").asText()));
    assertThat(members).containsExactlyInAnyOrder(alice.id(), bob.id());
    JsonNode history = server.get("/api/threads/" + thread + "/messages", alice.access()).json();
    assertThat(history.get("messages")).isNotEmpty().allSatisfy(msg -> {
      assertThat(msg.get("sender").asText()).isEqualTo(alice.id());
      assertThat(msg.get("body").asText()).isNotEqualTo("intrusion");
    });
    // the members can still fetch the attachment: the check is membership, not a blanket refusal
    assertThat(server.get("/api/attachments/" + attachment, bob.access()).status()).isEqualTo(200);
  }

  @Test
  void aNonMemberGetsForbiddenForEveryWebSocketFrameAboutTheThreadAndTheMembersSeeNothing() {
    try (WsClient a = server.connect(alice.access());
         WsClient b = server.connect(bob.access());
         WsClient m = server.connect(mallory.access())) {
      long lastSeq = server.get("/api/threads/" + thread, alice.access()).json().get("lastSeq").asLong();
      m.send("{\"type\":\"send\",\"id\":\"f-send\",\"thread\":\"" + thread
          + "\",\"body\":\"intrusion\",\"clientId\":\"w1\"}");
      m.send("{\"type\":\"typing\",\"id\":\"f-typing\",\"thread\":\"" + thread + "\"}");
      m.send("{\"type\":\"read\",\"id\":\"f-read\",\"thread\":\"" + thread + "\",\"seq\":1}");
      m.send("{\"type\":\"sync\",\"id\":\"f-sync\",\"threads\":{\"" + thread + "\":0}}");
      m.send("{\"type\":\"send\",\"id\":\"u-send\",\"thread\":\"" + UNKNOWN + "\",\"body\":\"x\"}");
      m.send("{\"type\":\"sync\",\"id\":\"u-sync\",\"threads\":{\"" + UNKNOWN + "\":0}}");

      // answers to different frames may come in any order (some are checked on the worker pool)
      expectAnswers(m, "forbidden", "f-send", "f-typing", "f-read", "f-sync");
      expectAnswers(m, "not_found", "u-send", "u-sync");
      // a typing frame without an id is refused too (no id on the answer)
      m.send("{\"type\":\"typing\",\"thread\":\"" + thread + "\"}");
      JsonNode anonymous = m.await(n -> "error".equals(n.path("type").asText()) && !n.has("id"));
      assertThat(anonymous.get("code").asText()).isEqualTo("forbidden");

      // a marker from a member, seen by both members, bounds what they could have been sent
      a.send("{\"type\":\"send\",\"id\":\"marker\",\"thread\":\"" + thread + "\",\"body\":\"marker\"}");
      JsonNode ack = a.awaitId("marker");
      assertThat(ack.get("type").asText()).isEqualTo("ack");
      assertThat(ack.get("seq").asLong()).as("the refused send took no seq").isEqualTo(lastSeq + 1);
      for (WsClient member : List.of(a, b)) {
        member.await(n -> "message".equals(n.path("type").asText()) && "marker".equals(n.path("body").asText()));
        for (JsonNode n : member.received()) {
          assertThat(n.toString()).doesNotContain(mallory.id()).doesNotContain("intrusion");
          assertThat(n.path("type").asText()).isNotIn("typing", "read");
        }
      }
      // mallory got no message, typing or read event of the thread, and no sync data
      for (JsonNode n : m.received()) {
        assertThat(n.path("type").asText()).isIn("hello", "error");
      }
      assertThat(m.received().toString()).doesNotContain("see attached").doesNotContain("marker");
    }
  }

  private static void expectAnswers(WsClient ws, String code, String... ids) {
    for (String id : ids) {
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> ws.received().stream().anyMatch(n -> id.equals(n.path("id").asText(null))));
      JsonNode answer = ws.received().stream()
          .filter(n -> id.equals(n.path("id").asText(null))).findFirst().orElseThrow();
      assertThat(answer.get("type").asText()).as(id + ": " + answer).isEqualTo("error");
      assertThat(answer.get("code").asText()).as(id + ": " + answer).isEqualTo(code);
    }
  }

  @Test
  void everyAuthenticatedRouteRefusesAMissingTokenAndARefreshToken() {
    List<Call> routes = new ArrayList<>(List.of(
        new Call("GET", "/api/users/me", null),
        new Call("GET", "/api/users?q=a", null),
        new Call("GET", "/api/threads", null),
        new Call("POST", "/api/threads", "{\"kind\":\"direct\",\"members\":[\"BOB\"]}")));
    for (Call c : threadCalls()) {
      routes.add(c.on(thread));
    }
    routes.add(new Call("GET", "/api/attachments/" + attachment, null));
    SoftAssertions soft = new SoftAssertions();
    for (Call c : routes) {
      expectError(soft, "no token " + c, call(c, null), 401, "unauthorized");
      expectError(soft, "refresh token " + c, call(c, alice.refresh()), 401, "unauthorized");
      expectError(soft, "garbage token " + c, call(c, "not-a-token"), 401, "unauthorized");
    }
    for (String token : new String[] {null, alice.refresh()}) {
      HttpRequest.Builder upload = HttpRequest.newBuilder(server.uri("/api/attachments"))
          .header("Content-Type", "text/plain")
          .POST(HttpRequest.BodyPublishers.ofString("anonymous"));
      if (token != null) {
        upload.header("Authorization", "Bearer " + token);
      }
      expectError(soft, "upload with " + (token == null ? "no token" : "refresh token"),
          server.send(upload.build()), 401, "unauthorized");
    }
    soft.assertAll();
  }

  @Test
  void theUpgradeRefusesARefreshTokenInTheHeaderAndInTheQuery() {
    for (String path : new String[] {"/ws", "/ws?token=" + alice.refresh()}) {
      String bearer = path.equals("/ws") ? alice.refresh() : null;
      try {
        WsClient ws = WsClient.connect(server.wsUri(path), bearer, null);
        ws.close();
        throw new AssertionError("upgrade with a refresh token was accepted: " + path);
      } catch (CompletionException e) {
        assertThat(e.getCause()).isInstanceOf(java.net.http.WebSocketHandshakeException.class);
        assertThat(((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
            .isEqualTo(401);
      }
    }
  }
}
