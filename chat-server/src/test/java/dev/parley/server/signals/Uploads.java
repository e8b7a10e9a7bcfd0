package dev.parley.server.signals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Uploading and downloading attachments over real HTTP/1.1 with the JDK client. */
final class Uploads {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final TestServer server;

  Uploads(TestServer server) {
    this.server = server;
  }

  /** An upload's answer: status and body. */
  record Answer(int status, String body) {
    JsonNode json() {
      try {
        return TestServer.JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    String id() {
      return json().get("id").asText();
    }

    String errorCode() {
      return json().path("error").path("code").asText();
    }
  }

  /** A download: status, bytes, headers. */
  record Download(int status, byte[] bytes, java.net.http.HttpHeaders headers) {
    String errorCode() {
      try {
        return TestServer.JSON.readTree(bytes).path("error").path("code").asText();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Uploads {@code bytes} with a Content-Length; {@code contentType} and {@code filename} are left out when null. */
  Answer upload(String token, byte[] bytes, String contentType, String filename) {
    return send(request(token, contentType, filename).POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
  }

  /** Uploads a streamed body of unknown length (chunked). */
  Answer uploadStream(String token, Supplier<InputStream> body, String contentType, String filename) {
    return send(request(token, contentType, filename).POST(HttpRequest.BodyPublishers.ofInputStream(body)).build());
  }

  HttpRequest.Builder request(String token, String contentType, String filename) {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri("/api/attachments")).timeout(Duration.ofSeconds(60));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (filename != null) {
      b.header("X-Filename", filename);
    }
    return b;
  }

  static Answer send(HttpRequest request) {
    try {
      HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static HttpClient client() {
    return HTTP;
  }

  Download download(String token, String id) {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri("/api/attachments/" + id))
        .timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Download(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Reproducible pseudo-random bytes. */
  static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Where the server keeps attachments, and its folder of uploads in progress. */
  Path attachmentDir() {
    return server.dataDir().resolve("attachments");
  }

  Path tmpDir() {
    return attachmentDir().resolve("tmp");
  }

  /** Every regular file under {@code dir}, recursively. */
  static List<Path> files(Path dir) {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
