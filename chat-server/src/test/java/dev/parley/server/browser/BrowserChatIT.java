package dev.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** Two people chat through the web client in two real browsers. */
@ExtendWith(Browsers.class)
class BrowserChatIT {
  @RegisterExtension
  final TestServer server = TestServer.perTest();

  @Test
  void twoUsersRegisterChatSeeTypingAndReadReceipts(Browsers browsers) {
    ChatPage alice = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    ChatPage bob = new ChatPage(browsers.open("bob", 1280, 800), server).open();
    alice.register("alice", "Alice Liddell");
    bob.register("bob", "Bob Marley");

    alice.startDirectChat("bob", "Bob Marley");
    alice.send("Hello Bob");
    alice.awaitMessageStatus("Hello Bob", "sent");

    // bob gets the new thread live, with its preview and an unread count
    WebElement item = bob.threadItem("Alice Liddell");
    bob.await().until(d -> bob.unread("Alice Liddell") == 1);
    assertThat(item.findElement(ChatPage.testId("thread-preview")).getText()).contains("Hello Bob");
    bob.await().until(d -> "online".equals(bob.threadItem("Alice Liddell")
        .findElement(ChatPage.testId("presence-dot")).getAttribute("data-status")));

    bob.openThread("Alice Liddell");
    bob.awaitMessage("Hello Bob");
    assertThat(bob.unread("Alice Liddell")).isZero();
    // bob has the conversation on screen: alice sees that he read her message
    alice.awaitReadReceipt("Hello Bob");

    bob.composer().sendKeys("Hi Al");
    alice.awaitTyping("Bob Marley is typing");
    bob.send("ice, nice to meet you");
    alice.awaitMessage("Hi Alice, nice to meet you");
    // a message from the typist ends the indicator
    alice.awaitNoTyping();
    bob.awaitMessageStatus("Hi Alice, nice to meet you", "sent");
    assertThat(alice.bodies()).containsExactly("Hello Bob", "Hi Alice, nice to meet you");
  }

  @Test
  void shiftEnterWritesANewLineAndEnterSends(Browsers browsers) {
    TestServer.Account carol = server.register("carol");
    server.register("dave");
    ChatPage page = new ChatPage(browsers.open("carol", 1280, 800), server).open();
    page.login(carol.username());
    page.startDirectChat("dave", "dave");

    page.composer().sendKeys("first line", org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.SHIFT,
        org.openqa.selenium.Keys.ENTER), "second line");
    assertThat(page.countMessages("first line second line")).isZero();
    page.composer().sendKeys(org.openqa.selenium.Keys.ENTER);
    WebElement message = page.awaitMessage("first line second line");
    assertThat(message.findElement(ChatPage.testId("message-body")).getText())
        .isEqualTo("first line\nsecond line");
    assertThat(page.composer().getAttribute("value")).isEmpty();
  }

  @Test
  void onAPhoneShowsOnePaneAtATime(Browsers browsers) {
    TestServer.Account heidi = server.register("heidi");
    TestServer.Account ivan = server.register("ivan");
    server.post("/api/threads", heidi.access(), "{\"kind\":\"direct\",\"members\":[\"" + ivan.id() + "\"]}");
    ChatPage page = new ChatPage(browsers.open("heidi", 390, 844), server).open();
    page.login("heidi");
    WebElement conversation = page.driver().findElement(By.id("conversation"));
    assertThat(conversation.isDisplayed()).isFalse();

    page.openThread("ivan");
    page.send("from my phone");
    page.awaitMessageStatus("from my phone", "sent");
    assertThat(page.driver().findElement(ChatPage.testId("thread-list")).isDisplayed()).isFalse();

    page.visible(ChatPage.testId("back-button")).click();
    page.await().until(d -> page.driver().findElement(ChatPage.testId("thread-list")).isDisplayed());
    assertThat(conversation.isDisplayed()).isFalse();
  }

  @Test
  void createsAGroupWithATitleAndMembers(Browsers browsers) {
    TestServer.Account erin = server.register("erin");
    TestServer.Account frank = server.register("frank");
    server.register("grace");
    ChatPage page = new ChatPage(browsers.open("erin", 1280, 800), server).open();
    page.login(erin.username());

    page.visible(ChatPage.testId("new-group-button")).click();
    page.visible(ChatPage.testId("group-title")).sendKeys("Tea club");
    for (String name : new String[] {"frank", "grace"}) {
      page.visible(ChatPage.testId("group-search")).sendKeys(name);
      page.visible(By.cssSelector("#group-results [data-username='" + name + "']")).click();
    }
    assertThat(page.visible(ChatPage.testId("group-members")).getText()).contains("frank", "grace");
    page.visible(ChatPage.testId("group-create")).click();
    page.awaitOpen("Tea club");
    page.send("Welcome, both");
    page.awaitMessageStatus("Welcome, both", "sent");

    TestServer.Response threads = server.get("/api/threads", frank.access());
    assertThat(threads.json().get("threads").get(0).get("title").asText()).isEqualTo("Tea club");
    assertThat(threads.json().get("threads").get(0).get("members")).hasSize(3);
    assertThat(threads.json().get("threads").get(0).get("lastMessage").get("body").asText())
        .isEqualTo("Welcome, both");
  }
}
