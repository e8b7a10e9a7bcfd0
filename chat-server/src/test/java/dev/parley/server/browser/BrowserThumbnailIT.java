package dev.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.parley.server.testing.TestServer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

/**
 * Issue 18's image thumbnails in the web client: a large photo is shown inline as the server's
 * small copy, in a box of the right size taken before any byte of it arrives, and in full when
 * enlarged.
 */
@ExtendWith(Browsers.class)
class BrowserThumbnailIT {
  @RegisterExtension
  final TestServer server = TestServer.perTest();

  @Test
  void aLargePhotoIsShownAsItsThumbnailAndInFullWhenEnlarged(Browsers browsers) throws IOException {
    TestServer.Account alice = server.register("alice");
    TestServer.Account bob = server.register("bob");
    String thread = server.direct(alice, bob);
    ChatPage b = new ChatPage(browsers.open("bob", 1280, 800), server).open();
    b.login("bob");
    b.openThread("alice");
    // the height each inline image has on screen when it is put on the page, before it loads
    b.script("window.placedHeights = [];"
        + "new MutationObserver((changes) => { for (const c of changes) for (const n of c.addedNodes) {"
        + "  if (n.nodeType !== 1) continue;"
        + "  const img = n.matches('img.attachment-image') ? n : n.querySelector('img.attachment-image');"
        + "  if (img) window.placedHeights.push(img.getBoundingClientRect().height);"
        + "} }).observe(document.getElementById('message-list'), {childList: true, subtree: true});");

    String id = upload(alice, 2400, 1600);
    TestServer.Response sent = server.post("/api/threads/" + thread + "/messages", alice.access(),
        "{\"body\":\"the view\",\"attachments\":[\"" + id + "\"]}");
    assertThat(sent.status()).as(sent.body()).isEqualTo(201);

    WebElement img = b.await().until(d -> b.awaitMessage("the view").findElement(ChatPage.testId("attachment-image")));
    b.await().until(d -> ((Number) b.script("return arguments[0].naturalWidth;", img)).intValue() > 0);
    // the server's small copy, not the 2400 x 1600 upload
    assertThat(img.getAttribute("src")).startsWith(server.uri("/api/attachments/" + id + "/thumbnail/content?").toString());
    assertThat(((Number) b.script("return arguments[0].naturalWidth;", img)).intValue()).isEqualTo(640);
    assertThat(((Number) b.script("return arguments[0].naturalHeight;", img)).intValue()).isEqualTo(427);
    // its box (360 x 240, the photo's shape in the 360 x 260 frame) was there before it loaded
    assertThat(img.getAttribute("width")).isEqualTo("360");
    assertThat(img.getAttribute("height")).isEqualTo("240");
    @SuppressWarnings("unchecked")
    List<Number> placed = (List<Number>) b.script("return window.placedHeights;");
    assertThat(placed).isNotEmpty();
    assertThat(placed.get(0).doubleValue()).as("height when placed, before loading").isEqualTo(240.0);
    assertThat(((Number) b.script("return arguments[0].getBoundingClientRect().height;", img)).doubleValue())
        .as("height once loaded (640 x 427 rounds the shape a little)").isCloseTo(240.0, within(0.5));

    img.click();
    b.visible(ChatPage.testId("image-dialog"));
    WebElement large = b.visible(ChatPage.testId("image-dialog-img"));
    b.await().until(d -> ((Number) b.script("return arguments[0].naturalWidth;", large)).intValue() == 2400);
    assertThat(large.getAttribute("src")).startsWith(server.uri("/api/attachments/" + id + "/content?").toString());
    assertThat(((Number) b.script("return arguments[0].naturalHeight;", large)).intValue()).isEqualTo(1600);
    Map<?, ?> download = (Map<?, ?>) b.script("const a = document.querySelector('[data-testid=image-download]');"
        + "return {href: a.href};");
    assertThat((String) download.get("href")).doesNotContain("/thumbnail/");
  }

  /** Uploads a width x height PNG of two colours as {@code from}; returns the attachment id. */
  private String upload(TestServer.Account from, int width, int height) throws IOException {
    BufferedImage pixels = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = pixels.createGraphics();
    g.setColor(new Color(0x2563EB));
    g.fillRect(0, 0, width / 2, height);
    g.setColor(new Color(0xF59E0B));
    g.fillRect(width / 2, 0, width - width / 2, height);
    g.dispose();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(pixels, "png", png);
    TestServer.Response r = server.send(HttpRequest.newBuilder(server.uri("/api/attachments"))
        .header("Authorization", "Bearer " + from.access())
        .header("Content-Type", "image/png")
        .header("X-Filename", "view.png")
        .POST(HttpRequest.BodyPublishers.ofByteArray(png.toByteArray()))
        .build());
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("id").asText();
  }
}
