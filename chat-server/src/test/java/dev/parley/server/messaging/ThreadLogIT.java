package dev.parley.server.messaging;

import static dev.parley.server.messaging.Chat.sendFrame;
import static dev.parley.server.messaging.Chat.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.WsClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The thread log over the wire (contract 7.2): replies, edits, deletions and reactions as
 * entries with their own seq, delivered live in order, replayed by sync as they stand now,
 * history in its current state, the REST twins, and every bad input refused with its error,
 * storing nothing and leaving the connection open.
 */
class ThreadLogIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static ObjectNode frame(String type, String id, String thread) {
    ObjectNode n = TestServer.JSON.createObjectNode().put("type", type);
    if (id != null) {
      n.put("id", id);
    }
    return n.put("thread", thread);
  }

  static String edit(String id, String thread, long target, String body) {
    return frame("edit", id, thread).put("target", target).put("body", body).toString();
  }

  static String delete(String id, String thread, long target) {
    return frame("delete", id, thread).put("target", target).toString();
  }

  static String react(String id, String thread, long target, String emoji, boolean on) {
    return frame("react", id, thread).put("target", target).put("emoji", emoji).put("on", on).toString();
  }

  static String reply(String id, String thread, String body, long replyTo) {
    return frame("send", id, thread).put("body", body).put("replyTo", replyTo).toString();
  }

  /** The log entries (messages and changes) of a thread a connection received, in order. */
  static List<JsonNode> entries(WsClient ws, String thread) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : ws.received()) {
      String type = n.path("type").asText();
      if (List.of("message", "edited", "deleted", "reaction").contains(type)
          && thread.equals(n.path("thread").asText())) {
        out.add(n);
      }
    }
    return out;
  }

  static void awaitEntry(WsClient ws, String thread, long seq) {
    ws.await(n -> thread.equals(n.path("thread").asText()) && n.path("seq").asLong() == seq
        && List.of("message", "edited", "deleted", "reaction").contains(n.path("type").asText()));
  }

  static long lastSeq(Account who, String thread) {
    return server.get("/api/threads/" + thread, who.access()).json().get("lastSeq").asLong();
  }

  @Test
  void aSessionOfTheLogLiveInHistoryAndInSync() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    String g = server.group(alice, "tea", bob);
    try (WsClient a = server.connect(alice.access()); WsClient b = server.connect(bob.access())) {
      a.send(sendFrame("s1", g, "helo", null));
      assertThat(a.awaitId("s1").get("seq").asLong()).isEqualTo(1);
      b.send(reply("s2", g, "hi!", 1));
      assertThat(b.awaitId("s2").get("seq").asLong()).isEqualTo(2);

      a.send(edit("e1", g, 1, "hello"));
      JsonNode editAck = a.awaitId("e1");
      assertThat(fieldNames(editAck)).containsExactly("type", "id", "thread", "seq", "ts");
      assertThat(editAck.get("seq").asLong()).isEqualTo(3);

      b.send(react("r1", g, 1, "👍", true));
      assertThat(b.awaitId("r1").get("seq").asLong()).isEqualTo(4);
      b.send(react("r2", g, 1, "👍", true));
      JsonNode same = b.awaitId("r2");
      assertThat(same.get("changed").asBoolean(true)).isFalse();
      assertThat(same.get("seq").asLong()).isEqualTo(4);

      a.send(delete("d1", g, 2 - 1));
      assertThat(a.awaitId("d1").get("seq").asLong()).isEqualTo(5);
      awaitEntry(b, g, 5);
      awaitEntry(a, g, 5);

      for (WsClient ws : List.of(a, b)) {
        List<JsonNode> got = entries(ws, g);
        assertThat(got).extracting(n -> n.get("seq").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(got).extracting(n -> n.get("type").asText())
            .containsExactly("message", "message", "edited", "reaction", "deleted");
        assertThat(got.get(1).get("replyTo").asLong()).isEqualTo(1);
        JsonNode edited = got.get(2);
        assertThat(fieldNames(edited)).containsExactly("type", "thread", "seq", "target", "user", "body", "ts");
        assertThat(edited.get("body").asText()).isEqualTo("hello");
        assertThat(edited.get("user").asText()).isEqualTo(alice.id());
        JsonNode reaction = got.get(3);
        assertThat(fieldNames(reaction))
            .containsExactly("type", "thread", "seq", "target", "user", "emoji", "on", "ts");
        assertThat(reaction.get("emoji").asText()).isEqualTo("👍");
        assertThat(reaction.get("on").asBoolean()).isTrue();
        assertThat(fieldNames(got.get(4))).containsExactly("type", "thread", "seq", "target", "user", "ts");
        assertThat(got.get(4).get("target").asLong()).isEqualTo(1);
      }
    }

    JsonNode history = server.get("/api/threads/" + g + "/messages", bob.access()).json();
    JsonNode messages = history.get("messages");
    assertThat(messages).hasSize(2);
    JsonNode gone = messages.get(0);
    assertThat(gone.get("deleted").asBoolean()).isTrue();
    assertThat(gone.has("body")).isFalse();
    assertThat(gone.has("attachments")).isFalse();
    assertThat(messages.get(1).get("replyTo").asLong()).isEqualTo(1);

    JsonNode list = server.get("/api/threads", bob.access()).json().get("threads").get(0);
    assertThat(list.get("lastMessage").get("seq").asLong()).isEqualTo(2);
    assertThat(list.get("unread").asLong()).isZero();
    assertThat(server.get("/api/threads", alice.access()).json().get("threads").get(0)
        .get("unread").asLong()).isEqualTo(1);

    // sync replays the entries as they stand now
    try (WsClient b = server.connect(bob.access())) {
      b.send("{\"type\":\"sync\",\"id\":\"y\",\"threads\":{\"" + g + "\":0}}");
      assertThat(b.awaitId("y").get("type").asText()).isEqualTo("synced");
      List<JsonNode> replay = entries(b, g);
      assertThat(replay).extracting(n -> n.get("seq").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L);
      assertThat(replay.get(0).get("deleted").asBoolean()).isTrue();
      assertThat(replay.get(0).has("body")).isFalse();
      assertThat(replay.get(0).has("attachments")).isFalse();
      assertThat(replay.get(2).get("type").asText()).isEqualTo("edited");
      assertThat(replay.get(2).has("body")).isFalse();

      // from seq 3 on: changes to messages at or below 3 are replayed too
      b.send("{\"type\":\"sync\",\"id\":\"y3\",\"threads\":{\"" + g + "\":3}}");
      b.awaitId("y3");
      assertThat(entries(b, g).subList(5, entries(b, g).size()))
          .extracting(n -> n.get("type").asText()).containsExactly("reaction", "deleted");
    }
  }

  @Test
  void historyShowsEditsAndReactionsInTheirCurrentState() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    String g = server.group(alice, "tea", bob);
    try (WsClient a = server.connect(alice.access()); WsClient b = server.connect(bob.access())) {
      a.send(sendFrame("s1", g, "v1", null));
      a.awaitId("s1");
      a.send(edit("e1", g, 1, "v2"));
      a.awaitId("e1");
      b.send(react("r1", g, 1, "🎉", true));
      b.awaitId("r1");
      a.send(react("r2", g, 1, "🎉", true));
      a.awaitId("r2");
      b.send(sendFrame("s2", g, "next", null));
      b.awaitId("s2");
    }
    JsonNode page = server.get("/api/threads/" + g + "/messages?limit=1", bob.access()).json();
    assertThat(page.get("messages").get(0).get("seq").asLong()).isEqualTo(5);
    assertThat(page.get("hasMore").asBoolean()).isTrue();
    JsonNode first = server.get("/api/threads/" + g + "/messages?before=5&limit=1", bob.access())
        .json().get("messages").get(0);
    assertThat(first.get("seq").asLong()).isEqualTo(1);
    assertThat(first.get("body").asText()).isEqualTo("v2");
    assertThat(first.get("editedAt").asLong()).isPositive();
    assertThat(first.get("reactions").get("🎉")).extracting(JsonNode::asText)
        .containsExactly(bob.id(), alice.id());
    JsonNode after = server.get("/api/threads/" + g + "/messages?after=1", bob.access()).json();
    assertThat(after.get("messages")).extracting(m -> m.get("seq").asLong()).containsExactly(5L);
  }

  @Test
  void everyBadInputGetsItsErrorStoresNothingAndKeepsTheConnection() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    Account eve = user(server, "eve");
    String g = server.group(alice, "tea", bob);
    String other = server.group(alice, "other", bob);
    try (WsClient a = server.connect(alice.access()); WsClient b = server.connect(bob.access());
         WsClient e = server.connect(eve.access())) {
      for (int i = 1; i <= 8; i++) {
        a.send(sendFrame("o" + i, other, "elsewhere " + i, null));
        a.awaitId("o" + i);
      }
      a.send(sendFrame("s1", g, "first", null));
      a.awaitId("s1");
      a.send(edit("e1", g, 1, "first!"));
      a.awaitId("e1");
      b.send(sendFrame("s3", g, "bob's", null));
      b.awaitId("s3");
      b.send(sendFrame("s4", g, "to delete", null));
      b.awaitId("s4");
      b.send(delete("d4", g, 4));
      b.awaitId("d4");
      long before = lastSeq(alice, g);
      assertThat(before).isEqualTo(5);

      refused(a, edit("x1", g, 7, "x"), "not_found", alice, g, before); // a seq of the other thread only
      refused(a, edit("x2", g, 2, "x"), "not_found", alice, g, before); // a change entry
      refused(a, react("x3", g, 5, "👍", true), "not_found", alice, g, before); // a change entry
      refused(a, delete("x4", g, 99), "not_found", alice, g, before);
      refused(a, reply("x5", g, "re", 2), "not_found", alice, g, before); // replyTo a change
      refused(a, reply("x6", g, "re", 42), "not_found", alice, g, before); // replyTo a missing seq
      refused(b, edit("x7", g, 4, "x"), "conflict", alice, g, before); // a deleted message
      refused(b, react("x8", g, 4, "👍", true), "conflict", alice, g, before);
      refused(b, delete("x9", g, 4), "conflict", alice, g, before);
      refused(b, edit("x10", g, 1, "not mine"), "forbidden", alice, g, before);
      refused(a, edit("x11", g, 1, ""), "bad_request", alice, g, before);
      refused(a, edit("x12", g, 1, "x".repeat(16_385)), "too_large", alice, g, before);
      refused(b, react("x13", g, 1, "x".repeat(33), true), "bad_request", alice, g, before);
      refused(b, react("x14", g, 1, "👍 ", true), "bad_request", alice, g, before);
      refused(b, react("x15", g, 1, "", true), "bad_request", alice, g, before);
      refused(b, react("x16", g, 1, "\u3000", true), "bad_request", alice, g, before);
      refused(e, react("x17", g, 1, "👍", true), "forbidden", alice, g, before); // not a member
      refused(e, edit("x18", "no-such-thread", 1, "x"), "not_found", alice, g, before);
      refused(b, "{\"type\":\"react\",\"id\":\"x19\",\"thread\":\"" + g + "\",\"target\":\"1\",\"emoji\":\"a\",\"on\":true}",
          "bad_request", alice, g, before);
      refused(b, "{\"type\":\"react\",\"id\":\"x20\",\"thread\":\"" + g + "\",\"target\":1,\"emoji\":\"a\",\"on\":\"yes\"}",
          "bad_request", alice, g, before);

      // the 21st distinct emoji of one user on one message
      for (int i = 1; i <= 20; i++) {
        b.send(react("ok" + i, g, 1, "e" + i, true));
        assertThat(b.awaitId("ok" + i).get("type").asText()).isEqualTo("ack");
      }
      long full = lastSeq(alice, g);
      refused(b, react("x21", g, 1, "e21", true), "bad_request", alice, g, full);
    }
  }

  /** The frame gets an error with the code, nothing is stored, and a ping is still answered. */
  private static void refused(WsClient ws, String frame, String code, Account viewer, String thread,
                              long lastSeq) {
    ws.send(frame);
    String id = TestServer.JSON.valueToTree(readId(frame)).asText();
    JsonNode answer = ws.awaitId(id);
    assertThat(answer.get("type").asText()).as(frame).isEqualTo("error");
    assertThat(answer.get("code").asText()).as(frame).isEqualTo(code);
    assertThat(lastSeq(viewer, thread)).as("nothing stored for " + frame).isEqualTo(lastSeq);
    ws.send("{\"type\":\"ping\",\"id\":\"p-" + id + "\"}");
    assertThat(ws.awaitId("p-" + id).get("type").asText()).isEqualTo("pong");
  }

  private static String readId(String frame) {
    try {
      return TestServer.JSON.readTree(frame).get("id").asText();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void restTwinsFollowTheSameRulesAndDeliverTheSameEntries() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    String g = server.group(alice, "tea", bob);
    Chat.post(server, alice, g, "typo");
    try (WsClient b = server.connect(bob.access())) {
      TestServer.Response edited = server.request("PATCH", "/api/threads/" + g + "/messages/1",
          alice.access(), "{\"body\":\"fixed\"}");
      assertThat(edited.status()).as(edited.body()).isEqualTo(200);
      assertThat(edited.json().get("body").asText()).isEqualTo("fixed");
      assertThat(edited.json().get("editedAt").asLong()).isPositive();
      assertThat(edited.json().get("seq").asLong()).isEqualTo(1);

      String thumbs = "/api/threads/" + g + "/messages/1/reactions/"
          + URLEncoder.encode("👍", StandardCharsets.UTF_8);
      assertThat(server.request("PUT", thumbs, bob.access(), null).status()).isEqualTo(204);
      assertThat(server.request("PUT", thumbs, bob.access(), null).status()).isEqualTo(204);
      assertThat(lastSeq(alice, g)).as("a repeated reaction stores nothing").isEqualTo(3);
      assertThat(server.request("DELETE", thumbs, bob.access(), null).status()).isEqualTo(204);

      assertThat(server.request("PATCH", "/api/threads/" + g + "/messages/1", bob.access(),
          "{\"body\":\"mine now\"}").status()).isEqualTo(403);
      assertThat(server.request("PATCH", "/api/threads/" + g + "/messages/2", alice.access(),
          "{\"body\":\"x\"}").status()).isEqualTo(404);
      assertThat(server.request("PATCH", "/api/threads/" + g + "/messages/x", alice.access(),
          "{\"body\":\"x\"}").status()).isEqualTo(400);
      assertThat(server.request("PUT", "/api/threads/" + g + "/messages/1/reactions/a%20b",
          bob.access(), null).status()).isEqualTo(400);
      assertThat(server.request("DELETE", "/api/threads/" + g + "/messages/1", bob.access(), null)
          .status()).isEqualTo(403);
      assertThat(server.request("DELETE", "/api/threads/" + g + "/messages/1", alice.access(), null)
          .status()).isEqualTo(204);
      assertThat(server.request("DELETE", "/api/threads/" + g + "/messages/1", alice.access(), null)
          .status()).isEqualTo(409);
      TestServer.Response r = server.post("/api/threads/" + g + "/messages", bob.access(),
          "{\"body\":\"re\",\"replyTo\":1}");
      assertThat(r.status()).isEqualTo(201);
      assertThat(r.json().get("replyTo").asLong()).isEqualTo(1);
      assertThat(server.post("/api/threads/" + g + "/messages", bob.access(),
          "{\"body\":\"re\",\"replyTo\":2}").status()).isEqualTo(404);

      awaitEntry(b, g, 6);
      assertThat(entries(b, g)).extracting(n -> n.get("type").asText())
          .containsExactly("edited", "reaction", "reaction", "deleted", "message");
      assertThat(entries(b, g).get(2).get("on").asBoolean()).isFalse();
    }
  }

  @Test
  void changesCountAgainstTheSendRateLimit() {
    try (TestServer limited = TestServer.start(c -> c.rateLimit(0.01).rateBurst(3))) {
      Account alice = Chat.user(limited, "alice");
      String g = limited.group(alice, "tea");
      try (WsClient a = limited.connect(alice.access())) {
        a.send(sendFrame("s1", g, "one", null));
        assertThat(a.awaitId("s1").get("type").asText()).isEqualTo("ack");
        a.send(edit("e1", g, 1, "one!"));
        assertThat(a.awaitId("e1").get("type").asText()).isEqualTo("ack");
        a.send(react("r1", g, 1, "👍", true));
        assertThat(a.awaitId("r1").get("type").asText()).isEqualTo("ack");
        a.send(delete("d1", g, 1));
        JsonNode refused = a.awaitId("d1");
        assertThat(refused.get("code").asText()).isEqualTo("rate_limited");
      }
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
