package dev.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;

/**
 * Renders a full conversation (attachment image, read receipt, typing, presence) at 1280x800 and
 * saves it to target/web-client.png; with
 * {@code -Dparley.screenshot=../docs/img/web-client.png} (relative to chat-server/) it refreshes
 * the README's picture.
 */
@ExtendWith(Browsers.class)
class BrowserScreenshotIT {

  @Test
  void rendersTheReadmeScreenshot(Browsers browsers) throws IOException {
    // every run renders the full scene; -Dparley.screenshot=../docs/img/web-client.png refreshes the README's
    String target = System.getProperty("parley.screenshot", "target/web-client.png");
    try (TestServer server = TestServer.start()) {
      TestServer.Account ada = registerAs(server, "ada", "Ada Lovelace");
      TestServer.Account charles = registerAs(server, "charles", "Charles Babbage");
      TestServer.Account grace = registerAs(server, "grace", "Grace Hopper");
      TestServer.Account alan = registerAs(server, "alan", "Alan Turing");
      picture(server, charles, portrait(new Color(0x0EA5E9), new Color(0x1E3A8A)));
      picture(server, grace, portrait(new Color(0xF59E0B), new Color(0x9D174D)));

      String engine = server.group(charles, "Analytical Engine", ada, grace, alan);
      say(server, alan, engine, "Has anyone tried the new punched cards?");
      say(server, grace, engine, "Yes! Found a moth in the reader, though. Literally a bug.");
      String withGrace = direct(server, grace, ada);
      say(server, grace, withGrace, "Are we still on for the compiler review tomorrow?");
      say(server, grace, withGrace, "I'll bring the tapes");

      String chat = direct(server, ada, charles);
      say(server, charles, chat, "Good morning, Ada! Did you get a chance to read my notes on the engine?");
      say(server, ada, chat, "I did, last night. The mill and the store are beautiful ideas.");
      say(server, ada, chat, "I think it could do more than arithmetic: it could compose music, if we encode the notes as numbers.");
      say(server, charles, chat, "That is a bold thought. Show me how you would program it?");
      String plot = upload(server, ada, chart());
      server.post("/api/threads/" + chat + "/messages", ada.access(),
          "{\"body\":\"Here is the table for the Bernoulli numbers, step by step\",\"attachments\":[\""
              + plot + "\"]}");
      long last = say(server, ada, chat, "Note G. It is the first program, I believe.");

      ChatPage page = new ChatPage(browsers.open("ada", 1280, 800), server).open();
      page.login("ada");
      try (WsClient charlesOnline = server.connect(charles.access());
          WsClient graceOnline = server.connect(grace.access())) {
        page.openThread("Charles Babbage");
        page.await().until(d -> !d.findElements(ChatPage.testId("attachment-image")).isEmpty()
            && ((Number) page.script("return document.querySelector(\"[data-testid='attachment-image']\").naturalWidth;"))
            .intValue() > 0);
        charlesOnline.send("{\"type\":\"read\",\"thread\":\"" + chat + "\",\"seq\":" + last + "}");
        page.awaitReadReceipt("Note G. It is the first program, I believe.");
        charlesOnline.send("{\"type\":\"typing\",\"thread\":\"" + chat + "\"}");
        page.awaitTyping("Charles Babbage is typing");
        page.await().until(d -> "online".equals(page.threadItem("Charles Babbage")
            .findElement(ChatPage.testId("presence-dot")).getAttribute("data-status")));
        page.await().until(d -> Boolean.TRUE.equals(page.script("return [...document.querySelectorAll("
            + "\"img[data-testid='avatar-img']\")].every((i) => i.complete && i.naturalWidth > 0)"))
            && d.findElements(By.cssSelector("img[data-testid='avatar-img']")).size() >= 3);
        page.composer().sendKeys("Shall we run it on Thursday?");
        page.script("document.activeElement.blur(); document.getElementById('message-scroller').scrollTop = 1e9;");
        byte[] png = ((TakesScreenshot) page.driver()).getScreenshotAs(OutputType.BYTES);
        Path out = Paths.get(target);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, png);
        assertThat(Files.size(out)).isPositive();
      }
    }
  }

  private static TestServer.Account registerAs(TestServer server, String username, String displayName) {
    TestServer.Response r = server.post("/api/auth/register", null, "{\"username\":\"" + username
        + "\",\"password\":\"" + TestServer.PASSWORD + "\",\"displayName\":\"" + displayName + "\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    TestServer.Response login = server.post("/api/auth/login", null,
        "{\"username\":\"" + username + "\",\"password\":\"" + TestServer.PASSWORD + "\"}");
    return new TestServer.Account(r.json().get("id").asText(), username,
        login.json().get("access").asText(), login.json().get("refresh").asText());
  }

  private static String direct(TestServer server, TestServer.Account from, TestServer.Account to) {
    return server.post("/api/threads", from.access(), "{\"kind\":\"direct\",\"members\":[\"" + to.id() + "\"]}")
        .json().get("id").asText();
  }

  private static long say(TestServer server, TestServer.Account from, String thread, String body) {
    TestServer.Response r = server.post("/api/threads/" + thread + "/messages", from.access(),
        TestServer.JSON.createObjectNode().put("body", body).toString());
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("seq").asLong();
  }

  private static String upload(TestServer server, TestServer.Account from, byte[] png) {
    TestServer.Response r = server.send(HttpRequest.newBuilder(server.uri("/api/attachments"))
        .header("Authorization", "Bearer " + from.access())
        .header("Content-Type", "image/png")
        .header("X-Filename", "bernoulli.png")
        .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build());
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("id").asText();
  }

  private static void picture(TestServer server, TestServer.Account who, byte[] jpeg) {
    TestServer.Response r = server.send(HttpRequest.newBuilder(server.uri("/api/users/me/avatar"))
        .header("Authorization", "Bearer " + who.access())
        .header("Content-Type", "image/jpeg")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(jpeg)).build());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  /** A profile picture of sorts: a head and shoulders on a gradient, drawn here. */
  private static byte[] portrait(Color top, Color bottom) throws IOException {
    BufferedImage img = new BufferedImage(320, 320, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, top, 320, 320, bottom));
    g.fillRect(0, 0, 320, 320);
    g.setColor(new Color(255, 255, 255, 215));
    g.fillOval(105, 60, 110, 120);
    g.fillOval(45, 195, 230, 220);
    g.dispose();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "jpeg", out);
    return out.toByteArray();
  }

  /** A small bar chart, drawn here so the test needs no binary fixture. */
  private static byte[] chart() throws IOException {
    BufferedImage img = new BufferedImage(420, 220, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(new Color(0xFAFAFF));
    g.fillRect(0, 0, 420, 220);
    int[] values = {30, 55, 42, 90, 70, 120, 98, 150};
    for (int i = 0; i < values.length; i++) {
      g.setPaint(new GradientPaint(0, 200 - values[i], new Color(0x6366F1), 0, 200, new Color(0xA78BFA)));
      g.fillRoundRect(30 + i * 48, 200 - values[i], 32, values[i], 8, 8);
    }
    g.setColor(new Color(0xD4D4E8));
    g.fillRect(20, 200, 380, 2);
    g.dispose();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
