package dev.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestMedia;
import dev.parley.server.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** Issue 18: audio and video attachments play inline, and a file that only claims to be media does not. */
@ExtendWith(Browsers.class)
class BrowserMediaIT {
  @RegisterExtension
  final TestServer server = TestServer.perTest();

  @BeforeEach
  void accounts() {
    TestServer.Account alice = server.register("alice");
    TestServer.Account bob = server.register("bob");
    server.direct(alice, bob);
  }

  /** Alice sends a file with a text; returns her page. */
  private ChatPage aliceSends(Browsers browsers, Path file, String text) {
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");
    a.openThread("bob");
    a.driver().findElement(ChatPage.testId("file-input")).sendKeys(file.toString());
    a.visible(By.cssSelector("[data-testid='upload-item'][data-state='done']"));
    a.send(text);
    return a;
  }

  @Test
  void aWavFilePlaysInlineAndCanBeSaved(Browsers browsers, @TempDir Path dir) throws IOException {
    // half a second of 8 kHz mono sound
    aliceSends(browsers, Files.write(dir.resolve("hello.wav"), TestMedia.wav(4000)), "listen");

    ChatPage b = new ChatPage(browsers.open("bob", 1280, 800), server).open();
    b.login("bob");
    b.openThread("alice");
    WebElement audio = b.await().until(d -> b.awaitMessage("listen").findElement(ChatPage.testId("attachment-audio")));
    assertThat(audio.getAttribute("controls")).isNotNull();
    assertThat(audio.getAttribute("aria-label")).isEqualTo("hello.wav");
    assertThat(audio.getAttribute("src")).startsWith(server.uri("/api/attachments/").toString());
    // the browser has read the header through the server: it knows how long the sound is
    b.await().until(d -> ((Number) b.script("return arguments[0].readyState;", audio)).intValue() >= 1);
    double duration = ((Number) b.script("return arguments[0].duration;", audio)).doubleValue();
    assertThat(duration).isBetween(0.45, 0.55);
    // seeking works (the server answers ranges)
    b.script("arguments[0].currentTime = 0.4;", audio);
    b.await().until(d -> !(Boolean) b.script("return arguments[0].seeking;", audio)
        && ((Number) b.script("return arguments[0].currentTime;", audio)).doubleValue() > 0.35);
    // the name stays a link that saves the file
    assertThat(b.awaitMessage("listen").findElement(ChatPage.testId("attachment-link")).getText()).contains("hello.wav");
  }

  @Test
  void aFileThatOnlyClaimsToBeVideoStaysALink(Browsers browsers, @TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("clip.webm"), "<!doctype html><script>alert(1)</script>");
    ChatPage a = aliceSends(browsers, file, "watch");
    WebElement message = a.awaitMessage("watch");
    WebElement link = a.await().until(d -> message.findElement(ChatPage.testId("attachment-link")));
    assertThat(link.getText()).contains("clip.webm");
    assertThat(message.findElements(By.cssSelector("video, audio"))).isEmpty();
  }
}
