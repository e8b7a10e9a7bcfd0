package dev.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * Files in the web client: names outside ASCII survive the round trip, a file over the server's
 * limit is refused before a byte of it is sent, and the icons are drawn by the page (no emoji font
 * needed).
 */
@ExtendWith(Browsers.class)
class BrowserFilesIT {
  private static final long LIMIT = 1024 * 1024;
  @RegisterExtension
  final TestServer server = TestServer.perTest(b -> b.attachmentLimit(LIMIT));
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
  void aNameOutsideAsciiIsKeptFromPickerToDownload(Browsers browsers, @TempDir Path dir) throws IOException {
    String name = "Café – résumé.txt";
    Path file = Files.writeString(dir.resolve(name), "ça va\n");
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");
    a.openThread("bob");
    WebDriver bobDriver = browsers.open("bob", 1280, 800);
    Path downloads = Files.createDirectory(dir.resolve("downloads"));
    ((ChromeDriver) bobDriver).executeCdpCommand("Browser.setDownloadBehavior",
        Map.of("behavior", "allow", "downloadPath", downloads.toString()));
    ChatPage b = new ChatPage(bobDriver, server).open();
    b.login("bob");
    b.openThread("alice");

    a.driver().findElement(ChatPage.testId("file-input")).sendKeys(file.toString());
    a.await().until(d -> d.findElements(By.cssSelector("[data-testid='upload-item'][data-state='done']")).size() == 1);
    a.send("my cv");
    a.awaitMessageStatus("my cv", "sent");

    String stored = server.get("/api/threads/" + thread + "/messages", bob.access()).json()
        .get("messages").get(0).get("attachments").get(0).get("filename").asText();
    assertThat(stored).isEqualTo(name);
    WebElement link = b.awaitMessage("my cv").findElement(ChatPage.testId("attachment-link"));
    assertThat(link.findElement(By.className("file-name")).getText()).isEqualTo(name);
    b.await().until(d -> link.getAttribute("href") != null);
    link.click();
    Path saved = downloads.resolve(name);
    Awaitility.await().until(() -> Files.isRegularFile(saved) && Files.size(saved) == 7);
    assertThat(Files.readString(saved)).isEqualTo("ça va\n");
  }

  @Test
  void aFileSentWithoutTextIsStoredWithAnEmptyBody(Browsers browsers, @TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("plan.txt"), "step one\n");
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");
    a.openThread("bob");
    a.driver().findElement(ChatPage.testId("file-input")).sendKeys(file.toString());
    a.await().until(d -> d.findElements(By.cssSelector("[data-testid='upload-item'][data-state='done']")).size() == 1);
    a.composer().sendKeys(Keys.ENTER);

