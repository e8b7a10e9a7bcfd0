package dev.parley.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesUpToTheMaximumWithJitterInTheUpperHalf() {
    Backoff low = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), () -> 0.0);
    Backoff high = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), () -> 0.999_999);

    assertThat(low.delayMillis(0)).isEqualTo(50);
    assertThat(high.delayMillis(0)).isEqualTo(99);
    assertThat(low.delayMillis(3)).isEqualTo(400);
    assertThat(high.delayMillis(3)).isEqualTo(799);
    assertThat(low.delayMillis(10)).isEqualTo(1000);
    assertThat(high.delayMillis(10)).isEqualTo(1999);
    assertThat(high.delayMillis(1000)).as("no overflow").isEqualTo(1999);
  }

  @Test
  void refusesAMaximumBelowTheStart() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
