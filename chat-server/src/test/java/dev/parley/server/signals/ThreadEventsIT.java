package dev.parley.server.signals;

import static dev.parley.server.signals.Signals.aboutThread;
import static dev.parley.server.signals.Signals.answer;
import static dev.parley.server.signals.Signals.assertNoneArrives;
import static dev.parley.server.signals.Signals.awaitFrame;
import static dev.parley.server.signals.Signals.message;
import static dev.parley.server.signals.Signals.nextId;
import static dev.parley.server.signals.Signals.readEvent;
import static dev.parley.server.signals.Signals.readFrame;
import static dev.parley.server.signals.Signals.sendFrame;
import static dev.parley.server.signals.Signals.typing;
import static dev.parley.server.signals.Signals.typingFrame;
import static dev.parley.server.signals.Signals.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.TestServer.Response;
import dev.parley.server.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Joining and leaving a group while connected: the thread and removed events, and what follows them. */
class ThreadEventsIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  private static List<String> memberIds(JsonNode thread) {
    List<String> out = new ArrayList<>();
    thread.get("members").forEach(m -> out.add(m.get("id").asText()));
    return out;
  }

  @Test
  void anAddedUserGetsTheThreadAndThenItsSignalsLiveWithoutReconnecting() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    Account dave = user(server, "dave");
    String g = server.group(alice, "tea", bob);
    try (WsClient a = server.connect(alice.access());
         WsClient b = server.connect(bob.access());
         WsClient d1 = server.connect(dave.access());
         WsClient d2 = server.connect(dave.access())) {
      a.send(sendFrame("before", g, "before dave", null));
      awaitFrame(b, message(g));

      Response added = server.post("/api/threads/" + g + "/members", alice.access(),
          "{\"userId\":\"" + dave.id() + "\"}");
      assertThat(added.status()).as(added.body()).isEqualTo(200);

      for (WsClient ws : new WsClient[] {d1, d2}) {
        JsonNode event = awaitFrame(ws, n -> "thread".equals(n.path("type").asText()));
        JsonNode thread = event.get("thread");
        assertThat(thread.get("id").asText()).isEqualTo(g);
        assertThat(thread.get("kind").asText()).isEqualTo("group");
        assertThat(thread.get("title").asText()).isEqualTo("tea");
        assertThat(memberIds(thread)).containsExactlyInAnyOrder(alice.id(), bob.id(), dave.id());
        assertThat(thread.get("lastSeq").asLong()).isEqualTo(1);
      }
      // the earlier message is history, not pushed
      assertThat(Signals.matching(d1, message(g))).isEmpty();

      b.send(sendFrame("after", g, "welcome dave", null));
      for (WsClient ws : new WsClient[] {d1, d2}) {
        JsonNode m = awaitFrame(ws, message(g));
        assertThat(m.get("seq").asLong()).isEqualTo(2);
        assertThat(m.get("body").asText()).isEqualTo("welcome dave");
      }
      b.send(typingFrame(g));
      awaitFrame(d1, typing(g, bob.id()));
      a.send(readFrame(null, g, 2));
      awaitFrame(d1, readEvent(g, alice.id()));

      // and dave may speak in it at once
      d1.send(sendFrame("d", g, "thanks", null));
      assertThat(answer(d1, "d").get("type").asText()).isEqualTo("ack");
      awaitFrame(a, message(g).and(n -> dave.id().equals(n.path("sender").asText())));
    }
  }

  @Test
  void aRemovedUserGetsRemovedAndNothingMoreOfThatThread() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    Account dave = user(server, "dave");
    String g = server.group(alice, "tea", bob, dave);
    String barrier = server.group(bob, "barrier", dave);
    try (WsClient a = server.connect(alice.access());
         WsClient b = server.connect(bob.access());
         WsClient d1 = server.connect(dave.access());
         WsClient d2 = server.connect(dave.access())) {
      b.send(sendFrame("m1", g, "one", null));
      awaitFrame(d1, message(g));
      awaitFrame(d2, message(g));

      Response removed = server.request("DELETE", "/api/threads/" + g + "/members/" + dave.id(),
          alice.access(), null);
      assertThat(removed.status()).as(removed.body()).isEqualTo(204);
      for (WsClient ws : new WsClient[] {d1, d2}) {
        JsonNode event = awaitFrame(ws, n -> "removed".equals(n.path("type").asText()));
        assertThat(event.get("thread").asText()).isEqualTo(g);
      }
      int before1 = Signals.matching(d1, aboutThread(g)).size();
      int before2 = Signals.matching(d2, aboutThread(g)).size();

      // everything that happens in g now passes dave by
      b.send(sendFrame("m2", g, "two", null));
      a.send(typingFrame(g));
      b.send(typingFrame(g));
      a.send(readFrame(null, g, 2));
      awaitFrame(a, message(g).and(n -> n.get("seq").asLong() == 2));
      awaitFrame(b, readEvent(g, alice.id()));
      awaitFrame(b, typing(g, alice.id()));

      // a later message in another thread reaches dave: anything of g sent earlier would be there by now
      b.send(sendFrame("m3", barrier, "still here", null));
      awaitFrame(d1, message(barrier));
      awaitFrame(d2, message(barrier));
      assertThat(Signals.matching(d1, aboutThread(g))).hasSize(before1);
      assertThat(Signals.matching(d2, aboutThread(g))).hasSize(before2);

      // and he can no longer act in it
      String id = nextId("s");
      d1.send(sendFrame(id, g, "let me back", null));
      JsonNode error = answer(d1, id);
      assertThat(error.get("type").asText()).isEqualTo("error");
      assertThat(error.get("code").asText()).isEqualTo("forbidden");
      String typingId = nextId("t");
      d1.send("{\"type\":\"typing\",\"id\":\"" + typingId + "\",\"thread\":\"" + g + "\"}");
      assertThat(answer(d1, typingId).get("code").asText()).isEqualTo("forbidden");
      assertNoneArrives(typing(g, dave.id()), a, b);
    }
  }

  @Test
  void aUserLeavingByThemselvesIsRemovedToo() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    String g = server.group(alice, "tea", bob);
    try (WsClient a = server.connect(alice.access());
         WsClient b = server.connect(bob.access())) {
      Response left = server.request("DELETE", "/api/threads/" + g + "/members/" + bob.id(), bob.access(), null);
      assertThat(left.status()).as(left.body()).isEqualTo(204);
      assertThat(awaitFrame(b, n -> "removed".equals(n.path("type").asText())).get("thread").asText())
          .isEqualTo(g);
      a.send(sendFrame("x", g, "anyone?", null));
      awaitFrame(a, message(g));
      assertNoneArrives(message(g), b);
    }
  }
}
