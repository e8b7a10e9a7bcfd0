package dev.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.parley.server.testing.TestServer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Issue 13: no upload can turn the web client against its user. One user uploads hostile files
 * (pages, SVG, XHTML, XML, PDF, files whose declared type lies, tricky names) and posts them to
 * another; the recipient's client renders them; the test follows every link and image the client
 * renders, in the same tab and in a new tab, and navigates straight to each image. Each payload
 * writes this origin's localStorage and cookie and calls a beacon; none of that may happen. A
 * control page served by the beacon (another origin, no protections) proves the payload works.
 */
@ExtendWith(Browsers.class)
class BrowserUploadSafetyIT {
  private TestServer server;
  private HttpServer beacon;
  private final Queue<String> hits = new ConcurrentLinkedQueue<>();

  /** A hostile upload: how it is declared and what it holds. */
  private record Kind(String label, String contentType, String filename, byte[] bytes) {
  }

  @BeforeEach
  void start() throws IOException {
    server = TestServer.start();
    beacon = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    beacon.createContext("/hit", ex -> {
      hits.add(ex.getRequestURI().toString());
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    beacon.createContext("/control.html", ex -> {
      byte[] page = bytes(html("control"));
      ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      ex.sendResponseHeaders(200, page.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(page);
      }
    });
    beacon.start();
  }

  @AfterEach
  void stop() {
    beacon.stop(0);
    server.close();
  }

  @Test
  void noUploadRunsScriptInTheAppsOrigin(Browsers browsers, @TempDir Path downloads) throws IOException {
    TestServer.Account alice = server.register("alice");
    TestServer.Account bob = server.register("bob");
    String thread = server.direct(alice, bob);
    List<Kind> kinds = kinds();
    for (Kind k : kinds) {
      String id = upload(alice.access(), k);
      TestServer.Response posted = server.post("/api/threads/" + thread + "/messages", alice.access(),
          "{\"body\":\"kind " + k.label() + "\",\"attachments\":[\"" + id + "\"]}");
      assertThat(posted.status()).as(k.label()).isEqualTo(201);
    }

    WebDriver driver = browsers.open("bob", 1280, 900);
    ((ChromeDriver) driver).executeCdpCommand("Browser.setDownloadBehavior",
        Map.of("behavior", "allow", "downloadPath", downloads.toString()));
    String beaconBase = "http://127.0.0.1:" + beacon.getAddress().getPort();

    // the control: served without protections from another origin, the payload does run
    String app = driver.getWindowHandle();
    driver.switchTo().newWindow(WindowType.TAB);
    // "localhost", not 127.0.0.1: cookies ignore the port, and the control's must not reach the app
    driver.get("http://localhost:" + beacon.getAddress().getPort() + "/control.html");
    Awaitility.await().until(() -> hits.stream().anyMatch(h -> h.contains("kind=control")));
    assertThat(((ChromeDriver) driver).executeScript("return localStorage.getItem('pwned-control');"))
        .isEqualTo("1");
    driver.close();
    driver.switchTo().window(app);
    hits.clear();

    ChatPage b = new ChatPage(driver, server).open();
    b.login("bob");
    b.openThread("alice");
    String tokens = (String) b.script("return localStorage.getItem('parley.tokens');");
    for (Kind k : kinds) {
      WebElement m = b.awaitMessage("kind " + k.label());
      b.await().until(d -> !m.findElements(By.cssSelector("a[href], img[src]")).isEmpty());
    }
    WebElement png = b.awaitMessage("kind real png").findElement(ChatPage.testId("attachment-image"));
    b.await().until(d -> ((Number) b.script("return arguments[0].naturalWidth;", png)).intValue() == 40);
    // only the proven raster images became images; every other kind is a download link
    List<String> images = attribute(driver, "img[src]", "src");
    assertThat(images).hasSize(2); // the real PNG and the GIF polyglot
    List<String> links = attribute(driver, "a[href]", "href");
    assertThat(links).hasSize(kinds.size() - 2);
    for (String url : concat(images, links)) {
      assertThat(url).startsWith(server.uri("/api/attachments/").toString()).doesNotContain("blob:");
    }
    assertNoCspViolation(driver);

    // every link clicked in the app's own tab: each one must download, not replace the app
    String appUrl = driver.getCurrentUrl();
    List<String> navigatedAway = new ArrayList<>();
    By rendered = By.cssSelector("[data-testid='message-list'] a[href]");
    for (int i = 0; i < links.size(); i++) {
      List<WebElement> now = b.await().until(d -> {
        List<WebElement> found = d.findElements(rendered);
        return found.size() == links.size() ? found : null;
      });
      now.get(i).click();
      if (!driver.getCurrentUrl().equals(appUrl)) {
        // a failure already; carry on with the other ways in, then report everything
        navigatedAway.add(driver.getCurrentUrl());
        driver.get(appUrl);
        b.awaitConnection("connected");
        break;
      }
    }
    // every link and image opened in a new tab
    for (String url : concat(images, links)) {
      driver.switchTo().newWindow(WindowType.TAB);
      driver.get(url);
      driver.close();
      driver.switchTo().window(app);
    }
    // and every image's src in the app's own tab
    for (String url : images) {
      driver.get(url);
    }

    driver.get(server.uri("/").toString());
    b.awaitConnection("connected");
    Object pwned = b.script("return Object.keys(localStorage).filter(k => k.startsWith('pwned'));");
    assertThat((List<?>) pwned).isEmpty();
    assertThat((String) b.script("return document.cookie;")).doesNotContain("pwned");
    assertThat(b.script("return localStorage.getItem('parley.tokens');")).isEqualTo(tokens);
    // a barrier for the beacon: the same browser calls it now, after any call a payload made
    // (not from the app's page: its CSP rightly refuses to load anything from another origin)
    driver.switchTo().newWindow(WindowType.TAB);
    driver.get(beaconBase + "/hit?kind=barrier");
    Awaitility.await().until(() -> hits.stream().anyMatch(h -> h.contains("kind=barrier")));
    assertThat(hits).allMatch(h -> h.contains("kind=barrier"));
    assertThat(navigatedAway).as("links that replaced the app instead of downloading").isEmpty();
  }

  private List<Kind> kinds() throws IOException {
    List<Kind> k = new ArrayList<>();
    k.add(new Kind("html", "text/html", "page.html", bytes(html("html"))));
    k.add(new Kind("svg", "image/svg+xml", "drawing.svg", bytes(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"" + payload("svg-onload").replace('"', '\'')
            + "\"><script>" + payload("svg") + "</script><circle r=\"10\"/></svg>")));
    k.add(new Kind("xhtml", "application/xhtml+xml", "page.xhtml", bytes(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><script>//<![CDATA[\n" + payload("xhtml")
            + "\n//]]></script></body></html>")));
    k.add(new Kind("xml", "text/xml", "data.xml", bytes(
        "<?xml version=\"1.0\"?><x:script xmlns:x=\"http://www.w3.org/1999/xhtml\">" + payload("xml")
            + "</x:script>")));
    k.add(new Kind("pdf", "application/pdf", "doc.pdf", bytes(pdf())));
    k.add(new Kind("lying png", "image/png", "photo.png", bytes(html("lying-png"))));
    k.add(new Kind("lying text", "text/plain", "notes.txt", bytes(html("lying-text"))));
    k.add(new Kind("gif polyglot", "image/gif", "anim.gif", bytes("GIF89a" + html("gif-polyglot"))));
    k.add(new Kind("quote name", "text/html", "a\".html\"; filename=x.png", bytes(html("quote"))));
    k.add(new Kind("path name", "text/html", "../../..\\..\\index.html", bytes(html("path"))));
    k.add(new Kind("rtl name", "text/html", "invoice\u202Efdp.html", bytes(html("rtl"))));
    k.add(new Kind("spaces name", "text/html", "cat.png" + " ".repeat(60) + ".html", bytes(html("spaces"))));
    k.add(new Kind("long name", "text/html", "x".repeat(400) + ".html", bytes(html("long"))));
    k.add(new Kind("real png", "image/png", "pixel.png", png()));
    return k;
  }

  /** What every payload does if it ever runs: mark this origin's storage and cookie, call the beacon. */
  private static String payload(String kind) {
    return "try{localStorage.setItem('pwned','" + kind + "');localStorage.setItem('pwned-" + kind + "','1');}catch(e){}"
        + "try{document.cookie='pwned-" + kind + "=1; path=/';}catch(e){}"
        + "try{new Image().src='http://127.0.0.1:'+BEACON_PORT+'/hit?kind=" + kind + "&origin='+encodeURIComponent(location.origin);}catch(e){}"
        + "try{fetch('http://127.0.0.1:'+BEACON_PORT+'/hit?kind=" + kind + "&via=fetch',{mode:'no-cors'});}catch(e){}";
  }

  private static String html(String kind) {
    return "<!doctype html><html><body><script>" + payload(kind) + "</script>"
        + "<img src=\"x\" onerror=\"" + payload(kind + "-onerror").replace('"', '\'') + "\"></body></html>";
  }

  private static String pdf() {
    return "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n"
        + "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 99 99]>>endobj\n"
        + "trailer<</Root 1 0 R>>\n%%EOF\n<html><body><script>" + payload("pdf") + "</script></body></html>";
  }

  private byte[] bytes(String text) {
    return text.replace("BEACON_PORT", String.valueOf(beacon.getAddress().getPort()))
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] png() throws IOException {
    BufferedImage pixels = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = pixels.createGraphics();
    g.setColor(new Color(0x10B981));
    g.fillRect(0, 0, 40, 30);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(pixels, "png", out);
    return out.toByteArray();
  }

  /**
   * Uploads over a raw socket, so that the filename reaches the server as the bytes an attacker
   * would send (UTF-8, quotes, separators), not as a well-behaved client would clean it.
   */
  private String upload(String access, Kind k) {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      String head = "POST /api/attachments HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
          + "Authorization: Bearer " + access + "\r\nContent-Type: " + k.contentType() + "\r\n"
          + "Content-Length: " + k.bytes().length + "\r\nX-Filename: ";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(k.filename().getBytes(StandardCharsets.UTF_8));
      out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.write(k.bytes());
      out.flush();
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).as(k.label()).startsWith("HTTP/1.1 201");
      String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
      return TestServer.JSON.readTree(body).get("id").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> attribute(WebDriver driver, String css, String name) {
    return driver.findElements(By.cssSelector("[data-testid='message-list'] " + css)).stream()
        .map(e -> e.getAttribute(name)).collect(Collectors.toList());
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static void assertNoCspViolation(WebDriver driver) {
    List<String> violations = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getMessage().contains("Content Security Policy")) {
        violations.add(e.getMessage());
      }
    }
    assertThat(violations).isEmpty();
  }
}
