package dev.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageIdTest {
  @Test
  void laterIdsSortLaterAsStrings() {
    // as the SDK's clientIds do, so the server's clientId index grows at its end
    assertThat(LoadGenerator.messageId(42, 7, 3)).isEqualTo("000000000000042.7.3");
    assertThat(LoadGenerator.messageId(999, 99, 0))
        .isLessThan(LoadGenerator.messageId(1_000, 1, 0))
        .isLessThan(LoadGenerator.messageId(3_600_000_000_000L, 0, 0));
  }
}
