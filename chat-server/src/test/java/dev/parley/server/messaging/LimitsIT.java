package dev.parley.server.messaging;

import static dev.parley.server.messaging.Chat.sendFrame;
import static dev.parley.server.messaging.Chat.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.TestServer.Response;
import dev.parley.server.testing.WsClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Body size, empty bodies, the send rate limit and the frame limit, on both transports. */
class LimitsIT {
  private static final int BODY_LIMIT = 16_384;

  private static List<JsonNode> history(TestServer server, Account a, String thread) {
    Response r = server.get("/api/threads/" + thread + "/messages?limit=200", a.access());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    r.json().get("messages").forEach(out::add);
    return out;
  }

  @Test
  void bodyOfExactlyTheLimitIsAcceptedAndOneByteMoreIsTooLarge() {
    try (TestServer server = TestServer.start()) {
      Account alice = user(server, "alice");
      String g = server.group(alice, "big");
      String atLimit = "a".repeat(BODY_LIMIT);
      String overLimit = "a".repeat(BODY_LIMIT + 1);
      // two-byte characters: 8,192 of them is the limit exactly
      String wideAtLimit = "é".repeat(BODY_LIMIT / 2);
      String wideOver = "é".repeat(BODY_LIMIT / 2) + "a";
      try (WsClient a = server.connect(alice.access())) {
        a.send(sendFrame("ok", g, atLimit, null));
        assertThat(a.awaitId("ok").get("type").asText()).isEqualTo("ack");
        a.send(sendFrame("big", g, overLimit, null));
        JsonNode big = a.awaitId("big");
        assertThat(big.get("type").asText()).isEqualTo("error");
        assertThat(big.get("code").asText()).isEqualTo("too_large");
        a.send(sendFrame("wide", g, wideAtLimit, null));
        assertThat(a.awaitId("wide").get("type").asText()).isEqualTo("ack");
        a.send(sendFrame("wideBig", g, wideOver, null));
        assertThat(a.awaitId("wideBig").get("code").asText()).isEqualTo("too_large");
        // the connection stays open
        a.send("{\"type\":\"ping\",\"id\":\"p\"}");
        assertThat(a.awaitId("p").get("type").asText()).isEqualTo("pong");
      }

      String path = "/api/threads/" + g + "/messages";
      Response ok = server.post(path, alice.access(), Chat.restBody(atLimit, null));
      assertThat(ok.status()).as(ok.body()).isEqualTo(201);
      Response over = server.post(path, alice.access(), Chat.restBody(overLimit, null));
      assertThat(over.status()).as(over.body()).isEqualTo(413);
      assertThat(over.errorCode()).isEqualTo("too_large");
      Response wideOverRest = server.post(path, alice.access(), Chat.restBody(wideOver, null));
      assertThat(wideOverRest.status()).as(wideOverRest.body()).isEqualTo(413);

      List<JsonNode> stored = history(server, alice, g);
      assertThat(stored).extracting(m -> m.get("body").asText().length())
          .containsExactly(BODY_LIMIT, BODY_LIMIT / 2, BODY_LIMIT);
    }
  }

  @Test
  void emptyBodyIsABadRequest() {
    try (TestServer server = TestServer.start()) {
      Account alice = user(server, "alice");
      String g = server.group(alice, "empty");
      try (WsClient a = server.connect(alice.access())) {
        a.send(sendFrame("e", g, "", null));
        JsonNode e = a.awaitId("e");
        assertThat(e.get("type").asText()).isEqualTo("error");
        assertThat(e.get("code").asText()).isEqualTo("bad_request");
        a.send("{\"type\":\"send\",\"id\":\"m\",\"thread\":\"" + g + "\"}");
        assertThat(a.awaitId("m").get("code").asText()).isEqualTo("bad_request");
      }
      Response r = server.post("/api/threads/" + g + "/messages", alice.access(), Chat.restBody("", null));
      assertThat(r.status()).as(r.body()).isEqualTo(400);
      assertThat(r.errorCode()).isEqualTo("bad_request");
      Response missing = server.post("/api/threads/" + g + "/messages", alice.access(), "{}");
      assertThat(missing.status()).as(missing.body()).isEqualTo(400);
      assertThat(history(server, alice, g)).isEmpty();
    }
  }

  @Test
  void fourthImmediateSendIsRateLimitedOnTheWebSocketAndNotStored() {
    try (TestServer server = TestServer.start(b -> b.rateLimit(2).rateBurst(3))) {
      Account alice = user(server, "alice");
      String g = server.group(alice, "limited");
      try (WsClient a = server.connect(alice.access())) {
        for (int i = 1; i <= 4; i++) {
          a.send(sendFrame("s" + i, g, "m" + i, null));
        }
        for (int i = 1; i <= 3; i++) {
          JsonNode ack = Chat.answer(a, "s" + i);
          assertThat(ack.get("type").asText()).as("answer to s" + i).isEqualTo("ack");
        }
        JsonNode limited = Chat.answer(a, "s4");
        assertThat(limited.get("type").asText()).isEqualTo("error");
        assertThat(limited.get("code").asText()).isEqualTo("rate_limited");
      }
      assertThat(history(server, alice, g)).extracting(m -> m.get("body").asText())
          .containsExactly("m1", "m2", "m3");
    }
  }

