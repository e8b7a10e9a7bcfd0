package dev.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.parley.server.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** Small things a daily user notices: links, presence while cut off, a throttled sign-in. */
@ExtendWith(Browsers.class)
class BrowserDetailsIT {
  @RegisterExtension
  final TestServer server = TestServer.perTest();
  private TestServer.Account alice;
  private TestServer.Account bob;
  private String thread;

  @BeforeEach
  void directThread() {
    alice = server.register("alice");
    bob = server.register("bob");
    thread = server.direct(alice, bob);
  }

  @Test
  void webAddressesBecomeSafeLinksAndNothingElseDoes(Browsers browsers) {
    String body = "see https://example.com/a?b=1&c=2, or (http://example.org/x) "
        + "but not javascript:alert(1) nor <a href=\"javascript:alert(2)\">this</a> nor data:text/html,hi";
    server.post("/api/threads/" + thread + "/messages", bob.access(),
        "{\"body\":" + JsonNodeFactory.instance.textNode(body) + "}");
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");
    a.openThread("bob");
    WebElement message = a.awaitMessage(body);

    List<WebElement> links = message.findElements(By.cssSelector("[data-testid='message-body'] a"));
    assertThat(links).extracting(l -> l.getAttribute("href"))
        .containsExactly("https://example.com/a?b=1&c=2", "http://example.org/x");
    assertThat(links).extracting(WebElement::getText)
        .containsExactly("https://example.com/a?b=1&c=2", "http://example.org/x");
    for (WebElement l : links) {
      assertThat(l.getAttribute("rel")).isEqualTo("noopener noreferrer");
      assertThat(l.getAttribute("target")).isEqualTo("_blank");
    }
    assertThat(message.findElement(ChatPage.testId("message-body")).getText()).isEqualTo(body);
    assertThat(a.driver().findElements(By.cssSelector("a[href^='javascript:' i], a[href^='data:' i]"))).isEmpty();
  }

  @Test
  void aNewMessagesDividerSitsAboveTheFirstUnreadMessage(Browsers browsers) {
    post(alice, "old one");
    post(bob, "old reply");
    assertThat(server.post("/api/threads/" + thread + "/read", alice.access(), "{\"seq\":2}").status()).isEqualTo(204);
    post(bob, "new 1");
    post(bob, "new 2");
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");
    assertThat(a.unread("bob")).isEqualTo(2);
    a.openThread("bob");
    WebElement first = a.awaitMessage("new 1");
    assertThat(a.driver().findElements(ChatPage.testId("new-divider"))).hasSize(1);
    assertThat(a.script("return arguments[0].previousElementSibling.dataset.testid;", first)).isEqualTo("new-divider");
    assertThat(a.driver().findElement(ChatPage.testId("new-divider")).getText()).isEqualTo("New messages");

    // what arrives while the conversation is open is read at once: no second divider
    post(bob, "new 3");
    a.awaitMessage("new 3");
    assertThat(a.driver().findElements(ChatPage.testId("new-divider"))).hasSize(1);
  }

  private void post(TestServer.Account from, String body) {
    TestServer.Response r = server.post("/api/threads/" + thread + "/messages", from.access(),
        "{\"body\":\"" + body + "\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  @Test
  void othersAreNotShownOnlineWhileOurOwnConnectionIsDown(Browsers browsers) {
    ChatPage b = new ChatPage(browsers.open("bob", 1024, 700), server).open();
    b.login("bob");
    ChatPage a = new ChatPage(browsers.open("alice", 1024, 700), server).open();
    a.login("alice");
    a.openThread("bob");
    By dot = By.cssSelector("[data-thread-id='" + thread + "'] [data-testid='presence-dot']");
    a.await().until(d -> "online".equals(d.findElement(dot).getAttribute("data-status")));
    a.await().until(d -> d.findElement(ChatPage.testId("conversation-sub")).getText().endsWith("online"));

    a.script("window.parley.conn.stop();");
    a.awaitConnection("offline");
    a.await().until(d -> "unknown".equals(d.findElement(dot).getAttribute("data-status")));
    a.await().until(d -> d.findElement(ChatPage.testId("conversation-sub")).getText().equals("@bob"));

    a.script("window.parley.conn.start();");
    a.awaitConnection("connected");
    a.await().until(d -> "online".equals(d.findElement(dot).getAttribute("data-status")));
  }

  @Test
  void aThrottledSignInSaysHowLongToWait(Browsers browsers) {
    ChatPage a = new ChatPage(browsers.open("alice", 1024, 700), server).open();
    a.visible(ChatPage.testId("auth-username")).sendKeys("alice");
    a.visible(ChatPage.testId("auth-password")).sendKeys(TestServer.PASSWORD);
    // someone guessing alice's password just now
    for (int i = 0; i < 10; i++) {
      server.post("/api/auth/login", null, "{\"username\":\"alice\",\"password\":\"wrong-password\"}");
    }
    a.visible(ChatPage.testId("auth-password")).sendKeys(Keys.ENTER);
    WebElement error = a.visible(By.id("auth-error"));
    a.await().until(d -> error.getText().matches("Too many sign-in attempts\\. Try again in \\d+ s\\."));
    assertThat(a.visible(ChatPage.testId("auth-submit")).isEnabled()).isFalse();
  }
}
