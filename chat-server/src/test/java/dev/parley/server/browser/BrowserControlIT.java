package dev.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** Message search, muting and blocking in the web client (issue 16, contract 7.3 and 7.4). */
@ExtendWith(Browsers.class)
class BrowserControlIT {
  @RegisterExtension
  final TestServer server = TestServer.perTest();
  private TestServer.Account alice;
  private TestServer.Account bob;
  private String direct;

  @BeforeEach
  void accounts() {
    alice = server.register("alice");
    bob = server.register("bob");
    direct = server.direct(alice, bob);
  }

  @Test
  void searchFindsAnOldMessageAndShowsItInPlace(Browsers browsers) {
    server.post("/api/threads/" + direct + "/messages", bob.access(), "{\"body\":\"the Zanzibar plan <b>is</b> on\"}");
    for (int i = 0; i < 60; i++) {
      server.post("/api/threads/" + direct + "/messages", bob.access(), "{\"body\":\"filler " + i + "\"}");
    }
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");

    a.searchMessages("zanzi");
    WebElement result = a.visible(ChatPage.testId("message-result"));
    assertThat(result.findElement(ChatPage.testId("result-snippet")).getText())
        .as("markup in the body stays text").isEqualTo("the Zanzibar plan <b>is</b> on");
    assertThat(result.findElement(ChatPage.testId("search-mark")).getText()).isEqualTo("Zanzibar");
    assertThat(result.findElements(By.tagName("b"))).isEmpty();
    assertThat(result.findElement(ChatPage.testId("result-sender")).getText()).isEqualTo("bob");
    assertThat(result.findElement(ChatPage.testId("result-thread")).getText()).isEqualTo("bob");

    result.findElement(By.tagName("button")).click();
    a.awaitOpen("bob");
    WebElement shown = a.awaitMessage("the Zanzibar plan <b>is</b> on");
    a.await().until(ExpectedConditions.attributeToBe(shown, "data-highlighted", "true"));
    assertThat(a.script("const r = arguments[0].getBoundingClientRect();"
        + " const s = document.getElementById('message-scroller').getBoundingClientRect();"
        + " return r.bottom > s.top && r.top < s.bottom;", shown)).as("scrolled into view").isEqualTo(true);
  }

  @Test
  void searchPagesWithMoreResultsAndExplainsABadQuery(Browsers browsers) {
    for (int i = 0; i < 25; i++) {
      server.post("/api/threads/" + direct + "/messages", bob.access(), "{\"body\":\"apple " + i + "\"}");
    }
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");
    a.searchMessages("apple");
    a.await().until(d -> d.findElements(ChatPage.testId("message-result")).size() == 20);
    a.visible(ChatPage.testId("message-results-more")).click();
    a.await().until(d -> d.findElements(ChatPage.testId("message-result")).size() == 25);
    a.await().until(ExpectedConditions.invisibilityOfElementLocated(ChatPage.testId("message-results-more")));

    a.searchMessages("?!*");
    WebElement error = a.visible(ChatPage.testId("message-search-error"));
    assertThat(error.getText()).startsWith("Cannot search for that");
    assertThat(a.driver().findElements(ChatPage.testId("message-result"))).isEmpty();
  }

  @Test
  void muteShowsInTheListAndSurvivesAReload(Browsers browsers) {
    server.post("/api/threads/" + direct + "/messages", bob.access(), "{\"body\":\"hello\"}");
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");
    a.openThread("bob");
    a.toggle("mute-toggle", "Unmute");
    a.visible(By.cssSelector("[data-testid='thread-item'][data-title='bob'] [data-testid='thread-muted']"));
    assertThat(server.get("/api/threads/" + direct, alice.access()).json().path("muted").asBoolean()).isTrue();

    a.reload();
    a.awaitOpen("bob");
    a.await().until(ExpectedConditions.textToBe(ChatPage.testId("mute-toggle"), "Unmute"));
    a.visible(By.cssSelector("[data-testid='thread-item'][data-title='bob'] [data-testid='thread-muted']"));
    a.toggle("mute-toggle", "Mute");
    a.await().until(d -> d.findElements(ChatPage.testId("thread-muted")).isEmpty());
  }

  @Test
  void blockingFromTheHeaderRefusesTheOtherSidesMessagesUntilUnblocked(Browsers browsers) {
    server.post("/api/threads/" + direct + "/messages", bob.access(), "{\"body\":\"hello\"}");
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");
    ChatPage b = new ChatPage(browsers.open("bob", 1280, 800), server).open();
    b.login("bob");
    a.openThread("bob");
    b.openThread("alice");

    a.toggle("block-toggle", "Unblock");
    assertThat(a.visible(ChatPage.testId("blocked-notice")).getText()).contains("You blocked @bob");
    b.send("are you there?");
    b.awaitMessageStatus("are you there?", "failed");
    assertThat(b.awaitMessage("are you there?").getText()).contains("Not sent: you cannot send here");
    assertThat(a.countMessages("are you there?")).isZero();

    a.toggle("block-toggle", "Block");
    a.await().until(ExpectedConditions.invisibilityOfElementLocated(ChatPage.testId("blocked-notice")));
    b.send("and now?");
    b.awaitMessageStatus("and now?", "sent");
    a.awaitMessage("and now?");
  }
}
