package dev.parley.server.profile;

import static dev.parley.server.testing.HttpAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestMedia;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.TestServer.Response;
import dev.parley.server.testing.WsClient;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Profile pictures over real HTTP: uploaded, encoded again, served safely, replaced, removed. */
class AvatarIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(b -> b.requestLimit(256 * 1024));
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void anUploadedPhotoIsServedAsASquareTheServerEncodedAndOthersSeeIt() throws Exception {
    Account a = server.register(TestServer.uniqueName("av"));
    Account b = server.register(TestServer.uniqueName("av"));
    server.direct(a, b);
    byte[] photo = TestMedia.image(600, 400, false, "jpeg");

    Response r = put(a.access(), photo);

    assertThat(r.status()).isEqualTo(200);
    String path = r.json().get("avatar").asText();
    assertThat(path).startsWith("/api/users/" + a.id() + "/avatar/");
    assertThat(server.get("/api/users/me", a.access()).json().get("avatar").asText()).isEqualTo(path);
    assertThat(memberOf(server.get("/api/threads", b.access()).json(), a.id()).get("avatar").asText())
        .isEqualTo(path);

    HttpResponse<byte[]> picture = fetch(path); // no token: an img loads it
    assertThat(picture.statusCode()).isEqualTo(200);
    assertThat(picture.headers().firstValue("Content-Type")).hasValue("image/jpeg");
    assertThat(picture.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(picture.headers().firstValue("Content-Security-Policy").orElse("")).contains("sandbox");
    assertThat(picture.headers().firstValue("Cache-Control").orElse("")).contains("immutable");
    assertThat(picture.body()).isNotEqualTo(photo);
    BufferedImage shown = ImageIO.read(new ByteArrayInputStream(picture.body()));
    assertThat(shown.getWidth()).isEqualTo(256);
    assertThat(shown.getHeight()).isEqualTo(256);
  }

  @Test
  void whoSharesAThreadHearsOfANewNameOrPictureAtOnce() throws Exception {
    Account a = server.register(TestServer.uniqueName("av"));
    Account b = server.register(TestServer.uniqueName("av"));
    Account stranger = server.register(TestServer.uniqueName("av"));
    String direct = server.direct(a, b);
    String group = server.group(a, "team", b);
    try (WsClient bs = server.connect(b.access()); WsClient strangers = server.connect(stranger.access())) {
      String path = put(a.access(), TestMedia.image(50, 50, false, "png")).json().get("avatar").asText();

      // one thread event per thread they share, in no particular order, with fresh members
      for (String thread : List.of(direct, group)) {
        JsonNode event = await().atMost(Duration.ofSeconds(10)).until(() -> bs.ofType("thread").stream()
            .filter(f -> f.path("thread").path("id").asText().equals(thread)
                && path.equals(memberIn(f.get("thread"), a.id()).path("avatar").asText()))
            .findFirst().orElse(null), java.util.Objects::nonNull);
        assertThat(memberIn(event.get("thread"), b.id()).has("avatar")).isFalse();
      }

      assertThat(server.request("PATCH", "/api/users/me", a.access(), "{\"displayName\":\"Ada L.\"}")
          .status()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(() -> bs.ofType("thread").stream().anyMatch(f ->
          f.path("thread").path("id").asText().equals(group)
              && memberIn(f.get("thread"), a.id()).path("displayName").asText().equals("Ada L.")));

      // the stranger shares no thread: a ping answered after the changes proves nothing came
      strangers.send("{\"type\":\"presence\",\"id\":\"p1\",\"users\":[]}");
      strangers.awaitId("p1");
      assertThat(strangers.ofType("thread")).isEmpty();
    }
  }

  @Test
  void aNewPictureGetsANewPathAndRemovingOneEndsIt() throws Exception {
    Account a = server.register(TestServer.uniqueName("av"));
    String first = put(a.access(), TestMedia.image(64, 64, true, "png")).json().get("avatar").asText();
    assertThat(fetch(first).headers().firstValue("Content-Type")).hasValue("image/png");

    String second = put(a.access(), TestMedia.image(80, 80, false, "gif")).json().get("avatar").asText();

    assertThat(second).isNotEqualTo(first);
    assertThat(fetch(first).statusCode()).isEqualTo(404);
    assertThat(fetch(second).statusCode()).isEqualTo(200);

    Response removed = server.request("DELETE", "/api/users/me/avatar", a.access(), null);
    assertThat(removed.status()).isEqualTo(200);
    assertThat(removed.json().has("avatar")).isFalse();
    assertThat(server.get("/api/users/me", a.access()).json().has("avatar")).isFalse();
    assertThat(fetch(second).statusCode()).isEqualTo(404);
  }

  @Test
  void refusesWhatIsNoImageTheServerReads() throws Exception {
    Account a = server.register(TestServer.uniqueName("av"));
    String html = "<html><script>alert(document.cookie)</script></html>";
    assertError(put(a.access(), html.getBytes(StandardCharsets.UTF_8)), 400, "bad_request");
    assertError(put(a.access(), new byte[0]), 400, "bad_request");
    // a PNG header that declares 100,000 x 100,000 pixels in a few bytes: refused before decoding
    assertError(put(a.access(), TestMedia.pngHeader(100_000, 100_000)), 400, "bad_request");
    // a truncated JPEG
    byte[] jpeg = TestMedia.image(300, 300, false, "jpeg");
    assertError(put(a.access(), java.util.Arrays.copyOf(jpeg, 200)), 400, "bad_request");
    assertThat(server.get("/api/users/me", a.access()).json().has("avatar")).isFalse();
  }

  @Test
  void refusesTooLargeUploadsAnonymousCallersAndUnknownPictures() throws Exception {
    Account a = server.register(TestServer.uniqueName("av"));
    assertThat(put(a.access(), new byte[300 * 1024]).status()).isEqualTo(413);
    assertThat(put(null, TestMedia.image(10, 10, false, "png")).status()).isEqualTo(401);
    assertThat(fetch("/api/users/" + a.id() + "/avatar/nope").statusCode()).isEqualTo(404);
    assertThat(fetch("/api/users/nobody/avatar/nope").statusCode()).isEqualTo(404);
  }

  private static JsonNode memberIn(JsonNode thread, String userId) {
    for (JsonNode m : thread.get("members")) {
      if (m.get("id").asText().equals(userId)) {
        return m;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private static JsonNode memberOf(JsonNode threads, String userId) {
    for (JsonNode t : threads.get("threads")) {
      for (JsonNode m : t.get("members")) {
        if (m.get("id").asText().equals(userId)) {
          return m;
        }
      }
    }
    throw new AssertionError("no thread lists " + userId + ": " + threads);
  }

  private static Response put(String token, byte[] image) {
    HttpRequest.Builder rb = HttpRequest.newBuilder(server.uri("/api/users/me/avatar"))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "image/png")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(image));
    if (token != null) {
      rb.header("Authorization", "Bearer " + token);
    }
    return server.send(rb.build());
  }

  private static HttpResponse<byte[]> fetch(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
