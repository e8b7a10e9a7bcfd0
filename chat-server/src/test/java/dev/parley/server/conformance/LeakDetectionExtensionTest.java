package dev.parley.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Proves that the build's leak check works: a buffer dropped without release is reported by Netty
 * and caught by {@link LeakRecorder}, and {@link LeakDetectionExtension#assertNoLeaks()} fails on
 * it. Each test removes its own deliberate leak again, so the class itself passes the check.
 */
class LeakDetectionExtensionTest {

  @Test
  void recordsABufferThatWasNeverReleased() {
    assumeParanoid();
    String marker = "deliberate-leak-" + UUID.randomUUID();
    LeakRecorder recorder = LeakRecorder.installed();
    leak(marker);

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
      LeakDetectionExtension.provokeReports();
      return recorder.contains(marker);
    });

    List<String> reports = recorder.drainMatching(marker);
    assertThat(reports).singleElement().asString()
        .contains("LEAK: ByteBuf.release() was not called")
        .contains(marker);
  }

  @Test
  void failsTheCheckWhileALeakIsRecorded() {
    assumeParanoid();
    String marker = "deliberate-leak-" + UUID.randomUUID();
    LeakRecorder recorder = LeakRecorder.installed();
    leak(marker);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
      LeakDetectionExtension.provokeReports();
      return recorder.contains(marker);
    });
    List<String> others = recorder.drain(); // what the check will see: only our leak
    assertThat(others).allMatch(r -> r.contains(marker), "only the deliberate leak was reported");
    leakAgainAndAwait(recorder, marker + "-again");

    assertThatThrownBy(LeakDetectionExtension::assertNoLeaks)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Netty reported 1 leaked buffer(s)")
        .hasMessageContaining(marker + "-again");
    LeakDetectionExtension.assertNoLeaks(); // the failed check consumed the report
  }

  @Test
  void passesTheCheckWhenEveryBufferIsReleased() {
    ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(64);
    buf.writeLong(42);
    buf.release();
    LeakDetectionExtension.assertNoLeaks();
  }

  private static void leakAgainAndAwait(LeakRecorder recorder, String marker) {
    leak(marker);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
      LeakDetectionExtension.provokeReports();
      return recorder.contains(marker);
    });
  }

  /** Allocates a tracked buffer, marks it, and drops the only reference without releasing it. */
  private static void leak(String marker) {
    ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(16);
    buf.writeInt(1);
    buf.touch(marker);
  }

  private static void assumeParanoid() {
    assumeTrue(ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.PARANOID,
        "needs -Dio.netty.leakDetection.level=paranoid (the chat-server build sets it)");
  }
}
