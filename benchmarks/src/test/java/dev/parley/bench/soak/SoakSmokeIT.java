package dev.parley.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The soak test in its CI form: about a minute of connect / chat / disconnect churn (10 s warm-up,
 * 50 s measured) against an in-process server, then every acked seq must be in history without
 * gaps, and heap after GC and open file descriptors must be back near their baseline.
 */
class SoakSmokeIT {

  @Test
  void churnLosesNoAckedMessageAndLeaksNeitherHeapNorFileDescriptors() {
    SoakOptions options = new SoakOptions(Duration.ofSeconds(50), Duration.ofSeconds(10), 16, 4, 8,
        Duration.ofMillis(250), 16L * 1024 * 1024, 16, Duration.ofSeconds(30));

    SoakReport report = SoakTest.run(options);

    System.out.println(report.summary());
    assertThat(report.failures()).isEmpty();
    assertThat(report.cycles()).isGreaterThan(100);
    assertThat(report.acked()).isPositive();
    assertThat(report.checked()).isEqualTo(report.acked());
    assertThat(report.delivered()).isPositive();
  }
}
