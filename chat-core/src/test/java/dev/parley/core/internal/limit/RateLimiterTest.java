package dev.parley.core.internal.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  @Test
  void allowsTheBurstThenRefuses() {
    RateLimiter limiter = new RateLimiter(0.001, 3);

    assertThat(limiter.tryAcquire("u")).isTrue();
    assertThat(limiter.tryAcquire("u")).isTrue();
    assertThat(limiter.tryAcquire("u")).isTrue();
    assertThat(limiter.tryAcquire("u")).isFalse();
  }

  @Test
  void keysHaveBucketsOfTheirOwn() {
    RateLimiter limiter = new RateLimiter(0.001, 1);

    assertThat(limiter.tryAcquire("a")).isTrue();
    assertThat(limiter.tryAcquire("a")).isFalse();
    assertThat(limiter.tryAcquire("b")).isTrue();
    assertThat(limiter.size()).isEqualTo(2);
  }

  @Test
  void refillsAtTheRate() {
    RateLimiter limiter = new RateLimiter(50, 1);
    assertThat(limiter.tryAcquire("u")).isTrue();
    assertThat(limiter.tryAcquire("u")).isFalse();

    await().atMost(Duration.ofSeconds(2)).until(() -> limiter.tryAcquire("u"));
  }

  @Test
  void rateZeroIsUnlimitedAndKeepsNoBuckets() {
    RateLimiter limiter = new RateLimiter(0, 1);

    for (int i = 0; i < 10_000; i++) {
      assertThat(limiter.tryAcquire("u")).isTrue();
    }
    assertThat(limiter.size()).isZero();
  }

  @Test
  void evictsFullBucketsButKeepsUsedOnes() {
    RateLimiter fast = new RateLimiter(1_000, 1);
    fast.tryAcquire("quiet");
    await().atMost(Duration.ofSeconds(2)).until(() -> {
      fast.evictIdle();
      return fast.size() == 0;
    });

    RateLimiter slow = new RateLimiter(0.001, 2);
    slow.tryAcquire("busy");
    slow.evictIdle();
    assertThat(slow.size()).isEqualTo(1);
    assertThat(slow.tryAcquire("busy")).isTrue();
    assertThat(slow.tryAcquire("busy")).isFalse();
  }

  @Test
  void refusesNegativeSettings() {
    assertThatThrownBy(() -> new RateLimiter(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RateLimiter(1, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
