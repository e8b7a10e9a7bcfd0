package dev.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** History in the web client: paging while scrolling up, and what survives a reload. */
@ExtendWith(Browsers.class)
class BrowserHistoryIT {
  @RegisterExtension
  final TestServer server = TestServer.perTest();
  private TestServer.Account alice;
  private TestServer.Account bob;
  private String thread;

  @BeforeEach
  void conversationWithHistory() {
    alice = server.register("alice");
    bob = server.register("bob");
    thread = server.direct(alice, bob);
  }

  private List<String> postMany(int count) {
    List<String> bodies = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      TestServer.Account from = i % 2 == 0 ? alice : bob;
      String body = "message " + i;
      TestServer.Response r = server.post("/api/threads/" + thread + "/messages", from.access(),
          "{\"body\":\"" + body + "\"}");
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      bodies.add(body);
    }
    return bodies;
  }

  @Test
  void loadsOlderPagesWhileScrollingUp(Browsers browsers) {
    List<String> all = postMany(120);
    ChatPage page = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    page.login("alice");
    page.openThread("bob");
    page.awaitMessage("message 120");
    assertThat(page.countMessages("message 1")).as("only the latest page at first").isZero();

    page.await().until(d -> {
      page.script("document.getElementById('message-scroller').scrollTop = 0;");
      return page.countMessages("message 1") == 1;
    });
    assertThat(page.bodies()).containsExactlyElementsOf(all);
    assertThat(page.visible(ChatPage.testId("history-status")).getText())
        .isEqualTo("Beginning of the conversation");
  }

  @Test
  void afterAReloadShowsTheHistoryAndKeepsTheDraft(Browsers browsers) {
    postMany(3);
    ChatPage page = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    page.login("alice");
    page.openThread("bob");
    page.send("sent before the reload");
    page.awaitMessageStatus("sent before the reload", "sent");
    page.composer().sendKeys("half-written thought");

    page.reload();
    page.openThread("bob");
    page.awaitMessage("sent before the reload");
    assertThat(page.bodies()).containsExactly("message 1", "message 2", "message 3", "sent before the reload");
    assertThat(page.composer().getAttribute("value")).isEqualTo("half-written thought");
  }
}
