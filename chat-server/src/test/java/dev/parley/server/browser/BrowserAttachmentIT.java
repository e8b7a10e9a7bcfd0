package dev.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** Files picked in the web client are uploaded, sent, and shown to the other member. */
@ExtendWith(Browsers.class)
class BrowserAttachmentIT {
  private TestServer server;

  @BeforeEach
  void startServer() {
    server = TestServer.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

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
    ChatPage b = new ChatPage(browsers.open("bob", 1280, 800), server).open();
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
    assertThat(img.getAttribute("src")).startsWith("blob:");
    assertThat(img.getAttribute("alt")).isEqualTo("sunset.png");
    WebElement link = got.findElement(ChatPage.testId("attachment-link"));
    assertThat(link.getText()).contains("notes.txt");
    link.click();
    b.await().until(d -> link.getAttribute("href").startsWith("blob:"));
    String text = (String) b.asyncScript("const done = arguments[arguments.length - 1];"
        + "fetch(arguments[0].href).then(r => r.text()).then(done);", link);
    assertThat(text).isEqualTo("bring snacks\n");
  }
}
