package dev.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/** Files picked in the web client are uploaded, sent, and shown to the other member. */
@ExtendWith(Browsers.class)
class BrowserAttachmentIT {
  @RegisterExtension
  final TestServer server = TestServer.perTest();

  @Test
  void sendsAnImageShownInlineAndAFileAsADownloadLink(Browsers browsers, @TempDir Path dir)
      throws IOException {
    TestServer.Account alice = server.register("alice");
    TestServer.Account bob = server.register("bob");
    server.post("/api/threads", alice.access(), "{\"kind\":\"direct\",\"members\":[\"" + bob.id() + "\"]}");
    Path image = dir.resolve("sunset.png");
    BufferedImage pixels = new BufferedImage(120, 80, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = pixels.createGraphics();
    g.setColor(new Color(0xF59E0B));
    g.fillRect(0, 0, 120, 80);
    g.dispose();
    ImageIO.write(pixels, "png", image.toFile());
    Path notes = Files.writeString(dir.resolve("notes.txt"), "bring snacks\n");

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

    WebElement input = a.driver().findElement(ChatPage.testId("file-input"));
    input.sendKeys(image.toString() + "\n" + notes.toString());
    a.await().until(d -> d.findElements(By.cssSelector("[data-testid='upload-item'][data-state='done']")).size() == 2);
    a.send("holiday plans");
    a.awaitMessageStatus("holiday plans", "sent");

    WebElement got = b.awaitMessage("holiday plans");
    WebElement img = got.findElement(ChatPage.testId("attachment-image"));
    b.await().until(d -> ((Number) b.script("return arguments[0].naturalWidth;", img)).intValue() == 120);
    // loaded straight from the server through a signed link, never as a blob: of the app's origin
    assertThat(img.getAttribute("src")).startsWith(server.uri("/api/attachments/").toString());
    assertThat(img.getAttribute("alt")).isEqualTo("sunset.png");
    WebElement link = got.findElement(ChatPage.testId("attachment-link"));
    assertThat(link.getText()).contains("notes.txt");
    b.await().until(d -> link.getAttribute("href") != null
        && link.getAttribute("href").startsWith(server.uri("/api/attachments/").toString()));
    link.click();
    Path saved = downloads.resolve("notes.txt");
    Awaitility.await().until(() -> Files.isRegularFile(saved) && Files.size(saved) == 13);
    assertThat(Files.readString(saved)).isEqualTo("bring snacks\n");
  }
}
