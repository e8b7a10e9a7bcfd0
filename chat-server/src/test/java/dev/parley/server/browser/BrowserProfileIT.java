package dev.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestMedia;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The profile dialog (name, photo), avatars everywhere a user shows, and "last seen". */
@ExtendWith(Browsers.class)
class BrowserProfileIT {
  private static final By MY_PICTURE = By.cssSelector("#me-avatar img[data-testid='avatar-img']");
  private static final By HEADER_PICTURE = By.cssSelector("#conversation-avatar img[data-testid='avatar-img']");

  @RegisterExtension
  final TestServer server = TestServer.perTest();
  @TempDir
  Path dir;
  private TestServer.Account alice;
  private TestServer.Account bob;

  @BeforeEach
  void directThread() {
    alice = server.register("alice");
    bob = server.register("bob");
    server.direct(alice, bob);
  }

  @Test
  void aNewNameAndPhotoShowAtOnceHereAndForTheOtherSide(Browsers browsers) throws Exception {
    ChatPage b = new ChatPage(browsers.open("bob", 1280, 800), server).open();
    b.login("bob");
    b.openThread("alice");
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");
    assertThat(a.driver().findElements(MY_PICTURE)).isEmpty();

    WebElement dialog = openProfile(a);
    WebElement name = dialog.findElement(ChatPage.testId("profile-name"));
    assertThat(name.getAttribute("value")).isEqualTo("alice");
    name.clear();
    name.sendKeys("Ada L.");
    dialog.findElement(ChatPage.testId("profile-save")).click();
    awaitText(a, ChatPage.testId("me-name"), "Ada L.");

    Path photo = dir.resolve("portrait.jpg");
    Files.write(photo, TestMedia.image(1200, 900, false, "jpeg"));
    dialog.findElement(ChatPage.testId("profile-photo-input")).sendKeys(photo.toString());
    awaitLoaded(a, MY_PICTURE);
    awaitLoaded(a, By.cssSelector("[data-testid='profile-avatar'] img"));
    assertThat(dialog.findElement(ChatPage.testId("profile-done")).getText()).isEqualTo("Photo saved.");
    assertThat(a.driver().findElement(MY_PICTURE).getAttribute("src")).contains("/api/users/" + alice.id() + "/avatar/");

    // Esc closes it and gives the focus back to the button that opened it
    new org.openqa.selenium.interactions.Actions(a.driver()).sendKeys(Keys.ESCAPE).perform();
    wait(a).until(d -> !dialog.isDisplayed());
    assertThat(a.script("return document.activeElement.dataset.testid")).isEqualTo("profile-button");

    // bob, without reloading: the list, the header and its picture follow
    b.threadItem("Ada L.");
    b.awaitOpen("Ada L.");
    awaitLoaded(b, HEADER_PICTURE);
    awaitLoaded(b, By.cssSelector("[data-testid='thread-item'][data-title='Ada L.'] img[data-testid='avatar-img']"));

    // removing the photo brings the initials back on both sides
    openProfile(a).findElement(ChatPage.testId("profile-photo-remove")).click();
    wait(a).until(d -> d.findElements(MY_PICTURE).isEmpty());
    assertThat(a.driver().findElement(By.id("me-avatar")).getText()).isEqualTo("AL");
    wait(b).until(d -> d.findElements(HEADER_PICTURE).isEmpty());
    assertThat(b.driver().findElement(By.id("conversation-avatar")).getText()).isEqualTo("AL");
  }

  @Test
  void aFileThatIsNoImageIsRefusedInWords(Browsers browsers) throws Exception {
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");
    WebElement dialog = openProfile(a);
    Path fake = dir.resolve("photo.png");
    Files.writeString(fake, "<html><script>alert(1)</script></html>");

    dialog.findElement(ChatPage.testId("profile-photo-input")).sendKeys(fake.toString());

    WebElement error = dialog.findElement(ChatPage.testId("profile-error"));
    wait(a).until(d -> error.getText().startsWith("That file is not an image we can use."));
    assertThat(a.driver().findElements(MY_PICTURE)).isEmpty();
    assertThat(dialog.findElement(ChatPage.testId("profile-photo-remove")).isDisplayed()).isFalse();
    assertThat(server.get("/api/users/me", alice.access()).json().has("avatar")).isFalse();
  }

  @Test
  void aNameThatLooksLikeMarkupStaysText(Browsers browsers) {
    String hostile = "<img src=x onerror=alert(1)>";
    ChatPage b = new ChatPage(browsers.open("bob", 1280, 800), server).open();
    b.login("bob");
    b.openThread("alice");
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");
    WebElement dialog = openProfile(a);
    WebElement name = dialog.findElement(ChatPage.testId("profile-name"));
    name.clear();
    name.sendKeys(hostile);
    dialog.findElement(ChatPage.testId("profile-save")).click();

    awaitText(a, ChatPage.testId("me-name"), hostile);
    b.awaitOpen(hostile);
    for (ChatPage page : new ChatPage[] {a, b}) {
      assertThat(page.driver().findElements(By.cssSelector("img[src='x']"))).isEmpty();
    }
  }

  @Test
  void aDirectChatSaysWhenThePeerWasLastSeen(Browsers browsers) {
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");
    a.openThread("bob");
    By sub = ChatPage.testId("conversation-sub");
    wait(a).until(d -> d.findElement(sub).getText().equals("@bob · offline")); // never connected

    try (WsClient bobsPhone = server.connect(bob.access())) {
      wait(a).until(d -> d.findElement(sub).getText().equals("@bob · online"));
    }

    wait(a).until(d -> d.findElement(sub).getText().startsWith("@bob · last seen today at "));
    assertThat(a.driver().findElement(sub).getAttribute("data-status")).isEqualTo("offline");
  }

  private static WebElement openProfile(ChatPage page) {
    page.visible(ChatPage.testId("profile-button")).click();
    return page.visible(ChatPage.testId("profile-dialog"));
  }

  private static WebDriverWait wait(ChatPage page) {
    return new WebDriverWait(page.driver(), Duration.ofSeconds(15));
  }

  private static void awaitText(ChatPage page, By by, String text) {
    wait(page).until(d -> text.equals(d.findElement(by).getText()));
  }

  /** Waits until the image is there and the browser decoded it. */
  private static void awaitLoaded(ChatPage page, By image) {
    WebDriver d = page.driver();
    wait(page).until(x -> {
      var found = d.findElements(image);
      return !found.isEmpty() && Boolean.TRUE.equals(page.script(
          "return arguments[0].complete && arguments[0].naturalWidth > 0", found.get(0)));
    });
  }
}
