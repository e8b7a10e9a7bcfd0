package dev.parley.server.signals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestMedia;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.TestServer.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18's thumbnails over real HTTP: a small copy the server encoded, under the download's
 * access rule and headers, kept in the blob store; hostile uploads get a 404, never a 500.
 */
class ThumbnailsIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  private static Uploads uploads;

  @BeforeAll
  static void start() {
    uploads = new Uploads(server);
  }

  @Test
  void aPhotoHasASmallJpegThumbnailForMembersOnly() throws IOException {
    Account alice = server.register(TestServer.uniqueName("a"));
    Account bob = server.register(TestServer.uniqueName("b"));
    Account mallory = server.register(TestServer.uniqueName("m"));
    byte[] photo = TestMedia.image(2000, 1500, false, "jpeg");
    String id = uploads.upload(alice.access(), photo, "image/jpeg", "photo.jpg").id();
    post(alice, server.direct(alice, bob), id);

    Uploads.Download t = thumbnail(alice.access(), id);
    assertThat(t.status()).isEqualTo(200);
    assertThat(t.headers().firstValue("Content-Type")).hasValue("image/jpeg");
    assertThat(t.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(t.headers().firstValue("Content-Security-Policy").orElse("")).startsWith("sandbox;");
    assertThat(t.headers().firstValue("Cache-Control")).hasValue("private, max-age=31536000, immutable");
    assertThat(t.headers().firstValue("Content-Disposition").orElse("")).startsWith("inline;");
    BufferedImage small = ImageIO.read(new ByteArrayInputStream(t.bytes()));
    assertThat(small.getWidth()).isEqualTo(640);
    assertThat(small.getHeight()).isEqualTo(480);
    assertThat(t.bytes().length).isLessThan(photo.length);
    // kept in the blob store (the disk here) next to the attachment, for every node
    assertThat(uploads.attachmentDir().resolve(id + "_thumb")).exists();
    assertThat(Files.readAllBytes(uploads.attachmentDir().resolve(id + "_thumb"))).isEqualTo(t.bytes());

    assertThat(thumbnail(bob.access(), id).status()).isEqualTo(200);
    // refused exactly like the download
    assertThat(uploads.download(mallory.access(), id).status()).isEqualTo(403);
    Uploads.Download refused = thumbnail(mallory.access(), id);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.errorCode()).isEqualTo("forbidden");
    assertThat(thumbnail(null, id).status()).isEqualTo(401);
    assertThat(thumbnail(alice.access(), "nosuchattachment000000").status()).isEqualTo(404);
  }

  @Test
  void theLinkTellsTheSizeAndASignedThumbnailUrl() throws IOException {
    Account alice = server.register(TestServer.uniqueName("l"));
    Account mallory = server.register(TestServer.uniqueName("x"));
    String id = uploads.upload(alice.access(), TestMedia.image(700, 1400, true, "png"), "image/png", "tall.png").id();

    JsonNode link = link(alice, id);
    assertThat(link.get("width").asInt()).isEqualTo(700);
    assertThat(link.get("height").asInt()).isEqualTo(1400);
    String url = link.get("thumbnail").asText();
    assertThat(url).startsWith("/api/attachments/" + id + "/thumbnail/content?");

    Uploads.Download t = get(url, null); // a browser's img: no Authorization
    assertThat(t.status()).isEqualTo(200);
    assertThat(t.headers().firstValue("Content-Type")).hasValue("image/png"); // it has transparency
    BufferedImage small = ImageIO.read(new ByteArrayInputStream(t.bytes()));
    assertThat(small.getWidth()).isEqualTo(320);
    assertThat(small.getHeight()).isEqualTo(640);
    assertThat(small.getColorModel().hasAlpha()).isTrue();

    assertThat(get(url.replaceAll("sig=[^&]+", "sig=AAAA"), null).status()).isEqualTo(403);
    assertThat(get(url.replaceAll("u=[^&]+", "u=" + mallory.id()), null).status()).isEqualTo(403);
    assertThat(server.post("/api/attachments/" + id + "/link", mallory.access(), null).status()).isEqualTo(403);

    // a GIF may move: the link gives its size but no thumbnail, which the route still makes
    String gif = uploads.upload(alice.access(), TestMedia.image(800, 400, false, "gif"), "image/gif", "a.gif").id();
    JsonNode gifLink = link(alice, gif);
    assertThat(gifLink.get("width").asInt()).isEqualTo(800);
    assertThat(gifLink.get("thumbnail").isNull()).isTrue();
    assertThat(thumbnail(alice.access(), gif).status()).isEqualTo(200);
  }

  @Test
  void hostileUploadsHaveNoThumbnailAndNeverAServerError() throws IOException {
    Account alice = server.register(TestServer.uniqueName("h"));
    byte[] page = "<!doctype html><script>alert(1)</script>".getBytes(StandardCharsets.UTF_8);
    byte[] bomb = TestMedia.pngHeader(100_000, 100_000); // 10 gigapixels declared in 33 bytes
    byte[] corrupt = TestMedia.image(300, 300, false, "png");
    for (int i = 60; i < corrupt.length - 20; i++) {
      corrupt[i] = (byte) (i * 31);
    }
    byte[] webp = "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII);

    for (byte[] bad : new byte[][] {page, bomb, corrupt, webp}) {
      String id = uploads.upload(alice.access(), bad, "image/png", "x.png").id();
      for (int attempt = 0; attempt < 2; attempt++) { // the second answer comes from the stored verdict
        Uploads.Download t = thumbnail(alice.access(), id);
        assertThat(t.status()).isEqualTo(404);
        assertThat(t.errorCode()).isEqualTo("not_found");
      }
      // a corrupt image with a sound header still gets a thumbnail URL: only decoding finds out
      assertThat(link(alice, id).get("thumbnail").isNull()).isEqualTo(bad != corrupt);
    }

    String bombId = uploads.upload(alice.access(), bomb, "image/png", "bomb.png").id();
    JsonNode link = link(alice, bombId);
    assertThat(link.get("inline").asBoolean()).isTrue(); // the bytes start like a PNG
    assertThat(link.get("width").asInt()).isEqualTo(100_000);
    assertThat(link.get("thumbnail").isNull()).isTrue();
    String pageId = uploads.upload(alice.access(), page, "image/png", "page.png").id();
    assertThat(link(alice, pageId).get("width").isNull()).isTrue();
  }

  @Test
  void thePixelLimitIsASetting() throws IOException {
    try (TestServer strict = TestServer.start(b -> b.imagePixelLimit(10_000))) {
      Uploads strictUploads = new Uploads(strict);
      Account alice = strict.register(TestServer.uniqueName("p"));
      String big = strictUploads.upload(alice.access(), TestMedia.image(200, 100, false, "png"), "image/png", "big.png").id();
      String fits = strictUploads.upload(alice.access(), TestMedia.image(100, 100, false, "png"), "image/png", "fits.png").id();

      assertThat(get(strict, "/api/attachments/" + big + "/thumbnail", alice.access()).status()).isEqualTo(404);
      JsonNode link = strict.post("/api/attachments/" + big + "/link", alice.access(), null).json();
      assertThat(link.get("width").asInt()).isEqualTo(200);
      assertThat(link.get("thumbnail").isNull()).isTrue();
      assertThat(get(strict, "/api/attachments/" + fits + "/thumbnail", alice.access()).status()).isEqualTo(200);
    }
  }

  private static void post(Account who, String thread, String attachmentId) {
    Response r = server.post("/api/threads/" + thread + "/messages", who.access(),
        "{\"body\":\"\",\"attachments\":[\"" + attachmentId + "\"]}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  private static JsonNode link(Account who, String id) {
    Response r = server.post("/api/attachments/" + id + "/link", who.access(), null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static Uploads.Download thumbnail(String token, String id) {
    return get("/api/attachments/" + id + "/thumbnail", token);
  }

  private static Uploads.Download get(String path, String token) {
    return get(server, path, token);
  }

  private static Uploads.Download get(TestServer to, String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(to.uri(path)).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<byte[]> r = Uploads.client().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Uploads.Download(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
