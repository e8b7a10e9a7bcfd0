package dev.parley.server.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.ServerProcess;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged server's command line: flags, environment variables, --help (contract 1 and 6). */
class CommandLineIT {
  private static final List<String> CONTRACT_FLAGS = List.of("--port", "--host", "--data-dir", "--db",
      "--redis", "--jwt-secret", "--node-id", "--token-ttl", "--refresh-ttl", "--token-grace",
      "--heartbeat", "--rate-limit", "--rate-burst", "--body-limit", "--frame-limit",
      "--attachment-limit", "--outbound-limit", "--help");
  private static final List<String> CONTRACT_ENV = List.of("CHAT_PORT", "CHAT_HOST", "CHAT_DATA_DIR",
      "CHAT_DB_URL", "CHAT_REDIS_URL", "CHAT_JWT_SECRET", "CHAT_NODE_ID", "CHAT_TOKEN_TTL",
      "CHAT_REFRESH_TTL", "CHAT_TOKEN_GRACE", "CHAT_HEARTBEAT", "CHAT_RATE_LIMIT", "CHAT_RATE_BURST",
      "CHAT_BODY_LIMIT", "CHAT_FRAME_LIMIT", "CHAT_ATTACHMENT_LIMIT", "CHAT_OUTBOUND_LIMIT");

  @TempDir
  Path dataDir;

  private static String runToEnd(ProcessBuilder pb, int[] exit) throws Exception {
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    exit[0] = p.exitValue();
    return out;
  }

  @Test
  void helpListsEveryContractFlagAndItsEnvironmentVariable() throws Exception {
    int[] exit = new int[1];
    String help = runToEnd(ServerProcess.command(Map.of(), "--help"), exit);
    assertThat(exit[0]).isZero();
    for (String flag : CONTRACT_FLAGS) {
      assertThat(help).as("--help mentions %s", flag).contains(flag);
    }
    for (String env : CONTRACT_ENV) {
      assertThat(help).as("--help mentions %s", env).contains(env);
    }
  }

  @Test
  void anInvalidSettingExitsNonZeroWithAMessageAndNoStackTrace() throws Exception {
    int[] exit = new int[1];
    String out = runToEnd(ServerProcess.command(Map.of(), "--port", "70000", "--data-dir", dataDir.toString()),
        exit);
    assertThat(exit[0]).isNotZero();
    assertThat(out).contains("port");
    assertThat(out).doesNotContain("\tat ");
  }

  @Test
  void settingsComeFromTheEnvironment() throws Exception {
    try (ServerProcess server = ServerProcess.launch(Map.of("CHAT_PORT", "0", "CHAT_HOST", "127.0.0.1",
        "CHAT_DATA_DIR", dataDir.toString(), "CHAT_NODE_ID", "env-node", "CHAT_TOKEN_TTL", "123",
        "CHAT_HEARTBEAT", "9", "CHAT_JWT_SECRET", TestServer.SECRET))) {
      int p = server.port();
      HttpClient http = HttpClient.newHttpClient();
      String credentials = "{\"username\":\"envuser\",\"password\":\"" + TestServer.PASSWORD + "\"}";
      assertThat(http.send(post(p, "/api/auth/register", credentials), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(201);
      JsonNode tokens = TestServer.JSON.readTree(http.send(post(p, "/api/auth/login", credentials),
          HttpResponse.BodyHandlers.ofString()).body());
      assertThat(tokens.get("expiresIn").asLong()).isEqualTo(123);
      assertThat(Files.exists(dataDir.resolve("chat.db"))).isTrue();
      assertThat(Files.exists(dataDir.resolve("jwt-secret"))).as("the configured secret is used").isFalse();
      try (WsClient ws = WsClient.connect(URI.create("ws://127.0.0.1:" + p + "/ws"), tokens.get("access").asText(), null)) {
        JsonNode hello = ws.awaitType("hello");
        assertThat(hello.get("node").asText()).isEqualTo("env-node");
        assertThat(hello.get("heartbeat").asInt()).isEqualTo(9);
      }
      // a token signed with the configured secret is accepted: the secret came from CHAT_JWT_SECRET
      String forged = dev.parley.server.testing.Jwts.hs256(dev.parley.server.testing.Jwts.accessClaims(
          TestServer.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + "/api/users/me"))
              .header("Authorization", "Bearer " + tokens.get("access").asText()).build(),
              HttpResponse.BodyHandlers.ofString()).body()).get("id").asText(), 60));
      assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + "/api/users/me"))
          .header("Authorization", "Bearer " + forged).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);
      server.terminate();
      assertThat(server.awaitExit(Duration.ofSeconds(20))).as("log:\n%s", server.logText()).isZero();
    }
  }

  private static HttpRequest post(int port, String path, String body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }
}
