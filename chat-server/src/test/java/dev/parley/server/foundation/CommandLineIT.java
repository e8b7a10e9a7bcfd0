package dev.parley.server.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged server's command line: flags, environment variables, --help (contract 1 and 6). */
class CommandLineIT {
  private static final Pattern READY = Pattern.compile("Parley is ready: open http://[^:]+:(\\d+)/");
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

  private static Path jar() {
    Path jar = Path.of(System.getProperty("basedir", ".")).resolve("target/chat-server.jar");
    if (!Files.isRegularFile(jar)) {
      fail("missing " + jar.toAbsolutePath() + ": run `mvn package` (or `mvn verify`) in chat-server first");
    }
    return jar;
  }

  private static ProcessBuilder java(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar().toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("CHAT_"));
    pb.environment().putAll(env);
    return pb;
  }

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
    String help = runToEnd(java(Map.of(), "--help"), exit);
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
    String out = runToEnd(java(Map.of(), "--port", "70000", "--data-dir", dataDir.toString()), exit);
    assertThat(exit[0]).isNotZero();
    assertThat(out).contains("port");
    assertThat(out).doesNotContain("\tat ");
  }

  @Test
  void settingsComeFromTheEnvironment() throws Exception {
    Process process = java(Map.of("CHAT_PORT", "0", "CHAT_HOST", "127.0.0.1",
        "CHAT_DATA_DIR", dataDir.toString(), "CHAT_NODE_ID", "env-node", "CHAT_TOKEN_TTL", "123",
        "CHAT_HEARTBEAT", "9", "CHAT_JWT_SECRET", TestServer.SECRET)).start();
    List<String> log = new CopyOnWriteArrayList<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          log.add(line);
          Matcher m = READY.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException ignored) {
        // the process is gone
      } finally {
        port.completeExceptionally(new AssertionError("the server ended before it was ready"));
      }
    }, "server-log");
    reader.setDaemon(true);
    reader.start();
    try {
      int p;
      try {
        p = port.get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("no \"Parley is ready\" line; log:\n" + String.join("\n", log), e);
      }
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
      process.destroy();
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as("log:\n%s", String.join("\n", log)).isZero();
    } finally {
      process.destroyForcibly();
    }
  }

  private static HttpRequest post(int port, String path, String body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }
}