    WebElement sent = a.visible(By.cssSelector("[data-testid='message'][data-status='sent']"));
    JsonNode stored = server.get("/api/threads/" + thread + "/messages", bob.access()).json().get("messages");
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).get("body").asText()).isEmpty();
    assertThat(stored.get(0).get("attachments").get(0).get("filename").asText()).isEqualTo("plan.txt");
    // the file shows once, as a file: its name is not repeated as the message's text
    assertThat(sent.findElement(ChatPage.testId("message-body")).getText()).isEmpty();
    assertThat(sent.findElement(ChatPage.testId("attachment-link")).getText()).contains("plan.txt");
  }

  @Test
  void anImageOpensLargerWithADownloadButtonAndEscapeClosesDialogs(Browsers browsers, @TempDir Path dir)
      throws IOException {
    Path image = dir.resolve("sunset.png");
    BufferedImage pixels = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = pixels.createGraphics();
    g.setColor(new Color(0xF59E0B));
    g.fillRect(0, 0, 300, 200);
    g.dispose();
    ImageIO.write(pixels, "png", image.toFile());
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");
    a.openThread("bob");
    a.driver().findElement(ChatPage.testId("file-input")).sendKeys(image.toString());
    a.visible(By.cssSelector("[data-testid='upload-item'][data-state='done']"));
    a.send("the view");

    WebDriver bobDriver = browsers.open("bob", 1280, 800);
    Path downloads = Files.createDirectory(dir.resolve("downloads"));
    ((ChromeDriver) bobDriver).executeCdpCommand("Browser.setDownloadBehavior",
        Map.of("behavior", "allow", "downloadPath", downloads.toString()));
    ChatPage b = new ChatPage(bobDriver, server).open();
    b.login("bob");
    b.openThread("alice");
    WebElement img = b.await().until(d -> b.awaitMessage("the view").findElement(ChatPage.testId("attachment-image")));
    b.await().until(d -> ((Number) b.script("return arguments[0].naturalWidth;", img)).intValue() == 300);
    img.click();
    WebElement dialog = b.visible(ChatPage.testId("image-dialog"));
    WebElement large = b.visible(ChatPage.testId("image-dialog-img"));
    b.await().until(d -> ((Number) b.script("return arguments[0].naturalWidth;", large)).intValue() == 300);
    assertThat(large.getAttribute("src")).startsWith(server.uri("/api/attachments/").toString());
    assertThat(large.getAttribute("alt")).isEqualTo("sunset.png");
    b.visible(ChatPage.testId("image-download")).click();
    Path saved = downloads.resolve("sunset.png");
    Awaitility.await().until(() -> Files.isRegularFile(saved) && Files.size(saved) == Files.size(image));

    new Actions(b.driver()).sendKeys(Keys.ESCAPE).perform();
    b.await().until(d -> dialog.getAttribute("open") == null);
    b.visible(ChatPage.testId("account-button")).click();
    WebElement account = b.visible(ChatPage.testId("account-dialog"));
    new Actions(b.driver()).sendKeys(Keys.ESCAPE).perform();
    b.await().until(d -> account.getAttribute("open") == null);
  }

  @Test
  void aFileOverTheLimitIsRefusedBeforeItIsUploaded(Browsers browsers, @TempDir Path dir) throws IOException {
    Path big = Files.write(dir.resolve("big.bin"), new byte[(int) LIMIT + 1]);
    Path small = Files.writeString(dir.resolve("small.txt"), "fits\n");
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");
    a.openThread("bob");

    a.driver().findElement(ChatPage.testId("file-input")).sendKeys(big.toString());
    WebElement refused = a.visible(By.cssSelector("[data-testid='upload-item'][data-state='error']"));
    assertThat(refused.getText()).contains("Too large").contains("1.0 MB");
    // the page asked for the limits and never started an upload
    a.driver().findElement(ChatPage.testId("file-input")).sendKeys(small.toString());
    a.visible(By.cssSelector("[data-testid='upload-item'][data-state='done']"));
    Object uploads = a.script("return performance.getEntriesByType('resource')"
        + ".filter((e) => new URL(e.name).pathname === '/api/attachments').length;");
    assertThat(((Number) uploads).intValue()).as("only the small file went up").isEqualTo(1);
    Object limits = a.script("return performance.getEntriesByType('resource')"
        + ".filter((e) => new URL(e.name).pathname === '/api/limits').length;");
    assertThat(((Number) limits).intValue()).isEqualTo(1);
  }

  @Test
  void stateAndFileIconsAreInlineSvgNotEmoji(Browsers browsers, @TempDir Path dir) throws IOException {
    Path notes = Files.writeString(dir.resolve("notes.txt"), "bring snacks\n");
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");
    a.openThread("bob");
    a.script("window.parley.conn.stop();");
    a.awaitConnection("offline");
    a.send("waiting to go");
    WebElement pending = a.awaitMessage("waiting to go").findElement(ChatPage.testId("message-state"));
    assertThat(pending.findElement(By.cssSelector("svg[data-icon='clock']")).isDisplayed()).isTrue();
    assertThat(pending.getText()).isEmpty();
    a.script("window.parley.conn.start();");
    a.awaitMessageStatus("waiting to go", "sent");
    WebElement sent = a.awaitMessage("waiting to go").findElement(ChatPage.testId("message-state"));
    assertThat(sent.findElement(By.cssSelector("svg[data-icon='check']")).isDisplayed()).isTrue();

    a.driver().findElement(ChatPage.testId("file-input")).sendKeys(notes.toString());
    a.visible(By.cssSelector("[data-testid='upload-item'][data-state='done']"));
    a.send("the list");
    WebElement link = a.awaitMessage("the list").findElement(ChatPage.testId("attachment-link"));
    assertThat(link.findElement(By.cssSelector(".file-icon svg[data-icon='file']")).isDisplayed()).isTrue();
    String text = (String) a.script("return document.getElementById('message-list').textContent;");
    assertThat(text.codePoints().filter(cp -> cp >= 0x1F000)).as("no emoji left in the conversation").isEmpty();
  }
}
