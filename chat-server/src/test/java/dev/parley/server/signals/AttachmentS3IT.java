package dev.parley.server.signals;

import static dev.parley.server.signals.Signals.restSend;
import static dev.parley.server.signals.Signals.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.core.attachments.s3.S3Settings;
import dev.parley.server.testing.S3MockProcess;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Attachments in an S3-compatible bucket (S3Mock, in a process of its own): with {@code
 * --s3-bucket} given, {@code auto} keeps the bytes as objects under the prefix, not on the node's
 * disk; they download byte for byte (by token and by signed link); deleting the message erases the
 * object.
 */
class AttachmentS3IT {
  private static final String BUCKET = "parley-attachments";
  private static final int SIZE = 700 * 1024 + 5;

  private static S3Client client(S3MockProcess s3) {
    return S3Client.builder().endpointOverride(URI.create(s3.endpoint())).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test-key", "test-secret")))
        .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create()).build();
  }

  private static List<S3Object> objects(S3Client client) {
    return client.listObjectsV2(r -> r.bucket(BUCKET)).contents();
  }

  @Test
  void keepsTheBytesInTheBucketAndDeletingTheMessageErasesThem() throws Exception {
    try (S3MockProcess s3 = S3MockProcess.start(BUCKET);
         S3Client bucket = client(s3);
         TestServer server = TestServer.start(b -> b.s3(
             S3Settings.of(s3.endpoint(), BUCKET, "test-key", "test-secret")))) {
      assertThat(server.server().engine().attachments().blobs().describe()).startsWith("s3");
      Uploads uploads = new Uploads(server);
      Account alice = user(server, "alice");
      Account bob = user(server, "bob");
      String thread = server.group(alice, "files", bob);
      byte[] data = Uploads.bytes(SIZE, 7);

      Uploads.Answer up = uploads.upload(alice.access(), data, "application/octet-stream", "big.bin");
      assertThat(up.status()).as(up.body()).isEqualTo(201);
      String id = up.id();
      assertThat(objects(bucket)).singleElement().satisfies(o -> {
        assertThat(o.key()).isEqualTo(S3Settings.DEFAULT_PREFIX + id);
        assertThat(o.size()).isEqualTo(SIZE);
      });
      assertThat(Uploads.files(uploads.attachmentDir())).as("nothing left on the node's disk").isEmpty();

      TestServer.Response sent = server.post("/api/threads/" + thread + "/messages", alice.access(),
          restSend("", List.of(id)));
      assertThat(sent.status()).as(sent.body()).isEqualTo(201);
      Uploads.Download down = uploads.download(bob.access(), id);
      assertThat(down.status()).isEqualTo(200);
      assertThat(down.bytes()).isEqualTo(data);
      TestServer.Response link = server.post("/api/attachments/" + id + "/link", bob.access(), null);
      HttpResponse<byte[]> viaLink = Uploads.client().send(HttpRequest.newBuilder(
              server.uri(link.json().get("url").asText())).timeout(Duration.ofSeconds(30)).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(viaLink.statusCode()).isEqualTo(200);
      assertThat(viaLink.body()).isEqualTo(data);

      long seq = sent.json().get("seq").asLong();
      TestServer.Response deleted = server.request("DELETE",
          "/api/threads/" + thread + "/messages/" + seq, alice.access(), null);
      assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(objects(bucket)).isEmpty());
      assertThat(uploads.download(bob.access(), id).status()).isEqualTo(404);
    }
  }
}
