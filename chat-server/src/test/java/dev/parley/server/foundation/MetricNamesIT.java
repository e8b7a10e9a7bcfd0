package dev.parley.server.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /metrics} keeps its metric names and types: the list in {@code metric-names.txt} was
 * scraped from the server before metrics moved to Micrometer, and the scrape must still show
 * exactly those (plus the {@code _max} gauges Micrometer adds beside each histogram, listed there too).
 */
class MetricNamesIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static Map<String, String> typesIn(String scrape) {
    Map<String, String> types = new TreeMap<>();
    Matcher m = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$").matcher(scrape);
    while (m.find()) {
      types.put(m.group(1), m.group(2));
    }
    return types;
  }

  static Map<String, String> expected() throws IOException {
    try (InputStream in = MetricNamesIT.class.getResourceAsStream("metric-names.txt")) {
      Map<String, String> types = new TreeMap<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          String[] parts = line.trim().split("\\s+");
          types.put(parts[0], parts[1]);
        }
      }
      return types;
    }
  }

  @Test
  void metricsKeepTheirNamesAndTypes() throws IOException {
    TestServer.Account alice = server.register(TestServer.uniqueName("alice"));
    String thread = server.group(alice, "names");
    try (WsClient a = server.connect(alice.access())) {
      a.send("{\"type\":\"send\",\"id\":\"s\",\"thread\":\"" + thread + "\",\"body\":\"counted\"}");
      a.awaitId("s");
    }
    server.get("/api/nope", null);
    String scrape = server.get("/metrics", null).body();
    assertThat(typesIn(scrape)).isEqualTo(expected());
  }
}
