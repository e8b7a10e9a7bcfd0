package dev.parley.server.signals;

import static dev.parley.server.signals.Signals.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Uploads over a small limit (1 MiB): refused with 413, and nothing of them is kept on disk. */
class AttachmentLimitIT {
  private static final int LIMIT = 1024 * 1024;
  @RegisterExtension
  static final TestServer server = TestServer.perClass(b -> b.attachmentLimit(LIMIT));
  private static Uploads uploads;

  @BeforeAll
  static void start() {
    uploads = new Uploads(server);
  }

  /** The attachment folder holds exactly the given attachments' files and nothing is left in tmp/. */
  private static void assertOnDiskExactly(List<String> ids) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> Uploads.files(uploads.tmpDir()).isEmpty());
    List<Path> expected = ids.stream().map(id -> uploads.attachmentDir().resolve(id)).toList();
    assertThat(Uploads.files(uploads.attachmentDir())).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void anUploadOfExactlyTheLimitIsAccepted() {
    Account alice = user(server, "alice");
    byte[] bytes = Uploads.bytes(LIMIT, 7);
    Uploads.Answer up = uploads.upload(alice.access(), bytes, "application/zip", "limit.zip");
    assertThat(up.status()).as(up.body()).isEqualTo(201);
    assertThat(up.json().get("size").asLong()).isEqualTo(LIMIT);
    assertThat(uploads.download(alice.access(), up.id()).bytes()).isEqualTo(bytes);
  }

  @Test
  void overTheLimitIs413WithNothingLeftBehind() {
    Account alice = user(server, "alice");
    List<Path> before = Uploads.files(uploads.attachmentDir());

    // declared up front with Content-Length
    Uploads.Answer declared = uploads.upload(alice.access(), Uploads.bytes(LIMIT + 1, 8), "application/zip", "big.zip");
    assertThat(declared.status()).as(declared.body()).isEqualTo(413);
    assertThat(declared.errorCode()).isEqualTo("too_large");

    // streamed without a length: found out half way, after a temp file was started
    Uploads.Answer streamed = uploads.uploadStream(alice.access(),
        () -> new ByteArrayInputStream(Uploads.bytes(2 * LIMIT, 9)), "application/zip", "big.zip");
    assertThat(streamed.status()).as(streamed.body()).isEqualTo(413);
    assertThat(streamed.errorCode()).isEqualTo("too_large");

    Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> Uploads.files(uploads.tmpDir()).isEmpty());
    assertThat(Uploads.files(uploads.attachmentDir())).containsExactlyInAnyOrderElementsOf(before);

    // the server is fine afterwards
    Uploads.Answer small = uploads.upload(alice.access(), Uploads.bytes(1000, 10), "application/zip", "small.zip");
    assertThat(small.status()).as(small.body()).isEqualTo(201);
  }

  @Test
  void aStreamedUploadUnderTheLimitLeavesOnlyItsFile() {
    Account alice = user(server, "alice");
    List<String> ids = new java.util.ArrayList<>(Uploads.files(uploads.attachmentDir()).stream()
        .map(p -> p.getFileName().toString()).toList());
    byte[] bytes = Uploads.bytes(LIMIT / 2, 11);
    Uploads.Answer up = uploads.uploadStream(alice.access(), () -> new ByteArrayInputStream(bytes), "image/gif", "a.gif");
    assertThat(up.status()).as(up.body()).isEqualTo(201);
    assertThat(up.json().get("size").asLong()).isEqualTo(bytes.length);
    ids.add(up.id());
    assertOnDiskExactly(ids);
    assertThat(uploads.download(alice.access(), up.id()).bytes()).isEqualTo(bytes);
  }

  @Test
  void anUnauthenticatedUploadIs401AndLeavesNothing() {
    List<Path> before = Uploads.files(uploads.attachmentDir());
    Uploads.Answer up = uploads.upload(null, Uploads.bytes(5000, 12), "image/png", "x.png");
    assertThat(up.status()).as(up.body()).isEqualTo(401);
    assertThat(up.errorCode()).isEqualTo("unauthorized");
    Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> Uploads.files(uploads.tmpDir()).isEmpty());
    assertThat(Uploads.files(uploads.attachmentDir())).containsExactlyInAnyOrderElementsOf(before);
  }
}
