package dev.parley.server.signals;

import static dev.parley.server.signals.Signals.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.signals.LiveMemory.GeneratedBody;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import java.security.MessageDigest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A 10 MiB upload (the default limit) streams to disk: the server never holds it in memory.
 *
 * <p>The server runs in this JVM, so its memory is this JVM's. A peak measurement would count the
 * client's own garbage (the JDK client copies the body into fresh arrays as it goes), so instead
 * the upload's generated body measures the <em>live</em> set: as it hands out each further MiB it
 * runs a full GC and records the used heap, and the Netty allocator's used direct memory (where a
 * server that aggregated the body would keep it). A server that buffered the upload would hold
 * most of what has been sent so far at those points. The bound is a third of the upload (a bit
 * over 3 MiB): a streamed upload holds a few 8 to 64 KiB chunks in flight plus whatever this JVM
 * allocates meanwhile (logging, JIT-compiled code's data, HTTP client buffers), far under that;
 * holding the body would be 10 MiB, or at least the 7 MiB sent by the last sample minus what the
 * socket buffers still hold.
 */
class AttachmentMemoryIT {
  private static final int MIB = LiveMemory.MIB;
  private static final int SIZE = 10 * MIB;
  private static final long BOUND = SIZE / 3;
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  private static Uploads uploads;

  @BeforeAll
  static void start() {
    uploads = new Uploads(server);
  }

  private static byte[] downloadDigest(Account who, String id, long[] length) throws Exception {
    MessageDigest d = LiveMemory.sha256();
    length[0] = LiveMemory.download(server, who.access(), id, null, d);
    return d.digest();
  }

  @Test
  void aTenMebibyteUploadDoesNotGrowTheHeapByItsSize() throws Exception {
    Account alice = user(server, "alice");
    // warm up the upload path, the allocator's arenas and the HTTP client
    GeneratedBody warm = new GeneratedBody(MIB, false);
    assertThat(uploads.uploadStream(alice.access(), () -> warm, "application/octet-stream", "warm").status())
        .isEqualTo(201);

    long heapBefore = LiveMemory.usedHeapAfterGc();
    long directBefore = LiveMemory.usedDirect();
    GeneratedBody body = new GeneratedBody(SIZE, true);
    Uploads.Answer up = uploads.uploadStream(alice.access(), () -> body, "application/octet-stream", "big.bin");
    long heapAfter = LiveMemory.usedHeapAfterGc();

    assertThat(up.status()).as(up.body()).isEqualTo(201);
    assertThat(up.json().get("size").asLong()).isEqualTo(SIZE);
    assertThat(body.samples.count).isGreaterThanOrEqualTo(5);
    long heapGrowth = Math.max(body.samples.maxHeap, heapAfter) - heapBefore;
    long directGrowth = body.samples.maxDirect - directBefore;
    System.out.printf("10 MiB upload: live heap growth %.2f MiB, Netty direct growth %.2f MiB (bound %.2f MiB)%n",
        heapGrowth / (double) MIB, directGrowth / (double) MIB, BOUND / (double) MIB);
    assertThat(heapGrowth).as("live heap growth during the upload").isLessThan(BOUND);
    assertThat(directGrowth).as("Netty direct memory growth during the upload").isLessThan(BOUND);

    // and what was streamed is what is stored
    long[] length = new long[1];
    assertThat(downloadDigest(alice, up.id(), length)).isEqualTo(body.digest.digest());
    assertThat(length[0]).isEqualTo(SIZE);
  }
}
