package dev.parley.server.signals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.TestServer.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.awt.image.BufferedImage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13 over plain HTTP: the protective headers on every kind of answer, signed download links
 * and what they serve. (The browser side is BrowserUploadSafetyIT.)
 */
class SafeDownloadsIT {
  private static final String PAGE = "<!doctype html><script>localStorage.x=1</script>";
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  private static Uploads uploads;

  @BeforeAll
  static void start() {
    uploads = new Uploads(server);
  }

  @Test
  void theAppItsFilesAndEveryApiAnswerCarryTheProtectiveHeaders() {
    for (String path : new String[] {"/", "/index.html", "/js/main.js", "/app.css"}) {
      Response r = server.get(path, null);
      assertThat(r.status()).as(path).isEqualTo(200);
      String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
      assertThat(csp).as(path).contains("default-src 'self'", "script-src 'self'", "object-src 'none'",
          "frame-ancestors 'none'", "base-uri 'none'", "img-src 'self'").doesNotContain("unsafe", "blob:", "data:");
      assertCommon(path, r.headers());
    }
    Account alice = server.register(TestServer.uniqueName("h"));
    for (String path : new String[] {"/api/users/me", "/api/nope", "/healthz", "/nope.html", "/ws"}) {
      Response r = server.get(path, path.equals("/healthz") ? null : path.equals("/api/nope") ? alice.access() : null);
      assertThat(r.headers().firstValue("Content-Security-Policy").orElse("")).as(path)
          .startsWith("default-src 'none'");
      assertCommon(path, r.headers());
    }
  }

  @Test
  void aPageIsNeverServedAsAPage() {
    Account alice = server.register(TestServer.uniqueName("a"));
    String id = uploads.upload(alice.access(), PAGE.getBytes(StandardCharsets.UTF_8), "text/html", "x\".html").id();

    // the contract's route for outside clients: the declared type, but as a sandboxed download
    Uploads.Download bearer = uploads.download(alice.access(), id);
    assertThat(bearer.status()).isEqualTo(200);
    assertThat(bearer.headers().firstValue("Content-Type")).hasValue("text/html");
    assertThat(bearer.headers().firstValue("Content-Disposition")).hasValue(
        "attachment; filename=\"x.html\"; filename*=UTF-8''x.html"); // the core already drops quotes
    assertUserContent(bearer.headers());

    JsonNode link = link(alice, id);
    assertThat(link.get("inline").asBoolean()).isFalse();
    assertThat(link.get("contentType").asText()).isEqualTo("application/octet-stream");
    assertThat(link.get("expiresAt").asLong()).isGreaterThan(System.currentTimeMillis());
    Response signed = server.get(link.get("url").asText(), null);
    assertThat(signed.status()).isEqualTo(200);
    assertThat(signed.body()).isEqualTo(PAGE);
    assertThat(signed.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    assertThat(signed.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment;");
    assertUserContent(signed.headers());
  }

  @Test
  void onlyBytesThatAreARasterImageAreShownInline() throws IOException {
    Account alice = server.register(TestServer.uniqueName("i"));
    String liar = uploads.upload(alice.access(), PAGE.getBytes(StandardCharsets.UTF_8), "image/png", "a.png").id();
    assertThat(uploads.download(alice.access(), liar).headers().firstValue("Content-Disposition").orElse(""))
        .startsWith("attachment;");
    assertThat(link(alice, liar).get("inline").asBoolean()).isFalse();
    String svg = uploads.upload(alice.access(), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
        .getBytes(StandardCharsets.UTF_8), "image/svg+xml", "a.svg").id();
    assertThat(link(alice, svg).get("inline").asBoolean()).isFalse();

    String png = uploads.upload(alice.access(), png(), "application/octet-stream", "b.png").id();
    JsonNode link = link(alice, png);
    assertThat(link.get("inline").asBoolean()).isTrue();
    Response r = server.get(link.get("url").asText(), null);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(r.headers().firstValue("Content-Disposition").orElse("")).startsWith("inline;");
    assertUserContent(r.headers());
  }

  @Test
  void linksFollowTheDownloadRuleAndCannotBeForged() {
    Account alice = server.register(TestServer.uniqueName("f"));
    Account mallory = server.register(TestServer.uniqueName("m"));
    String id = uploads.upload(alice.access(), PAGE.getBytes(StandardCharsets.UTF_8), "text/html", "p.html").id();
    Response refused = server.post("/api/attachments/" + id + "/link", mallory.access(), null);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.errorCode()).isEqualTo("forbidden");
    assertThat(server.post("/api/attachments/" + id + "/link", null, null).status()).isEqualTo(401);

    String url = link(alice, id).get("url").asText();
    String[] forgeries = {
        url.replaceAll("sig=[^&]+", "sig=AAAA"),
        url.replaceAll("u=[^&]+", "u=" + mallory.id()),
        url.replaceAll("exp=([0-9]+)", "exp=9$1"),
        url.substring(0, url.indexOf('?')),
    };
    for (String forged : forgeries) {
      Response r = server.get(forged, null);
      assertThat(r.status()).as(forged).isEqualTo(403);
      assertThat(r.errorCode()).as(forged).isEqualTo("forbidden");
      assertThat(r.body()).doesNotContain("localStorage");
    }
  }

  private static JsonNode link(Account who, String id) {
    Response r = server.post("/api/attachments/" + id + "/link", who.access(), null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static void assertUserContent(HttpHeaders h) {
    String csp = h.firstValue("Content-Security-Policy").orElse("");
    assertThat(csp).startsWith("sandbox;").contains("default-src 'none'").doesNotContain("allow-scripts");
    assertCommon("user content", h);
  }

  private static void assertCommon(String what, HttpHeaders h) {
    assertThat(h.firstValue("X-Content-Type-Options")).as(what).hasValue("nosniff");
    assertThat(h.firstValue("Referrer-Policy")).as(what).hasValue("no-referrer");
    assertThat(h.allValues("X-Content-Type-Options")).as(what).hasSize(1);
  }

  private static byte[] png() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", out);
    return out.toByteArray();
  }
}
