package dev.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

/**
 * A reader at the bottom of a conversation stays there, also when what arrives is an image that
 * only gets its height once it has loaded; a reader who scrolled up is not moved, and gets a
 * "jump to latest" button instead. Distances are measured from the bottom of the scroller.
 */
@ExtendWith(Browsers.class)
class BrowserScrollIT {
  @RegisterExtension
  final TestServer server = TestServer.perTest();
  private TestServer.Account alice;
  private TestServer.Account bob;
  private String thread;

  @BeforeEach
  void conversationTallerThanTheScreen() {
    alice = server.register("alice");
    bob = server.register("bob");
    thread = server.direct(alice, bob);
    for (int i = 1; i <= 30; i++) {
      post(i % 2 == 0 ? alice : bob, "message " + i, null);
    }
  }

  @Test
  void staysAtTheBottomWhenAnImageArrivesAndLoads(Browsers browsers) {
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");
    a.openThread("bob");
    a.awaitMessage("message 30");
    a.await().until(d -> distanceFromBottom(a) < 2);

    post(bob, "look at this", upload(bob, 600, 400));
    WebElement img = a.await().until(d -> a.awaitMessage("look at this").findElement(ChatPage.testId("attachment-image")));
    a.await().until(d -> ((Number) a.script("return arguments[0].naturalHeight;", img)).intValue() == 400);
    a.await().until(d -> distanceFromBottom(a) < 2);
    assertThat(((Number) a.script("return arguments[0].getBoundingClientRect().height;", img)).doubleValue())
        .as("the image has its height on screen").isGreaterThan(150);

    post(bob, "and the text after it", null);
    a.awaitMessage("and the text after it");
    a.await().until(d -> distanceFromBottom(a) < 2);
    assertThat(a.driver().findElement(ChatPage.testId("jump-latest")).isDisplayed()).isFalse();
  }

  @Test
  void theSenderOfAnImageAndSomeoneOpeningTheConversationLaterSeeItWhole(Browsers browsers) {
    ChatPage b = new ChatPage(browsers.open("bob", 1280, 800), server).open();
    b.login("bob");
    b.openThread("alice");
    b.await().until(d -> distanceFromBottom(b) < 2);
    // sent from bob's other device: his open page learns of it like anyone else's
    String attachment = upload(bob, 600, 400);
    post(bob, "sent elsewhere", attachment);
    WebElement img = b.await().until(d -> b.awaitMessage("sent elsewhere").findElement(ChatPage.testId("attachment-image")));
    b.await().until(d -> ((Number) b.script("return arguments[0].naturalHeight;", img)).intValue() == 400);
    b.await().until(d -> distanceFromBottom(b) < 2);

    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");
    a.openThread("bob");
    WebElement shown = a.await().until(d -> a.awaitMessage("sent elsewhere").findElement(ChatPage.testId("attachment-image")));
    a.await().until(d -> ((Number) a.script("return arguments[0].naturalHeight;", shown)).intValue() == 400);
    a.await().until(d -> distanceFromBottom(a) < 2);
  }

  @Test
  void aReaderWhoScrolledUpStaysPutAndCanJumpToTheLatest(Browsers browsers) {
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");
    a.openThread("bob");
    a.awaitMessage("message 30");
    a.await().until(d -> distanceFromBottom(a) < 2);
    WebElement jump = a.driver().findElement(ChatPage.testId("jump-latest"));
    assertThat(jump.isDisplayed()).isFalse();

    a.script("document.getElementById('message-scroller').scrollTop = 0;");
    a.await().until(d -> jump.isDisplayed());
    double top = scrollTop(a);
    post(bob, "while alice reads older ones", null);
    a.awaitMessage("while alice reads older ones");
    a.await().until(d -> "1".equals(a.driver().findElement(ChatPage.testId("jump-latest-count")).getText()));
    assertThat(scrollTop(a)).as("the view did not move").isEqualTo(top);

    jump.click();
    a.await().until(d -> distanceFromBottom(a) < 2);
    a.await().until(d -> !jump.isDisplayed());
  }

  private static double distanceFromBottom(ChatPage page) {
    return ((Number) page.script("const s = document.getElementById('message-scroller');"
        + "return s.scrollHeight - s.scrollTop - s.clientHeight;")).doubleValue();
  }

  private static double scrollTop(ChatPage page) {
    return ((Number) page.script("return document.getElementById('message-scroller').scrollTop;")).doubleValue();
  }

  private void post(TestServer.Account from, String body, String attachmentId) {
    String attachments = attachmentId == null ? "" : ",\"attachments\":[\"" + attachmentId + "\"]";
    TestServer.Response r = server.post("/api/threads/" + thread + "/messages", from.access(),
        "{\"body\":\"" + body + "\"" + attachments + "}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  /** Uploads a width x height PNG as {@code from}; returns the attachment id. */
  private String upload(TestServer.Account from, int width, int height) {
    BufferedImage pixels = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = pixels.createGraphics();
    g.setColor(new Color(0x2563EB));
    g.fillRect(0, 0, width, height);
    g.dispose();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(pixels, "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TestServer.Response r = server.send(HttpRequest.newBuilder(server.uri("/api/attachments"))
        .header("Authorization", "Bearer " + from.access())
        .header("Content-Type", "image/png")
        .header("X-Filename", "picture.png")
        .POST(HttpRequest.BodyPublishers.ofByteArray(png.toByteArray()))
        .build());
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("id").asText();
  }
}
