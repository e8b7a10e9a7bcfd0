package dev.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The web client keeps a conversation going across dropped connections and expiring tokens. */
@ExtendWith(Browsers.class)
class BrowserReconnectIT {
  private static final String RECORD_STATES =
      "window.states = []; window.parley.conn.addEventListener('state', e => window.states.push(e.detail));";

  private TestServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private ChatPage signedIn(Browsers browsers, TestServer.Account account, String peer) {
    ChatPage page = new ChatPage(browsers.open(account.username(), 1280, 800), server).open();
    page.login(account.username());
    page.openThread(peer);
    return page;
  }

  private String directThread(TestServer.Account from, TestServer.Account to) {
    return server.direct(from, to);
  }

  private void post(TestServer.Account from, String thread, String body) {
    TestServer.Response r = server.post("/api/threads/" + thread + "/messages", from.access(),
        "{\"body\":\"" + body + "\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  @SuppressWarnings("unchecked")
  private static List<String> states(ChatPage page) {
    return (List<String>) page.script("return window.states;");
  }

  @Test
  void reconnectsAfterAServerRestartGetsMissedMessagesAndSendsWhatWasPending(Browsers browsers) {
    server = TestServer.start();
    TestServer.Account alice = server.register("alice");
    TestServer.Account bob = server.register("bob");
    String thread = directThread(alice, bob);
    post(bob, thread, "before the restart");
    ChatPage a = signedIn(browsers, alice, "bob");
    ChatPage b = signedIn(browsers, bob, "alice");
    a.awaitMessage("before the restart");
    a.script(RECORD_STATES);

    server.restart(() -> {
      // the server is down: alice's client says so and keeps what she sends
      a.await().until(d -> !"connected".equals(a.connectionState()));
      a.send("written while offline");
      assertThat(a.messageStatus("written while offline")).isEqualTo("pending");
    });
    // bob writes before alice's client is back (its backoff has grown while the server was down)
    post(bob, thread, "missed 1");
    post(bob, thread, "missed 2");
    post(bob, thread, "missed 3");

    a.awaitConnection("connected");
    a.awaitMessage("missed 3");
    a.awaitMessageStatus("written while offline", "sent");
    b.awaitMessage("written while offline");
    assertThat(a.bodies()).containsSubsequence("before the restart", "missed 1", "missed 2", "missed 3");
    for (String body : List.of("before the restart", "missed 1", "missed 2", "missed 3", "written while offline")) {
      assertThat(a.countMessages(body)).as(body).isEqualTo(1);
    }
    assertThat(b.countMessages("written while offline")).isEqualTo(1);
    assertThat(states(a)).contains("reconnecting").last().isEqualTo("connected");
    // the other side of the conversation sees the same history, once
    TestServer.Response history = server.get("/api/threads/" + thread + "/messages", alice.access());
    assertThat(history.json().get("messages")).hasSize(5);
  }

  @Test
  void reconnectsWhenTheSocketIsDroppedAndSyncsTheGap(Browsers browsers) {
    server = TestServer.start();
    TestServer.Account alice = server.register("alice");
    TestServer.Account bob = server.register("bob");
    String thread = directThread(alice, bob);
    ChatPage a = signedIn(browsers, alice, "bob");
    a.script(RECORD_STATES);

    // a drop the server has not noticed yet: whatever arrives meanwhile comes back through sync
    a.script("window.parley.conn.drop();");
    post(bob, thread, "while dropped");
    a.awaitMessage("while dropped");
    a.awaitConnection("connected");
    assertThat(a.countMessages("while dropped")).isEqualTo(1);
    assertThat(states(a)).contains("reconnecting").last().isEqualTo("connected");
  }

  @Test
  void keepsTheConnectionAcrossTokenRefreshes(Browsers browsers) {
    server = TestServer.start(b -> b.tokenTtl(Duration.ofSeconds(4)).tokenGrace(Duration.ofSeconds(1)));
    TestServer.Account alice = server.register("alice");
    TestServer.Account bob = server.register("bob");
    String thread = directThread(alice, bob);
    ChatPage a = signedIn(browsers, alice, "bob");
    a.script(RECORD_STATES + "window.tokens = [];"
        + "window.parley.api.addEventListener('tokens', e => window.tokens.push(e.detail));");

    // three refreshes outlive the first token's lifetime and grace by far
    a.await().withTimeout(Duration.ofSeconds(30))
        .until(d -> ((Number) a.script("return window.tokens.length;")).intValue() >= 3);
    TestServer.Response login = server.post("/api/auth/login", null,
        "{\"username\":\"bob\",\"password\":\"" + TestServer.PASSWORD + "\"}");
    TestServer.Account bobNow = new TestServer.Account(bob.id(), "bob",
        login.json().get("access").asText(), login.json().get("refresh").asText());
    post(bobNow, thread, "still here?");
    a.awaitMessage("still here?");
    assertThat(states(a)).as("the socket never dropped").isEmpty();
  }
}
