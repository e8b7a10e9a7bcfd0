package dev.parley.server.signals;

import static dev.parley.server.signals.Signals.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.AttachmentStorage;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Downloads streamed from the database ({@code --attachments=database}, here on SQLite): a
 * pipelined request is answered after the whole streamed body, never inside it; a client that
 * stops reading half way and goes away leaves the server able to serve the next one (and leaks
 * no buffer: the class runs under the paranoid leak detector).
 */
class StreamedDownloadIT {
  private static final int SIZE = 1024 * 1024 + 77;
  @RegisterExtension
  static final TestServer server = TestServer.perClass(b -> b.attachmentStorage(AttachmentStorage.DATABASE));
  private static Uploads uploads;
  private static Account alice;
  private static String id;
  private static byte[] data;

  @BeforeAll
  static void upload() {
    uploads = new Uploads(server);
    alice = user(server, "alice");
    data = Uploads.bytes(SIZE, 11);
    Uploads.Answer up = uploads.upload(alice.access(), data, "application/octet-stream", "a.bin");
    assertThat(up.status()).as(up.body()).isEqualTo(201);
    id = up.id();
    assertThat(server.dataDir().resolve("attachments").resolve(id)).doesNotExist();
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + alice.access()
        + "\r\n\r\n";
  }

  /** Reads one response head; returns it (lower-cased names) without the blank line. */
  private static String head(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("closed inside a head: " + b);
      }
      b.write(c);
      matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : 0;
    }
    return b.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
  }

  private static long contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.startsWith("content-length:")) {
        return Long.parseLong(line.substring(15).strip());
      }
    }
    throw new AssertionError("no content-length in " + head);
  }

  @Test
  void aPipelinedRequestIsAnsweredAfterTheWholeStreamedBody() throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout((int) Duration.ofSeconds(20).toMillis());
      OutputStream out = s.getOutputStream();
      out.write((get("/api/attachments/" + id) + get("/healthz")).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String first = head(in);
      assertThat(first).startsWith("http/1.1 200");
      assertThat(contentLength(first)).isEqualTo(SIZE);
      assertThat(in.readNBytes(SIZE)).isEqualTo(data);
      String second = head(in);
      assertThat(second).startsWith("http/1.1 200");
      byte[] health = in.readNBytes((int) contentLength(second));
      assertThat(new String(health, StandardCharsets.UTF_8)).contains("ok");
    }
  }

  @Test
  void aClientThatLeavesHalfWayDoesNotStopTheNext() throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setReceiveBufferSize(8 * 1024);
      s.getOutputStream().write(get("/api/attachments/" + id).getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      assertThat(head(in)).startsWith("http/1.1 200");
      assertThat(in.readNBytes(100_000)).isEqualTo(java.util.Arrays.copyOf(data, 100_000));
    } // closed with most of the body unsent
    Uploads.Download again = uploads.download(alice.access(), id);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.bytes()).isEqualTo(data);
  }
}
