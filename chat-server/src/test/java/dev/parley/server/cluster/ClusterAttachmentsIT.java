package dev.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.testing.ServerProcess;
import dev.parley.server.testing.TestServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attachments across two nodes that share PostgreSQL and Redis but not a file system (each has its
 * own data dir): with the default {@code --attachments=auto} the bytes go to the database, so a
 * file uploaded through one node downloads byte for byte through the other, by token and by
 * signed link; deleting the message erases its chunk rows.
 */
class ClusterAttachmentsIT {
  /** Three MiB and a bit: 13 chunks of 256 KiB, the last one short. */
  private static final int SIZE = 3 * 1024 * 1024 + 17;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  @RegisterExtension
  static final ClusterNodes cluster = ClusterNodes.of(2);

  private static byte[] bytes(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 31 + (i >>> 11));
    }
    return b;
  }

  private static HttpResponse<byte[]> get(ServerProcess node, String path, String token) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(node.uri(path)).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private long rows(String sql, String key) throws SQLException {
    try (Connection c = DriverManager.getConnection(cluster.dbUrl());
         PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private long chunks(String id) throws SQLException {
    return rows("SELECT count(*) FROM attachment_chunks WHERE blob_key = ?", id);
  }

  @Test
  void aFileUploadedOnOneNodeDownloadsOnTheOtherAndADeleteErasesItsChunks() throws Exception {
    ServerProcess a = cluster.node(0);
    ServerProcess b = cluster.node(1);
    for (ServerProcess node : cluster.nodes()) {
      assertThat(node.logText()).contains("attachments kept in database");
    }
    TestServer.Account alice = a.register(Cluster.name("alice"));
    TestServer.Account bob = b.register(Cluster.name("bob"));
    String thread = Cluster.group(a, alice, bob);
    byte[] data = bytes(SIZE);

    HttpResponse<String> up = HTTP.send(HttpRequest.newBuilder(a.uri("/api/attachments"))
        .header("Authorization", "Bearer " + alice.access())
        .header("Content-Type", "application/octet-stream").header("X-Filename", "big.bin")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
    String id = TestServer.JSON.readTree(up.body()).get("id").asText();
    assertThat(chunks(id)).isEqualTo(13);

    TestServer.Response sent = a.request("POST", "/api/threads/" + thread + "/messages", alice.access(),
        "{\"body\":\"\",\"attachments\":[\"" + id + "\"]}");
    assertThat(sent.status()).as(sent.body()).isEqualTo(201);
    long seq = sent.json().get("seq").asLong();

    // bob, on the other node, by token and by signed link
    HttpResponse<byte[]> down = get(b, "/api/attachments/" + id, bob.access());
    assertThat(down.statusCode()).isEqualTo(200);
    assertThat(down.headers().firstValueAsLong("content-length")).hasValue(SIZE);
    assertThat(down.body()).isEqualTo(data);
    TestServer.Response link = b.request("POST", "/api/attachments/" + id + "/link", bob.access(), null);
    assertThat(link.status()).as(link.body()).isEqualTo(200);
    HttpResponse<byte[]> viaLink = get(b, link.json().get("url").asText(), null);
    assertThat(viaLink.statusCode()).isEqualTo(200);
    assertThat(viaLink.body()).isEqualTo(data);

    // a range across a chunk boundary, streamed from the database from its offset
    int from = 256 * 1024 - 10;
    int to = 3 * 256 * 1024 + 5;
    HttpResponse<byte[]> part = HTTP.send(HttpRequest.newBuilder(b.uri("/api/attachments/" + id))
        .header("Authorization", "Bearer " + bob.access()).header("Range", "bytes=" + from + "-" + to)
        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.headers().firstValue("content-range"))
        .hasValue("bytes " + from + "-" + to + "/" + SIZE);
    assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(data, from, to + 1));

    // alice deletes the message through node B: the bytes go, on every node
    TestServer.Response deleted = b.request("DELETE", "/api/threads/" + thread + "/messages/" + seq,
        alice.access(), null);
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(chunks(id)).isZero();
      assertThat(rows("SELECT count(*) FROM attachment_blobs WHERE blob_key = ?", id)).isZero();
    });
    assertThat(get(a, "/api/attachments/" + id, alice.access()).statusCode()).isEqualTo(404);
  }

  @Test
  void aThumbnailMadeOnOneNodeIsServedByTheOtherFromTheDatabaseAndGoesWithTheImage() throws Exception {
    ServerProcess a = cluster.node(0);
    ServerProcess b = cluster.node(1);
    TestServer.Account alice = a.register(Cluster.name("alice"));
    TestServer.Account bob = b.register(Cluster.name("bob"));
    String thread = Cluster.group(a, alice, bob);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(1600, 1200, BufferedImage.TYPE_INT_RGB), "png", png);

    HttpResponse<String> up = HTTP.send(HttpRequest.newBuilder(a.uri("/api/attachments"))
        .header("Authorization", "Bearer " + alice.access()).header("Content-Type", "image/png")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(png.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
    String id = TestServer.JSON.readTree(up.body()).get("id").asText();
    TestServer.Response sent = a.request("POST", "/api/threads/" + thread + "/messages", alice.access(),
        "{\"body\":\"\",\"attachments\":[\"" + id + "\"]}");
    assertThat(sent.status()).as(sent.body()).isEqualTo(201);

    HttpResponse<byte[]> made = get(a, "/api/attachments/" + id + "/thumbnail", alice.access());
    assertThat(made.statusCode()).isEqualTo(200);
    assertThat(chunks(id + "_thumb")).isEqualTo(1);
    HttpResponse<byte[]> served = get(b, "/api/attachments/" + id + "/thumbnail", bob.access());
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.headers().firstValue("content-type")).hasValue("image/jpeg");
    assertThat(served.body()).isEqualTo(made.body());

    long seq = sent.json().get("seq").asLong();
    assertThat(b.request("DELETE", "/api/threads/" + thread + "/messages/" + seq, alice.access(), null)
        .status()).isEqualTo(204);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(chunks(id)).isZero();
      assertThat(rows("SELECT count(*) FROM attachment_blobs WHERE blob_key = ?", id + "_thumb")).isZero();
    });
  }
}
