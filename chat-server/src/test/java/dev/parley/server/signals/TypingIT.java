package dev.parley.server.signals;

import static dev.parley.server.signals.Signals.answer;
import static dev.parley.server.signals.Signals.assertNoneArrives;
import static dev.parley.server.signals.Signals.awaitFrame;
import static dev.parley.server.signals.Signals.count;
import static dev.parley.server.signals.Signals.ofType;
import static dev.parley.server.signals.Signals.roundTrip;
import static dev.parley.server.signals.Signals.typing;
import static dev.parley.server.signals.Signals.typingFrame;
import static dev.parley.server.signals.Signals.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Typing signals: relayed to the other members only, never stored, rate-limited silently. */
class TypingIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void typingReachesOtherMembersButNotTheSenderOrOutsiders() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    Account carol = user(server, "carol");
    String g = server.group(alice, "tea", bob);
    server.group(alice, "elsewhere", carol); // carol is connected to alice, but not through g
    try (WsClient a1 = server.connect(alice.access());
         WsClient a2 = server.connect(alice.access());
         WsClient b1 = server.connect(bob.access());
         WsClient b2 = server.connect(bob.access());
         WsClient c = server.connect(carol.access())) {
      a1.send(typingFrame(g));

      for (WsClient ws : new WsClient[] {b1, b2}) {
        JsonNode t = awaitFrame(ws, typing(g, alice.id()));
        assertThat(t.get("type").asText()).isEqualTo("typing");
        assertThat(t.has("id")).isFalse();
      }
      // typing has no answer, not even an ack
      roundTrip(a1);
      assertThat(a1.received()).noneMatch(ofType("ack")).noneMatch(ofType("error"));

      // bob types back: alice's connections get it, so anything of alice's own would have come first
      b1.send(typingFrame(g));
      awaitFrame(a1, typing(g, bob.id()));
      awaitFrame(a2, typing(g, bob.id()));
      assertNoneArrives(ofType("typing").and(n -> alice.id().equals(n.path("user").asText())), a1, a2);
      assertNoneArrives(ofType("typing"), c);
      assertNoneArrives(typing(g, bob.id()), b1, b2);

      // nothing was stored: the thread has no messages
      TestServer.Response history = server.get("/api/threads/" + g + "/messages", alice.access());
      assertThat(history.status()).isEqualTo(200);
      assertThat(history.json().get("messages")).isEmpty();
    }
  }

  @Test
  void anOutsiderCannotTypeInAThread() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    Account mallory = user(server, "mallory");
    String g = server.group(alice, "tea", bob);
    try (WsClient b = server.connect(bob.access());
         WsClient m = server.connect(mallory.access())) {
      m.send("{\"type\":\"typing\",\"id\":\"t1\",\"thread\":\"" + g + "\"}");
      JsonNode error = answer(m, "t1");
      assertThat(error.get("type").asText()).isEqualTo("error");
      assertThat(error.get("code").asText()).isEqualTo("forbidden");
      assertNoneArrives(ofType("typing"), b);

      m.send("{\"type\":\"typing\",\"id\":\"t2\",\"thread\":\"no-such-thread\"}");
      assertThat(answer(m, "t2").get("code").asText()).isEqualTo("not_found");
    }
  }

  @Test
  void aBurstOfTypingIsRateLimitedAndDroppedSilently() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    String g = server.group(alice, "tea", bob);
    int burst = 30;
    try (WsClient a = server.connect(alice.access());
         WsClient b = server.connect(bob.access())) {
      for (int i = 0; i < burst; i++) {
        a.send(typingFrame(g));
      }
      roundTrip(a); // every typing frame has been handled

      // every relay was queued to b before a's pong; b's own round trip is the barrier for them
      roundTrip(b);
      // what is relayed is well below what was sent
      assertThat(count(b, typing(g, alice.id()))).isBetween(1L, (long) burst / 2 - 1);

      // dropped silently: no error, and the connection stays usable
      assertThat(a.received()).noneMatch(ofType("error"));
      assertThat(a.isClosed()).isFalse();
      roundTrip(a);
    }
  }
}
