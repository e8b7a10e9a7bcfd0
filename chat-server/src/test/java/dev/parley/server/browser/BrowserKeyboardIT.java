package dev.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/** Issue 18, the keyboard: Up in an empty composer edits your last message; Esc closes every dialog. */
@ExtendWith(Browsers.class)
class BrowserKeyboardIT {
  @RegisterExtension
  final TestServer server = TestServer.perTest();
  private TestServer.Account alice;
  private TestServer.Account bob;
  private String thread;

  @BeforeEach
  void accounts() {
    alice = server.register("alice");
    bob = server.register("bob");
    thread = server.direct(alice, bob);
  }

  @Test
  void upInAnEmptyComposerEditsYourLastMessage(Browsers browsers) {
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");
    a.openThread("bob");
    a.send("first");
    a.send("secnod");
    a.awaitMessageStatus("secnod", "sent");
    // the other side's newer message is not yours to edit
    server.post("/api/threads/" + thread + "/messages", bob.access(), "{\"body\":\"theirs\"}");
    a.awaitMessage("theirs");

    // with text in the composer, Up only moves the caret
    a.composer().sendKeys("draft", Keys.ARROW_UP);
    assertThat(a.driver().findElement(ChatPage.testId("compose-context")).isDisplayed()).isFalse();
    a.composer().sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);

    a.composer().sendKeys(Keys.ARROW_UP);
    a.await().until(d -> "secnod".equals(a.composer().getAttribute("value")));
    assertThat(a.visible(ChatPage.testId("compose-context")).getAttribute("data-mode")).isEqualTo("edit");
    a.composer().sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE, "second", Keys.ENTER);
    a.await().until(d -> !a.awaitMessage("second").findElements(ChatPage.testId("edited-marker")).isEmpty());
    assertThat(a.bodies()).containsExactly("first", "second", "theirs");
    assertThat(a.composer().getAttribute("value")).isEmpty();
  }

  @Test
  void escapeClosesTheGroupAndDeleteDialogs(Browsers browsers) {
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");
    a.openThread("bob");
    a.send("oops");
    a.awaitMessageStatus("oops", "sent");

    a.visible(ChatPage.testId("new-group-button")).click();
    WebElement group = a.visible(ChatPage.testId("group-dialog"));
    new Actions(a.driver()).sendKeys(Keys.ESCAPE).perform();
    a.await().until(d -> group.getAttribute("open") == null);

    a.await().ignoring(ElementClickInterceptedException.class).until(d -> {
      WebElement message = d.findElement(ChatPage.messageWithBody("oops"));
      new Actions(d).moveToElement(message).perform();
      WebElement button = message.findElement(ChatPage.testId("delete-button"));
      if (!button.isDisplayed()) {
        return false;
      }
      button.click();
      return true;
    });
    WebElement delete = a.visible(ChatPage.testId("delete-dialog"));
    new Actions(a.driver()).sendKeys(Keys.ESCAPE).perform();
    a.await().until(d -> delete.getAttribute("open") == null);
    assertThat(a.countMessages("oops")).as("Esc cancels, it does not delete").isEqualTo(1);
  }
}
