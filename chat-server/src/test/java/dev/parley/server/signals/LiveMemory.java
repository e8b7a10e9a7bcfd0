package dev.parley.server.signals;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import dev.parley.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/**
 * Measures the live memory of this JVM (where a {@link dev.parley.server.testing.TestServer}
 * runs) while a large body goes up or down: the used heap after a full GC, and the Netty
 * allocator's used direct memory. See {@link AttachmentMemoryIT} for why the live set and not
 * the peak.
 */
final class LiveMemory {
  static final int MIB = 1024 * 1024;

  private LiveMemory() {
  }

  static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    return rt.totalMemory() - rt.freeMemory();
  }

  static long usedDirect() {
    return ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p
        ? p.metric().usedDirectMemory() : 0;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The byte at position {@code p} of every generated body. */
  static byte byteAt(long p) {
    return (byte) (p * 31 + (p >>> 11));
  }

  /**
   * Downloads an attachment with the JDK client as a stream, feeding {@code digest} and (when not
   * null) {@code samples} as the bytes arrive; returns the length.
   */
  static long download(TestServer server, String token, String id, Samples samples,
                       MessageDigest digest) throws IOException, InterruptedException {
    HttpRequest get = HttpRequest.newBuilder(server.uri("/api/attachments/" + id))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).GET().build();
    HttpResponse<InputStream> r = Uploads.client().send(get, HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      throw new AssertionError("download of " + id + ": " + r.statusCode());
    }
    long total = 0;
    try (InputStream in = r.body()) {
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) >= 0; ) {
        digest.update(buf, 0, n);
        total += n;
        if (samples != null) {
          samples.at(total);
        }
      }
    }
    return total;
  }

  /** The highest live heap and direct memory seen at the samples, and how many were taken. */
  static final class Samples {
    private long nextSample = 2L * MIB;
    volatile long maxHeap;
    volatile long maxDirect;
    volatile int count;

    /** Samples at every MiB after the first two, as {@code position} passes it. */
    void at(long position) {
      if (position >= nextSample) {
        maxHeap = Math.max(maxHeap, usedHeapAfterGc());
        maxDirect = Math.max(maxDirect, usedDirect());
        count++;
        nextSample += MIB;
      }
    }
  }

  /** A generated body that never exists as a whole; it samples memory at every MiB after the first two. */
  static final class GeneratedBody extends InputStream {
    private final long size;
    private final boolean sample;
    final MessageDigest digest = sha256();
    final Samples samples = new Samples();
    private long emitted;

    GeneratedBody(long size, boolean sample) {
      this.size = size;
      this.sample = sample;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (emitted >= size) {
        return -1;
      }
      if (sample) {
        samples.at(emitted);
      }
      int n = (int) Math.min(len, size - emitted);
      for (int i = 0; i < n; i++) {
        b[off + i] = byteAt(emitted + i);
      }
      digest.update(b, off, n);
      emitted += n;
      return n;
    }
  }
}
