package dev.parley.server.conformance;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector reported a leak while it ran (or before, if no
 * class has been checked since). Registered for every JUnit Jupiter class of the module through
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} and
 * {@code junit.jupiter.extensions.autodetection.enabled=true}; the build runs tests with
 * {@code -Dio.netty.leakDetection.level=paranoid}, so every buffer is tracked.
 *
 * <p>The detector only notices a leak once the garbage collector has enqueued the lost buffer, and
 * only reports it when the next buffer is allocated; {@link #provokeReports()} makes both happen.
 * jqwik properties, which Jupiter extensions do not reach, call {@link #assertNoLeaks()} from an
 * {@code @AfterContainer} method.
 */
public final class LeakDetectionExtension implements BeforeAllCallback, AfterAllCallback {
  private static final int ROUNDS = 3;
  private static final long GC_WAIT_MILLIS = 2_000;

  @Override
  public void beforeAll(ExtensionContext context) {
    LeakRecorder.installed();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    assertNoLeaks();
  }

  /**
   * Collects garbage, lets the detector report what it found, and throws if it reported any leak
   * since the last check.
   *
   * @throws AssertionError listing every leak report, with its access records
   */
  public static void assertNoLeaks() {
    LeakRecorder recorder = LeakRecorder.installed();
    provokeReports();
    List<String> leaks = recorder.drain();
    if (!leaks.isEmpty()) {
      throw new AssertionError("Netty reported " + leaks.size() + " leaked buffer(s):\n"
          + String.join("\n\n", leaks));
    }
  }

  /**
   * Runs the garbage collector a few times, each time waiting until it has processed weak
   * references, then allocates and releases buffers: an allocation is when the detector polls its
   * queue of collected, unreleased buffers and logs them.
   */
  public static void provokeReports() {
    for (int i = 0; i < ROUNDS; i++) {
      ReferenceQueue<Object> queue = new ReferenceQueue<>();
      WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
      System.gc();
      System.runFinalization();
      try {
        queue.remove(GC_WAIT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      sentinel.clear();
      for (ByteBufAllocator alloc : new ByteBufAllocator[] {ByteBufAllocator.DEFAULT,
          PooledByteBufAllocator.DEFAULT, UnpooledByteBufAllocator.DEFAULT}) {
        alloc.heapBuffer(8).release();
        alloc.directBuffer(8).release();
      }
    }
  }
}
