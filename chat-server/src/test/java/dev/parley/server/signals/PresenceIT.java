package dev.parley.server.signals;

import static dev.parley.server.signals.Signals.answer;
import static dev.parley.server.signals.Signals.assertNoneArrives;
import static dev.parley.server.signals.Signals.awaitFrame;
import static dev.parley.server.signals.Signals.count;
import static dev.parley.server.signals.Signals.nextId;
import static dev.parley.server.signals.Signals.presence;
import static dev.parley.server.signals.Signals.presenceAbout;
import static dev.parley.server.signals.Signals.presenceQuery;
import static dev.parley.server.signals.Signals.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.WsClient;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Presence events and queries on one server with a short grace. The grace is 1 s rather than a
 * few hundred ms so that a reconnect on a loaded two-core CI machine still falls inside it; the
 * tests that wait for "offline" pay it once each.
 */
class PresenceIT {
  private static final Duration GRACE = Duration.ofSeconds(1);
  @RegisterExtension
  static final TestServer server = TestServer.perClass(b -> b.presenceGrace(GRACE));

  private static String status(WsClient ws, String userId) {
    String id = nextId("q");
    ws.send(presenceQuery(id, userId));
    return answer(ws, id).path("users").path(userId).asText();
  }

  @Test
  void aMemberSeesAUserComeOnlineOnceAndGoOfflineAfterTheLastConnection() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    Account carol = user(server, "carol");
    server.group(bob, "tea", alice);
    server.group(alice, "coffee", bob); // two shared threads, still one event each way
    try (WsClient watcher = server.connect(bob.access());
         WsClient outsider = server.connect(carol.access())) {
      WsClient a1 = server.connect(alice.access());
      JsonNode online = awaitFrame(watcher, presence(alice.id(), "online"));
      assertThat(online.has("id")).isFalse();
      assertThat(online.get("status").asText()).isEqualTo("online");

      WsClient a2 = server.connect(alice.access());
      // a second connection of the same user is no news: a2's round trip means the server has
      // registered it, then the watcher's round trip is the barrier for anything that queued
      Signals.roundTrip(a2);
      Signals.roundTrip(watcher);
      assertThat(count(watcher, presence(alice.id(), "online"))).isEqualTo(1);

      a1.close();
      // one connection is still open: no offline, not even after the grace
      Awaitility.await().during(GRACE.plusMillis(500)).atMost(GRACE.plusSeconds(5))
          .pollInterval(Duration.ofMillis(25))
          .until(() -> count(watcher, presence(alice.id(), "offline")) == 0);
      assertThat(status(watcher, alice.id())).isEqualTo("online");

      a2.close();
      awaitFrame(watcher, presence(alice.id(), "offline"));
      assertThat(status(watcher, alice.id())).isEqualTo("offline");
      assertThat(count(watcher, presence(alice.id(), "online"))).isEqualTo(1);
      assertThat(count(watcher, presence(alice.id(), "offline"))).isEqualTo(1);

      // a user who shares no thread with alice hears nothing about her
      assertThat(Signals.matching(outsider, presenceAbout(alice.id()))).isEmpty();
    }
  }

  @Test
  void aQuickReconnectWithinTheGraceDoesNotFlap() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    server.group(alice, "tea", bob);
    try (WsClient watcher = server.connect(bob.access())) {
      WsClient first = server.connect(alice.access());
      awaitFrame(watcher, presence(alice.id(), "online"));

      first.close();
      try (WsClient again = server.connect(alice.access())) {
        // longer than the grace: the departure was cancelled, not merely late
        Awaitility.await().during(GRACE.plusMillis(500)).atMost(GRACE.plusSeconds(5))
            .pollInterval(Duration.ofMillis(25))
            .until(() -> count(watcher, presenceAbout(alice.id())) == 1);
        assertThat(Signals.matching(watcher, presenceAbout(alice.id())))
            .extracting(n -> n.get("status").asText()).containsExactly("online");
        assertThat(status(watcher, alice.id())).isEqualTo("online");
      }
      // the reconnected connection was the last: now she goes
      awaitFrame(watcher, presence(alice.id(), "offline"));
    }
  }

  @Test
  void aConnectionThatDropsWithoutAClosingHandshakeStillGoesOffline() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    server.group(alice, "tea", bob);
    try (WsClient watcher = server.connect(bob.access())) {
      WsClient a = server.connect(alice.access());
      awaitFrame(watcher, presence(alice.id(), "online"));
      a.socket().abort(); // the TCP connection just goes away
      awaitFrame(watcher, presence(alice.id(), "offline"));
      assertThat(status(watcher, alice.id())).isEqualTo("offline");
    }
  }

  @Test
  void aUsersOwnConnectionsGetNoPresenceEventsAboutThemselves() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    server.group(alice, "tea", bob);
    try (WsClient a1 = server.connect(alice.access());
         WsClient b = server.connect(bob.access())) {
      awaitFrame(a1, presence(bob.id(), "online")); // a1 does get events, about others
      try (WsClient a2 = server.connect(alice.access());
           WsClient a3 = server.connect(alice.access())) {
        // more connections of alice: none of hers hears of herself (a round trip on a2 and a3
        // means the server registered them before assertNoneArrives pings a1)
        assertNoneArrives(presenceAbout(alice.id()), a2, a3, a1);
      }
      // bob's own connection saw alice arrive (before b opened, so nothing) and nothing about himself
      assertNoneArrives(presenceAbout(bob.id()), b);
    }
  }

  @Test
  void presenceQueryAnswersOnlineAndOfflineIncludingUnknownIds() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    Account carol = user(server, "carol");
    Account dave = user(server, "dave");
    server.group(alice, "tea", bob);
    try (WsClient a = server.connect(alice.access());
         WsClient b = server.connect(bob.access());
         WsClient d = server.connect(dave.access())) {
      String id = nextId("q");
      // dave shares no thread with alice: any user id may be queried
      a.send(presenceQuery(id, bob.id(), carol.id(), dave.id(), alice.id(), "no-such-user"));
      JsonNode answer = answer(a, id);
      assertThat(answer.get("type").asText()).isEqualTo("presence");
      JsonNode users = answer.get("users");
      assertThat(users.isObject()).isTrue();
      assertThat(users.size()).isEqualTo(5);
      assertThat(users.get(bob.id()).asText()).isEqualTo("online");
      assertThat(users.get(carol.id()).asText()).isEqualTo("offline");
      assertThat(users.get(dave.id()).asText()).isEqualTo("online");
      assertThat(users.get(alice.id()).asText()).isEqualTo("online");
      assertThat(users.get("no-such-user").asText()).isEqualTo("offline");

      b.close();
      awaitFrame(a, presence(bob.id(), "offline"));
      assertThat(status(a, bob.id())).isEqualTo("offline");

      // a query without an id is answered without one
      a.send("{\"type\":\"presence\",\"users\":[\"" + carol.id() + "\"]}");
      JsonNode anonymous = awaitFrame(a, n -> "presence".equals(n.path("type").asText()) && n.has("users")
          && n.get("users").has(carol.id()) && !n.has("id"));
      assertThat(anonymous.get("users").get(carol.id()).asText()).isEqualTo("offline");
      assertThat(d.isClosed()).isFalse();
    }
  }
}
