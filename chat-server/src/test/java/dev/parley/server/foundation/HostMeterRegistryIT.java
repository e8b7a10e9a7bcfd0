package dev.parley.server.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.ChatServer;
import dev.parley.server.ServerConfig;
import dev.parley.server.testing.TestServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host passes its own Micrometer registry ({@code ChatServer.Builder#meterRegistry}). */
class HostMeterRegistryIT {
  @TempDir
  Path dataDir;

  private final HttpClient http = HttpClient.newHttpClient();

  private ChatServer start(MeterRegistry registry) {
    return ChatServer.builder(ServerConfig.builder()
        .host("127.0.0.1").port(0).dataDir(dataDir).jwtSecret(TestServer.SECRET).bcryptCost(4)
        .nodeId("meters").shutdownTimeout(Duration.ofSeconds(5)).build())
        .meterRegistry(registry)
        .start();
  }

  private String get(ChatServer server, String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  @Test
  void aPlainRegistrySeesTheMetersAndMetricsStillServesThem() throws Exception {
    SimpleMeterRegistry host = new SimpleMeterRegistry();
    try (ChatServer server = start(host)) {
      get(server, "/healthz");
      assertThat(host.get("chat.http.requests").tag("status", "200").counter().count()).isGreaterThanOrEqualTo(1);
      assertThat(host.get("chat.connections").gauge().value()).isZero();
      String scrape = get(server, "/metrics");
      assertThat(MetricNamesIT.typesIn(scrape)).containsEntry("chat_connections", "gauge")
          .containsEntry("chat_http_requests_total", "counter");
      assertThat(scrape).contains("chat_http_requests_total{status=\"200\"}");
    }
    assertThat(host.find("chat.connections").meters()).as("meters removed on close").isEmpty();
    assertThat(host.find("chat.http.requests").meters()).isEmpty();
  }

  @Test
  void aPrometheusRegistryIsTheOneMetricsServes() throws Exception {
    PrometheusMeterRegistry host = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    host.counter("host.own.events").increment();
    try (ChatServer server = start(host)) {
      String scrape = get(server, "/metrics");
      assertThat(scrape).contains("host_own_events_total 1.0").contains("# TYPE chat_connections gauge");
      assertThat(host.scrape()).contains("chat_frames_received_total");
    }
    assertThat(host.scrape()).contains("host_own_events_total").doesNotContain("chat_frames_received_total");
  }
}
