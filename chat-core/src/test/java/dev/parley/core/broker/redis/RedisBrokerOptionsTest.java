package dev.parley.core.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisBrokerOptionsTest {

  @Test
  void appliesDefaults() {
    RedisBrokerOptions o = RedisBrokerOptions.builder("redis://10.0.0.5").build();
    assertThat(o.url().toString()).isEqualTo("redis://10.0.0.5:6379");
    assertThat(o.keyPrefix()).isEqualTo("parley:");
    assertThat(o.initialBackoff()).isEqualTo(Duration.ofMillis(100));
    assertThat(o.maxBackoff()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void masksThePasswordInToString() {
    RedisBrokerOptions o = RedisBrokerOptions.builder("redis://:s3cret@redis.local:6380/2").build();
    assertThat(o.toString()).doesNotContain("s3cret").contains("redis.local:6380/2");
    assertThat(o.safeUrl()).doesNotContain("s3cret");
    assertThat(o.url().getUserInfo()).isEqualTo(":s3cret");
  }

  @Test
  void keepsThePasswordWhenAddingTheDefaultPort() {
    RedisBrokerOptions o = RedisBrokerOptions.builder("redis://user:pw@redis.local/1").build();
    assertThat(o.url().toString()).isEqualTo("redis://user:pw@redis.local:6379/1");
  }

  @Test
  void rejectsAnotherScheme() {
    assertThatThrownBy(() -> RedisBrokerOptions.builder("http://127.0.0.1:6379").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redis://");
  }

  @Test
  void rejectsABackoffCapShorterThanItsStart() {
    assertThatThrownBy(() -> RedisBrokerOptions.builder("redis://127.0.0.1:6379")
        .backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBackoff");
  }

  @Test
  void rejectsABlankNodeId() {
    assertThatThrownBy(() -> RedisBrokerOptions.builder("redis://127.0.0.1:6379").nodeId(" ").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nodeId");
  }
}
