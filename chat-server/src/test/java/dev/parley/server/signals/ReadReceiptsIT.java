package dev.parley.server.signals;

import static dev.parley.server.signals.Signals.answer;
import static dev.parley.server.signals.Signals.assertNoneArrives;
import static dev.parley.server.signals.Signals.awaitFrame;
import static dev.parley.server.signals.Signals.count;
import static dev.parley.server.signals.Signals.nextId;
import static dev.parley.server.signals.Signals.readEvent;
import static dev.parley.server.signals.Signals.readFrame;
import static dev.parley.server.signals.Signals.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.TestServer.Response;
import dev.parley.server.testing.WsClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Read positions: the WebSocket and REST ways to move them, the events, unread counts, readBy, restarts. */
class ReadReceiptsIT {
  private TestServer server;

  @BeforeEach
  void start() {
    // one server per test: one of them restarts it
    server = TestServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void post(Account from, String thread, int count) {
    for (int i = 0; i < count; i++) {
      Response r = server.post("/api/threads/" + thread + "/messages", from.access(),
          "{\"body\":\"m" + i + "\"}");
      assertThat(r.status()).as(r.body()).isEqualTo(201);
    }
  }

  private JsonNode read(WsClient ws, String thread, long seq) {
    String id = nextId("r");
    ws.send(readFrame(id, thread, seq));
    JsonNode ack = answer(ws, id);
    assertThat(ack.get("type").asText()).as(ack.toString()).isEqualTo("ack");
    assertThat(ack.get("thread").asText()).isEqualTo(thread);
    return ack;
  }

  private long unread(Account who, String thread) {
    Response r = server.get("/api/threads", who.access());
    assertThat(r.status()).isEqualTo(200);
    for (JsonNode t : r.json().get("threads")) {
      if (thread.equals(t.get("id").asText())) {
        return t.get("unread").asLong();
      }
    }
    throw new AssertionError("thread " + thread + " not listed: " + r.body());
  }

  /** seq to the readBy user ids of each message in the thread's history, as {@code who} sees it. */
  private Map<Long, List<String>> readBy(Account who, String thread) {
    Response r = server.get("/api/threads/" + thread + "/messages", who.access());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    Map<Long, List<String>> out = new LinkedHashMap<>();
    for (JsonNode m : r.json().get("messages")) {
      assertThat(m.has("readBy")).as(m.toString()).isTrue();
      List<String> ids = new ArrayList<>();
      m.get("readBy").forEach(u -> ids.add(u.asText()));
      out.put(m.get("seq").asLong(), ids);
    }
    return out;
  }

  @Test
  void readIsAckedWithTheStoredPositionAndRelayedToEveryoneButTheSendingConnection() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    Account carol = user(server, "carol");
    String g = server.group(bob, "tea", alice);
    server.group(bob, "elsewhere", carol);
    post(bob, g, 5);
    try (WsClient a1 = server.connect(alice.access());
         WsClient a2 = server.connect(alice.access());
         WsClient b = server.connect(bob.access());
         WsClient c = server.connect(carol.access())) {
      JsonNode ack = read(a1, g, 3);
      assertThat(ack.get("seq").asLong()).isEqualTo(3);
      assertThat(ack.has("messageId")).isFalse();

      for (WsClient ws : new WsClient[] {a2, b}) {
        JsonNode event = awaitFrame(ws, readEvent(g, alice.id()));
        assertThat(event.get("seq").asLong()).isEqualTo(3);
        assertThat(event.has("id")).isFalse();
      }
      assertNoneArrives(readEvent(g, alice.id()), a1, c);

      // a lower position later is ignored: the ack says where it stands, nobody hears of it
      JsonNode lower = read(a2, g, 2);
      assertThat(lower.get("seq").asLong()).isEqualTo(3);
      // the ack follows the publish: a round trip on each connection is the barrier
      for (WsClient ws : new WsClient[] {a1, a2, b}) {
        Signals.roundTrip(ws);
      }
      assertThat(count(a1, readEvent(g, alice.id()))).isZero();
      assertThat(count(a2, readEvent(g, alice.id()))).isEqualTo(1);
      assertThat(count(b, readEvent(g, alice.id()))).isEqualTo(1);

      // moving forward again is relayed again
      assertThat(read(a2, g, 5).get("seq").asLong()).isEqualTo(5);
      awaitFrame(b, readEvent(g, alice.id()).and(n -> n.get("seq").asLong() == 5));
      awaitFrame(a1, readEvent(g, alice.id()).and(n -> n.get("seq").asLong() == 5));
      assertThat(unread(alice, g)).isZero();
    }
  }