  @Test
  void fourthImmediateSendIsRateLimitedOverRestWith429AndNotStored() throws Exception {
    try (TestServer server = TestServer.start(b -> b.rateLimit(2).rateBurst(3))) {
      Account alice = user(server, "alice");
      String g = server.group(alice, "limited");
      HttpClient http = HttpClient.newHttpClient();
      // fired together, so that no token comes back between them
      List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        HttpRequest req = HttpRequest.newBuilder(server.uri("/api/threads/" + g + "/messages"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + alice.access())
            .POST(HttpRequest.BodyPublishers.ofString(Chat.restBody("r" + i, null)))
            .build();
        answers.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
      }
      List<Integer> statuses = new ArrayList<>();
      String limitedBody = null;
      for (CompletableFuture<HttpResponse<String>> f : answers) {
        HttpResponse<String> r = f.get();
        statuses.add(r.statusCode());
        if (r.statusCode() == 429) {
          limitedBody = r.body();
        }
      }
      assertThat(statuses).containsExactlyInAnyOrder(201, 201, 201, 429);
      assertThat(TestServer.JSON.readTree(limitedBody).path("error").path("code").asText())
          .isEqualTo("rate_limited");
      assertThat(history(server, alice, g)).hasSize(3);
    }
  }

  @Test
  void restAndWebSocketShareOneRateLimit() {
    try (TestServer server = TestServer.start(b -> b.rateLimit(0.01).rateBurst(2))) {
      Account alice = user(server, "alice");
      String g = server.group(alice, "shared");
      assertThat(server.post("/api/threads/" + g + "/messages", alice.access(), Chat.restBody("r1", null))
          .status()).isEqualTo(201);
      try (WsClient a = server.connect(alice.access())) {
        a.send(sendFrame("w2", g, "w2", null));
        assertThat(a.awaitId("w2").get("type").asText()).isEqualTo("ack");
        a.send(sendFrame("w3", g, "w3", null));
        assertThat(a.awaitId("w3").get("code").asText()).isEqualTo("rate_limited");
      }
      Response r = server.post("/api/threads/" + g + "/messages", alice.access(), Chat.restBody("r4", null));
      assertThat(r.status()).as(r.body()).isEqualTo(429);
      assertThat(r.errorCode()).isEqualTo("rate_limited");
      assertThat(history(server, alice, g)).extracting(m -> m.get("body").asText()).containsExactly("r1", "w2");
    }
  }

  @Test
  void frameOverTheFrameLimitClosesWith1009() {
    try (TestServer server = TestServer.start()) {
      Account alice = user(server, "alice");
      String g = server.group(alice, "frames");
      try (WsClient a = server.connect(alice.access())) {
        // a body far over its own limit, in a frame over 65,536 bytes
        a.send(sendFrame("huge", g, "a".repeat(70_000), null));
        assertThat(a.awaitClose()).isEqualTo(1009);
      }
    }
  }

  @Test
  void fragmentsTogetherOverTheFrameLimitCloseWith1009() {
    try (TestServer server = TestServer.start()) {
      Account alice = user(server, "alice");
      String g = server.group(alice, "fragments");
      try (WsClient a = server.connect(alice.access())) {
        String frame = sendFrame("frag", g, "b".repeat(66_000), null);
        int half = frame.length() / 2;
        a.socket().sendText(frame.substring(0, half), false).join();
        a.socket().sendText(frame.substring(half), true).join();
        assertThat(a.awaitClose()).isEqualTo(1009);
      }
    }
  }

  @Test
  void frameJustUnderTheFrameLimitIsAnsweredNotClosed() {
    try (TestServer server = TestServer.start()) {
      Account alice = user(server, "alice");
      String g = server.group(alice, "frames");
      try (WsClient a = server.connect(alice.access())) {
        String prefix = sendFrame("near", g, "", null);
        // pad the body so that the whole frame is exactly 65,536 bytes
        String frame = sendFrame("near", g, "c".repeat(65_536 - prefix.length()), null);
        assertThat(frame.length()).isEqualTo(65_536);
        a.send(frame);
        JsonNode answer = a.awaitId("near");
        assertThat(answer.get("code").asText()).isEqualTo("too_large");
        assertThat(a.isClosed()).isFalse();
      }
    }
  }
}
