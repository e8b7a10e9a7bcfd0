package dev.parley.server.signals;

import static dev.parley.server.signals.Signals.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;
import dev.parley.server.AttachmentStorage;
import dev.parley.server.signals.LiveMemory.GeneratedBody;
import dev.parley.server.signals.LiveMemory.Samples;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/**
 * With attachments in PostgreSQL ({@code --attachments=database}), a 10 MiB upload is written
 * chunk by chunk as it arrives and its download read chunk by chunk as the connection drains: the
 * server never holds the file, neither on the heap nor in Netty's direct memory. Measured as
 * {@link AttachmentMemoryIT} does (the live set at every MiB, bound a third of the file), on the
 * way up and on the way down; the bytes are in 40 rows of 256 KiB and not on the node's disk.
 */
class AttachmentDatabaseMemoryIT {
  private static final int MIB = LiveMemory.MIB;
  private static final int SIZE = 10 * MIB;
  private static final long BOUND = SIZE / 3;

  @Test
  void aTenMebibyteFileGoesInAndOutOfPostgresWithoutBeingHeld() throws Exception {
    try (TestDatabase db = TestDatabases.postgres(); // fails under CI=true, skips otherwise
         TestServer server = TestServer.start(b -> b.dbUrl(db.url())
             .attachmentStorage(AttachmentStorage.DATABASE))) {
      Uploads uploads = new Uploads(server);
      Account alice = user(server, "alice");
      // warm up both paths, the allocator's arenas and the HTTP client
      Uploads.Answer warm = uploads.uploadStream(alice.access(), () -> new GeneratedBody(MIB, false),
          "application/octet-stream", "warm");
      assertThat(warm.status()).isEqualTo(201);
      LiveMemory.download(server, alice.access(), warm.id(), null, LiveMemory.sha256());

      long heapBefore = LiveMemory.usedHeapAfterGc();
      long directBefore = LiveMemory.usedDirect();
      GeneratedBody body = new GeneratedBody(SIZE, true);
      Uploads.Answer up = uploads.uploadStream(alice.access(), () -> body, "application/octet-stream", "big.bin");
      assertThat(up.status()).as(up.body()).isEqualTo(201);
      long heapGrowth = Math.max(body.samples.maxHeap, LiveMemory.usedHeapAfterGc()) - heapBefore;
      long directGrowth = body.samples.maxDirect - directBefore;
      report("upload", heapGrowth, directGrowth);
      assertThat(body.samples.count).isGreaterThanOrEqualTo(5);
      assertThat(heapGrowth).as("live heap growth during the upload").isLessThan(BOUND);
      assertThat(directGrowth).as("Netty direct memory growth during the upload").isLessThan(BOUND);

      assertThat(chunkRows(db, up.id())).isEqualTo(SIZE / (256 * 1024));
      assertThat(server.dataDir().resolve("attachments").resolve(up.id())).doesNotExist();

      heapBefore = LiveMemory.usedHeapAfterGc();
      directBefore = LiveMemory.usedDirect();
      Samples down = new Samples();
      MessageDigest digest = LiveMemory.sha256();
      long length = LiveMemory.download(server, alice.access(), up.id(), down, digest);
      heapGrowth = Math.max(down.maxHeap, LiveMemory.usedHeapAfterGc()) - heapBefore;
      directGrowth = down.maxDirect - directBefore;
      report("download", heapGrowth, directGrowth);
      assertThat(length).isEqualTo(SIZE);
      assertThat(digest.digest()).isEqualTo(body.digest.digest());
      assertThat(down.count).isGreaterThanOrEqualTo(5);
      assertThat(heapGrowth).as("live heap growth during the download").isLessThan(BOUND);
      assertThat(directGrowth).as("Netty direct memory growth during the download").isLessThan(BOUND);
    }
  }

  private static void report(String what, long heap, long direct) {
    System.out.printf("10 MiB %s in PostgreSQL: live heap growth %.2f MiB, Netty direct growth %.2f MiB (bound %.2f MiB)%n",
        what, heap / (double) MIB, direct / (double) MIB, BOUND / (double) MIB);
  }

  private static long chunkRows(TestDatabase db, String key) throws Exception {
    try (Connection c = DriverManager.getConnection(db.url());
         PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM attachment_chunks WHERE blob_key = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
