package dev.parley.core.limits.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.broker.redis.TestRedis;
import dev.parley.core.limits.Limiter;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Buckets in the real test Redis (fails under CI=true, skips otherwise when it is unreachable),
 * under a key prefix of this run. Two RedisRateLimits stand for two nodes. Rates are tiny
 * (one token per 1000 s) so that refill during a test is nil and counts are exact.
 */
class RedisRateLimitsTest {
  private static final double NO_REFILL = 0.001;

  private String url;
  private String prefix;

  @BeforeEach
  void redis() {
    url = TestRedis.requireShared();
    prefix = TestRedis.uniquePrefix();
  }

  @AfterEach
  void deleteKeys() {
    if (prefix == null) {
      return;
    }
    try (Jedis j = new Jedis(URI.create(url))) {
      Set<String> keys = j.keys(prefix + "*");
      if (!keys.isEmpty()) {
        j.del(keys.toArray(String[]::new));
      }
    }
  }

  @Test
  void twoNodesShareOneBucketPerKey() {
    try (RedisRateLimits nodeA = RedisRateLimits.create(TestRedis.options(url, prefix, "a").build());
         RedisRateLimits nodeB = RedisRateLimits.create(TestRedis.options(url, prefix, "b").build())) {
      Limiter a = nodeA.limiter("send", NO_REFILL, 10);
      Limiter b = nodeB.limiter("send", NO_REFILL, 10);
      int admitted = 0;
      for (int i = 0; i < 10; i++) {
        admitted += a.tryAcquire("alice") ? 1 : 0;
        admitted += b.tryAcquire("alice") ? 1 : 0;
      }
      assertThat(admitted).as("one bucket of 10 for both nodes, not 10 each").isEqualTo(10);
      assertThat(a.hasToken("alice")).isFalse();
      assertThat(b.hasToken("bob")).as("other keys have their own bucket").isTrue();
      assertThat(b.tryAcquire("bob")).isTrue();
      assertThat(nodeA.limiter("login", NO_REFILL, 10).tryAcquire("alice"))
          .as("other names have their own buckets").isTrue();
    }
  }

  @Test
  void takesManyKeysInOneCallInOrder() {
    try (RedisRateLimits limits = RedisRateLimits.create(TestRedis.options(url, prefix, "a").build())) {
      Limiter l = limits.limiter("send", NO_REFILL, 2);
      boolean[] got = l.tryAcquireAll(List.of("u", "v", "u", "u", "v", "w"));
      assertThat(got).containsExactly(true, true, true, false, true, true);
    }
  }

  @Test
  void lookingDoesNotTakeAndRefillFollowsTheRate() {
    try (RedisRateLimits limits = RedisRateLimits.create(TestRedis.options(url, prefix, "a").build())) {
      Limiter l = limits.limiter("login", NO_REFILL, 1);
      assertThat(l.hasToken("k")).isTrue();
      assertThat(l.hasToken("k")).isTrue();
      assertThat(l.tryAcquire("k")).isTrue();
      assertThat(l.hasToken("k")).isFalse();
      assertThat(l.tryAcquire("k")).isFalse();
      // a full refill: 1000 tokens a second is back to the burst at once
      Limiter fast = limits.limiter("fast", 1000, 1);
      assertThat(fast.tryAcquire("k")).isTrue();
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
          .until(() -> fast.tryAcquire("k"));
    }
  }

  @Test
  void fallsBackToPerNodeBucketsWhenRedisCannotBeReached() {
    String nowhere = "redis://127.0.0.1:" + TestRedis.freePort();
    try (RedisRateLimits limits = RedisRateLimits.create(TestRedis.options(nowhere, prefix, "a").build())) {
      Limiter l = limits.limiter("send", NO_REFILL, 3);
      assertThat(l.tryAcquireAll(List.of("u", "u", "u", "u"))).containsExactly(true, true, true, false);
      assertThat(l.hasToken("u")).isFalse();
      assertThat(l.hasToken("v")).isTrue();
    }
  }
}
