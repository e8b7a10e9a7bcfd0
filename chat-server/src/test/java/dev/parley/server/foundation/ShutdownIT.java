package dev.parley.server.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.ChatServer;
import dev.parley.server.ServerConfig;
import dev.parley.server.testing.RawWebSocket;
import dev.parley.server.testing.ServerProcess;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graceful stop: in process through {@link ChatServer#close()}, and of the jar on SIGTERM. */
class ShutdownIT {
  @TempDir
  Path dataDir;

  private ChatServer start() {
    return ChatServer.builder(ServerConfig.builder()
        .host("127.0.0.1").port(0).dataDir(dataDir).jwtSecret(TestServer.SECRET).bcryptCost(4)
        .nodeId("shutdown-node").shutdownTimeout(Duration.ofSeconds(5)).build()).start();
  }

  private static TestServer.Account register(HttpClient http, int port, String name) throws Exception {
    String credentials = "{\"username\":\"" + name + "\",\"password\":\"" + TestServer.PASSWORD + "\"}";
    HttpResponse<String> reg = http.send(post(port, "/api/auth/register", null, credentials),
        HttpResponse.BodyHandlers.ofString());
    assertThat(reg.statusCode()).isEqualTo(201);
    HttpResponse<String> login = http.send(post(port, "/api/auth/login", null, credentials),
        HttpResponse.BodyHandlers.ofString());
    JsonNode tokens = TestServer.JSON.readTree(login.body());
    return new TestServer.Account(TestServer.JSON.readTree(reg.body()).get("id").asText(), name,
        tokens.get("access").asText(), tokens.get("refresh").asText());
  }

  private static HttpRequest post(int port, String path, String token, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b.build();
  }

  @Test
  void closeSaysGoingAwayToEveryWebSocket() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    ChatServer server = start();
    try {
      TestServer.Account alice = register(http, server.port(), "alice");
      URI ws = URI.create("ws://127.0.0.1:" + server.port() + "/ws");
      try (WsClient a1 = WsClient.connect(ws, alice.access(), null);
           WsClient a2 = WsClient.connect(ws, alice.access(), null);
           RawWebSocket raw = RawWebSocket.connect(server.port(), alice.access())) {
        a1.awaitType("hello");
        a2.awaitType("hello");
        raw.awaitFrame(RawWebSocket.TEXT, Duration.ofSeconds(5));
        server.close();
        assertThat(a1.awaitClose()).isEqualTo(1001);
        assertThat(a2.awaitClose()).isEqualTo(1001);
        assertThat(raw.awaitClose(Duration.ofSeconds(5))).isEqualTo(1001);
      }
    } finally {
      server.close();
    }
  }

  @Test
  void everyAckedMessageIsStoredWhenTheServerStops() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    ChatServer server = start();
    String thread;
    List<Long> acked = new CopyOnWriteArrayList<>();
    TestServer.Account alice;
    try {
      alice = register(http, server.port(), "alice");
      HttpResponse<String> created = http.send(post(server.port(), "/api/threads", alice.access(),
          "{\"kind\":\"group\",\"title\":\"t\",\"members\":[]}"), HttpResponse.BodyHandlers.ofString());
      thread = TestServer.JSON.readTree(created.body()).get("id").asText();
      try (WsClient ws = WsClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), alice.access(), null)) {
        ws.awaitType("hello");
        for (int i = 0; i < 50; i++) {
          ws.send("{\"type\":\"send\",\"id\":\"s" + i + "\",\"thread\":\"" + thread + "\",\"body\":\"m" + i + "\"}");
        }
        server.close();
        assertThat(ws.awaitClose()).isEqualTo(1001);
        for (JsonNode ack : ws.ofType("ack")) {
          acked.add(ack.get("seq").asLong());
        }
      }
    } finally {
      server.close();
    }
    ChatServer again = start();
    try {
      String access = TestServer.JSON.readTree(http.send(post(again.port(), "/api/auth/login", null,
          "{\"username\":\"alice\",\"password\":\"" + TestServer.PASSWORD + "\"}"),
          HttpResponse.BodyHandlers.ofString()).body()).get("access").asText();
      HttpResponse<String> history = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + again.port() + "/api/threads/" + thread + "/messages?limit=200"))
          .header("Authorization", "Bearer " + access).build(), HttpResponse.BodyHandlers.ofString());
      List<Long> stored = new ArrayList<>();
      TestServer.JSON.readTree(history.body()).get("messages").forEach(m -> stored.add(m.get("seq").asLong()));
      assertThat(stored).containsAll(acked);
    } finally {
      again.close();
    }
  }

  @Test
  void theJarStopsWithExitCodeZeroOnSigterm() throws Exception {
    // no --jwt-secret: the server makes one, in a file only its owner may read
    try (ServerProcess server = ServerProcess.launch(Map.of(), "--port", "0", "--host", "127.0.0.1",
        "--data-dir", dataDir.toString(), "--bcrypt-cost", "4", "--heartbeat", "60")) {
      int p = server.port();
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(Files.getPosixFilePermissions(dataDir.resolve("jwt-secret")))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      TestServer.Account alice = register(http, p, "alice");
      try (WsClient ws = WsClient.connect(URI.create("ws://127.0.0.1:" + p + "/ws"), alice.access(), null)) {
        ws.awaitType("hello");
        server.terminate();
        assertThat(ws.awaitClose()).isEqualTo(1001);
      }
      assertThat(server.awaitExit(Duration.ofSeconds(20))).as("exit code; log:\n%s", server.logText()).isZero();
    }
  }
}
