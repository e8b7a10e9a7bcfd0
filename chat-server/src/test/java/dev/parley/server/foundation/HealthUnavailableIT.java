package dev.parley.server.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.ChatServer;
import dev.parley.server.ServerConfig;
import dev.parley.server.testing.CuttableRelay;
import dev.parley.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /healthz} answers 503 {@code {"status":"unavailable"}} when the store cannot be reached:
 * the server talks to the real PostgreSQL through a TCP relay that the test then cuts.
 */
class HealthUnavailableIT {
  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";

  @TempDir
  Path dataDir;

  private static void requirePostgres() {
    try (Connection c = DriverManager.getConnection(PG, "postgres", "")) {
      c.isValid(2);
    } catch (SQLException e) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("PostgreSQL at " + PG + " is required under CI=true", e);
      }
      Assumptions.abort("PostgreSQL at " + PG + " is not reachable: " + e.getMessage());
    }
  }

  @Test
  void healthzIs503WhenTheStoreIsUnreachable() throws Exception {
    requirePostgres();
    String schema = "health_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    HttpClient http = HttpClient.newHttpClient();
    try (CuttableRelay relay = new CuttableRelay("127.0.0.1", 5432)) {
      ChatServer server = ChatServer.builder(ServerConfig.builder()
          .host("127.0.0.1").port(0).dataDir(dataDir).jwtSecret(TestServer.SECRET).bcryptCost(4)
          .dbUrl("jdbc:postgresql://127.0.0.1:" + relay.port() + "/test?user=postgres&currentSchema=" + schema)
          .shutdownTimeout(Duration.ofSeconds(2)).build()).start();
      try {
        HttpRequest healthz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
            .timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> ok = http.send(healthz, HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(TestServer.JSON.readTree(ok.body()).get("status").asText()).isEqualTo("ok");

        relay.cut();
        HttpResponse<String> down = http.send(healthz, HttpResponse.BodyHandlers.ofString());
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(TestServer.JSON.readTree(down.body()))
            .isEqualTo(TestServer.JSON.createObjectNode().put("status", "unavailable"));
      } finally {
        server.close();
      }
    } finally {
      try (Connection c = DriverManager.getConnection(PG, "postgres", "");
           Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }
}
