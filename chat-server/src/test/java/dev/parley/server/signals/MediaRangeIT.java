package dev.parley.server.signals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestMedia;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18: audio and video play inline, so downloads answer byte ranges (a media element seeks
 * with them) and proven media is served inline, with the user-content headers kept.
 */
class MediaRangeIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void signedLinksAnswerRangesOfProvenAudioInline() {
    Account alice = server.register(TestServer.uniqueName("r"));
    byte[] wav = TestMedia.wav(2000);
    String id = new Uploads(server).upload(alice.access(), wav, "audio/wav", "hello.wav").id();
    JsonNode link = link(alice, id);
    assertThat(link.get("media").asText()).isEqualTo("audio");
    assertThat(link.get("inline").asBoolean()).as("inline stays the raster-image flag").isFalse();
    assertThat(link.get("contentType").asText()).isEqualTo("audio/wav");
    String url = link.get("url").asText();

    HttpResponse<byte[]> whole = get(url, null, null);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.body()).isEqualTo(wav);
    assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
    assertThat(whole.headers().firstValue("Content-Disposition").orElse("")).startsWith("inline;");
    assertUserContent(whole);

    HttpResponse<byte[]> middle = get(url, null, "bytes=100-199");
    assertThat(middle.statusCode()).isEqualTo(206);
    assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 100-199/" + wav.length);
    assertThat(middle.headers().firstValue("Content-Length")).hasValue("100");
    assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(wav, 100, 200));
    assertThat(middle.headers().firstValue("Content-Type")).hasValue("audio/wav");
    assertUserContent(middle);

    HttpResponse<byte[]> open = get(url, null, "bytes=4000-");
    assertThat(open.statusCode()).isEqualTo(206);
    assertThat(open.headers().firstValue("Content-Range")).hasValue("bytes 4000-4043/4044");
    assertThat(open.body()).isEqualTo(Arrays.copyOfRange(wav, 4000, 4044));

    HttpResponse<byte[]> suffix = get(url, null, "bytes=-10");
    assertThat(suffix.statusCode()).isEqualTo(206);
    assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(wav, wav.length - 10, wav.length));

    HttpResponse<byte[]> pastTheEnd = get(url, null, "bytes=" + wav.length + "-");
    assertThat(pastTheEnd.statusCode()).isEqualTo(416);
    assertThat(pastTheEnd.headers().firstValue("Content-Range")).hasValue("bytes */" + wav.length);
    assertThat(pastTheEnd.body()).isEmpty();
    assertUserContent(pastTheEnd);

    // several ranges or another unit: the whole body, as RFC 9110 allows
    assertThat(get(url, null, "bytes=0-1,5-6").statusCode()).isEqualTo(200);
    assertThat(get(url, null, "items=0-1").statusCode()).isEqualTo(200);
  }

  @Test
  void theBearerRouteAnswersRangesToo() {
    Account alice = server.register(TestServer.uniqueName("b"));
    byte[] wav = TestMedia.wav(500);
    String id = new Uploads(server).upload(alice.access(), wav, "audio/wav", "b.wav").id();
    HttpResponse<byte[]> part = get("/api/attachments/" + id, alice.access(), "bytes=0-11");
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.body()).isEqualTo(Arrays.copyOf(wav, 12));
    assertThat(part.headers().firstValue("Content-Disposition").orElse("")).startsWith("inline;");
  }

  @Test
  void aPageDeclaredAsVideoIsStillADownload() {
    Account alice = server.register(TestServer.uniqueName("p"));
    byte[] page = "<!doctype html><script>alert(1)</script>".getBytes(StandardCharsets.UTF_8);
    String id = new Uploads(server).upload(alice.access(), page, "video/webm", "v.webm").id();
    JsonNode link = link(alice, id);
    assertThat(link.get("media").isNull()).isTrue();
    HttpResponse<byte[]> r = get(link.get("url").asText(), null, "bytes=0-5");
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    assertThat(r.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment;");
    assertUserContent(r);
  }

  private static JsonNode link(Account who, String id) {
    TestServer.Response r = server.post("/api/attachments/" + id + "/link", who.access(), null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static HttpResponse<byte[]> get(String path, String token, String range) {
    HttpRequest.Builder b = HttpRequest.newBuilder(path.startsWith("http") ? java.net.URI.create(path)
        : server.uri(path)).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (range != null) {
      b.header("Range", range);
    }
    try {
      return Uploads.client().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void assertUserContent(HttpResponse<byte[]> r) {
    assertThat(r.headers().firstValue("Content-Security-Policy").orElse("")).startsWith("sandbox;")
        .contains("default-src 'none'").doesNotContain("allow-scripts");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }
}