  @Test
  void readWithoutIdIsStoredWithoutAnswer() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    String g = server.group(bob, "tea", alice);
    post(bob, g, 2);
    try (WsClient a = server.connect(alice.access());
         WsClient b = server.connect(bob.access())) {
      a.send(readFrame(null, g, 2));
      awaitFrame(b, readEvent(g, alice.id()).and(n -> n.get("seq").asLong() == 2));
      Signals.roundTrip(a);
      assertThat(a.received()).noneMatch(Signals.ofType("ack")).noneMatch(Signals.ofType("error"));
      assertThat(unread(alice, g)).isZero();
    }
  }

  @Test
  void readOfAThreadOfOthersIsForbiddenAndRelaysNothing() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    Account mallory = user(server, "mallory");
    String g = server.group(bob, "tea", alice);
    post(bob, g, 2);
    try (WsClient m = server.connect(mallory.access());
         WsClient b = server.connect(bob.access())) {
      String id = nextId("r");
      m.send(readFrame(id, g, 1));
      JsonNode error = answer(m, id);
      assertThat(error.get("type").asText()).isEqualTo("error");
      assertThat(error.get("code").asText()).isEqualTo("forbidden");

      Response rest = server.post("/api/threads/" + g + "/read", mallory.access(), "{\"seq\":1}");
      assertThat(rest.status()).as(rest.body()).isEqualTo(403);
      assertThat(rest.errorCode()).isEqualTo("forbidden");
      assertNoneArrives(Signals.ofType("read"), b);
    }
  }

  @Test
  void readOfAnUnknownThreadIsNotFoundAndANegativeSeqIsABadRequest() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    String g = server.group(bob, "tea", alice);
    try (WsClient a = server.connect(alice.access())) {
      String unknown = nextId("r");
      a.send(readFrame(unknown, "no-such-thread", 1));
      assertThat(answer(a, unknown).get("code").asText()).isEqualTo("not_found");
      String negative = nextId("r");
      a.send(readFrame(negative, g, -1));
      assertThat(answer(a, negative).get("code").asText()).isEqualTo("bad_request");
      assertThat(a.isClosed()).isFalse();
    }
    Response rest = server.post("/api/threads/no-such-thread/read", alice.access(), "{\"seq\":1}");
    assertThat(rest.status()).as(rest.body()).isEqualTo(404);
    assertThat(rest.errorCode()).isEqualTo("not_found");
    Response negative = server.post("/api/threads/" + g + "/read", alice.access(), "{\"seq\":-1}");
    assertThat(negative.status()).as(negative.body()).isEqualTo(400);
    assertThat(negative.errorCode()).isEqualTo("bad_request");
    Response text = server.post("/api/threads/" + g + "/read", alice.access(), "{\"seq\":\"1\"}");
    assertThat(text.status()).as(text.body()).isEqualTo(400);
  }

  @Test
  void restReadAnswers204AndIsRelayedToEveryConnection() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    String g = server.group(bob, "tea", alice);
    post(bob, g, 4);
    try (WsClient a1 = server.connect(alice.access());
         WsClient a2 = server.connect(alice.access());
         WsClient b = server.connect(bob.access())) {
      Response r = server.post("/api/threads/" + g + "/read", alice.access(), "{\"seq\":2}");
      assertThat(r.status()).as(r.body()).isEqualTo(204);
      // no WebSocket sent it, so every connection of every member hears of it
      for (WsClient ws : new WsClient[] {a1, a2, b}) {
        JsonNode event = awaitFrame(ws, readEvent(g, alice.id()));
        assertThat(event.get("seq").asLong()).isEqualTo(2);
      }
      // the WebSocket sees the position REST stored
      assertThat(read(a1, g, 1).get("seq").asLong()).isEqualTo(2);

      Response bad = server.post("/api/threads/" + g + "/read", alice.access(), "{}");
      assertThat(bad.status()).as(bad.body()).isEqualTo(400);
      assertThat(bad.errorCode()).isEqualTo("bad_request");
    }
  }

  @Test
  void unreadCountsFollowReadPositionsAndIgnoreOnesOwnMessages() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    String g = server.group(bob, "tea", alice);
    assertThat(unread(alice, g)).isZero();
    post(bob, g, 5);
    assertThat(unread(alice, g)).isEqualTo(5);
    assertThat(unread(bob, g)).isZero();

    try (WsClient a = server.connect(alice.access())) {
      read(a, g, 3);
      assertThat(unread(alice, g)).isEqualTo(2);
      read(a, g, 1); // ignored
      assertThat(unread(alice, g)).isEqualTo(2);
    }
    post(alice, g, 1); // seq 6, alice's own
    assertThat(unread(alice, g)).isEqualTo(2);
    assertThat(unread(bob, g)).isEqualTo(1);

    Response r = server.post("/api/threads/" + g + "/read", alice.access(), "{\"seq\":6}");
    assertThat(r.status()).isEqualTo(204);
    assertThat(unread(alice, g)).isZero();
    Response rb = server.post("/api/threads/" + g + "/read", bob.access(), "{\"seq\":6}");
    assertThat(rb.status()).isEqualTo(204);
    assertThat(unread(bob, g)).isZero();
  }

  @Test
  void historyCarriesReadByWithoutTheSender() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    Account carol = user(server, "carol");
    String g = server.group(bob, "tea", alice, carol);
    post(bob, g, 3);   // 1..3 by bob
    post(alice, g, 1); // 4 by alice
    assertThat(readBy(bob, g)).containsExactly(
        Map.entry(1L, List.of()), Map.entry(2L, List.of()), Map.entry(3L, List.of()), Map.entry(4L, List.of()));

    try (WsClient a = server.connect(alice.access());
         WsClient c = server.connect(carol.access());
         WsClient b = server.connect(bob.access())) {
      read(a, g, 4);
      read(c, g, 2);
      read(b, g, 4);
    }
    Map<Long, List<String>> seen = readBy(carol, g);
    assertThat(seen.get(1L)).containsExactlyInAnyOrder(alice.id(), carol.id());
    assertThat(seen.get(2L)).containsExactlyInAnyOrder(alice.id(), carol.id());
    assertThat(seen.get(3L)).containsExactly(alice.id());
    assertThat(seen.get(4L)).containsExactly(bob.id()); // alice read it too, but she sent it
  }

  @Test
  void readPositionsSurviveARestart() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    String g = server.group(bob, "tea", alice);
    post(bob, g, 5);
    try (WsClient a = server.connect(alice.access())) {
      read(a, g, 3);
    }
    assertThat(unread(alice, g)).isEqualTo(2);

    server.restart();

    assertThat(unread(alice, g)).isEqualTo(2);
    assertThat(readBy(bob, g).get(3L)).containsExactly(alice.id());
    assertThat(readBy(bob, g).get(4L)).isEmpty();
    try (WsClient a = server.connect(alice.access())) {
      // still only forward from where it was before the restart
      assertThat(read(a, g, 1).get("seq").asLong()).isEqualTo(3);
      assertThat(read(a, g, 4).get("seq").asLong()).isEqualTo(4);
    }
    assertThat(unread(alice, g)).isEqualTo(1);
  }
}
