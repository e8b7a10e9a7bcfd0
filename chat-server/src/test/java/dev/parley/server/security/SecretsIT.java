package dev.parley.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.Jwts;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.TestServer.Response;
import dev.parley.server.testing.WsClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Secrets stay secret: tokens given in {@code /ws?token=} and passwords never reach the log (even at
 * DEBUG), attachment ids cannot be guessed, and the static route never serves a file outside the
 * web client's folder.
 */
class SecretsIT {
  private static final Pattern BASE64URL_22 = Pattern.compile("[A-Za-z0-9_-]{22}");

  /** Fails naming the first log line that contains any of the secrets. */
  private static void assertNoLineContains(LogCapture logs, List<String> secrets) {
    List<String> lines = logs.lines();
    assertThat(lines).as("log lines captured").isNotEmpty();
    for (String line : lines) {
      for (String secret : secrets) {
        assertThat(line).as("a log line contains a secret").doesNotContain(secret);
      }
    }
  }

  /** The canary proves DEBUG lines of our packages reach the capture. */
  private static void logCanary(LogCapture logs) {
    String canary = "canary-" + UUID.randomUUID();
    LoggerFactory.getLogger("dev.parley.server.security.Canary").debug(canary);
    assertThat(logs.lines()).anyMatch(l -> l.contains(canary));
  }

  private static int refusedUpgradeStatus(TestServer server, String pathAndQuery) {
    try {
      WsClient ws = WsClient.connect(server.wsUri(pathAndQuery), null, null);
      ws.close();
      return 101;
    } catch (CompletionException e) {
      if (e.getCause() instanceof java.net.http.WebSocketHandshakeException h) {
        return h.getResponse().statusCode();
      }
      throw e;
    }
  }

  @Test
  void theTokenInTheUpgradeQueryNeverAppearsInTheLog() throws Exception {
    try (TestServer server = TestServer.start()) {
      Account alice = server.register(TestServer.uniqueName("alice"));
      long now = System.currentTimeMillis() / 1000;
      String good = Jwts.hs256(Jwts.accessClaims(alice.id(), 600));
      String expired = Jwts.hs256(Jwts.claims(alice.id(), now - 7200, now - 3600, "access"));
      String forged = Jwts.hmac("HS256", "a-wrong-secret-a-wrong-secret-0123456789", Jwts.accessClaims(alice.id(), 600));
      String unsigned = Jwts.none(Jwts.accessClaims(alice.id(), 600));
      String garbage = "tok-" + UUID.randomUUID();
      List<String> secrets = new ArrayList<>();
      for (String t : List.of(good, expired, forged, alice.access(), alice.refresh())) {
        secrets.add(t);
        secrets.add(t.substring(t.lastIndexOf('.') + 1)); // the signature alone is recognisable
      }
      secrets.add(unsigned);
      secrets.add(garbage);

      try (LogCapture logs = new LogCapture()) {
        logCanary(logs);
        // refused upgrades
        for (String bad : List.of(expired, forged, unsigned, garbage, alice.refresh())) {
          assertThat(refusedUpgradeStatus(server, "/ws?token=" + bad)).isEqualTo(401);
        }
        // requests to /ws with a token that are not upgrades at all, or malformed
        try (Socket s = new Socket("127.0.0.1", server.port())) {
          String r = rawGet(s, "/ws?token=" + good, "");
          assertThat(r).startsWith("HTTP/1.1 400");
        }
        try (Socket s = new Socket("127.0.0.1", server.port())) {
          String r = rawGet(s, "/ws?token=" + good + "&bad=%zz", "Upgrade: websocket\r\nConnection: Upgrade\r\n");
          assertThat(r).startsWith("HTTP/1.1 400");
        }
        // succeeding upgrades, with the query token and with the Authorization header
        try (WsClient ws = WsClient.connect(server.wsUri("/ws?token=" + good), null, null)) {
          ws.awaitType("hello");
          ws.send("{\"type\":\"auth\",\"id\":\"a1\",\"token\":\"" + forged + "\"}");
          assertThat(ws.awaitId("a1").get("code").asText()).isEqualTo("unauthorized");
          ws.send("{\"type\":\"auth\",\"id\":\"a2\",\"token\":\"" + good + "\"}");
          assertThat(ws.awaitId("a2").get("type").asText()).isEqualTo("ack");
          ws.send("{\"type\":\"nonsense\",\"id\":\"n1\",\"token\":\"" + garbage + "\"}");
          assertThat(ws.awaitId("n1").get("code").asText()).isEqualTo("bad_request");
        }
        try (WsClient ws = server.connect(alice.access())) {
          ws.send("{\"type\":\"ping\",\"id\":\"p\"}");
          ws.awaitId("p");
        }
        // REST with the same tokens
        assertThat(server.get("/api/users/me", expired).status()).isEqualTo(401);
        assertThat(server.get("/api/users/me", garbage).status()).isEqualTo(401);
        assertThat(server.get("/api/users/me", good).status()).isEqualTo(200);
        assertThat(server.post("/api/auth/refresh", null, "{\"refresh\":\"" + alice.refresh() + "\"}").status())
            .isEqualTo(200);
        assertThat(server.post("/api/auth/refresh", null, "{\"refresh\":\"" + good + "\"}").status())
            .isEqualTo(401);
        // the server's close, after which nothing more is logged about these connections
        server.server().close();
        assertNoLineContains(logs, secrets);
      }
    }
  }

  @Test
  void passwordsNeverAppearInTheLog() {
    try (TestServer server = TestServer.start()) {
      String password = "pw-" + UUID.randomUUID();
      String wrong = "wrong-" + UUID.randomUUID();
      String name = TestServer.uniqueName("carol");
      try (LogCapture logs = new LogCapture()) {
        logCanary(logs);
        String creds = "{\"username\":\"" + name + "\",\"password\":\"" + password + "\"}";
        assertThat(server.post("/api/auth/register", null, creds).status()).isEqualTo(201);
        assertThat(server.post("/api/auth/register", null, creds).status()).isEqualTo(409);
        assertThat(server.post("/api/auth/register", null,
            "{\"username\":\"x\",\"password\":\"" + password + "\"}").status()).isEqualTo(400);
        assertThat(server.post("/api/auth/register", null,
            "{\"username\":\"" + name + "2\",\"password\":\"" + password + "\"").status()).isEqualTo(400);
        assertThat(server.post("/api/auth/login", null, creds).status()).isEqualTo(200);
        assertThat(server.post("/api/auth/login", null,
            "{\"username\":\"" + name.toUpperCase() + "\",\"password\":\"" + password + "\"}").status())
            .isEqualTo(200);
        for (int i = 0; i < 12; i++) { // into the brute-force limit, which answers 429
          server.post("/api/auth/login", null, "{\"username\":\"" + name + "\",\"password\":\"" + wrong + "\"}");
        }
        assertThat(server.post("/api/auth/login", null,
            "{\"username\":\"nobody_here\",\"password\":\"" + password + "\"}").status()).isEqualTo(401);
        assertThat(server.post("/api/auth/login", null,
            "{\"username\":\"" + name + "\",\"password\":[\"" + password + "\"]}").status()).isEqualTo(400);
        server.server().close();
        assertNoLineContains(logs, List.of(password, wrong));
      }
    }
  }

  @Test
  void attachmentIdsAre22CharactersOfBase64UrlAndAThousandAreDistinct() {
    try (TestServer server = TestServer.start()) {
      Account alice = server.register(TestServer.uniqueName("alice"));
      HttpClient http = HttpClient.newHttpClient();
      Semaphore inFlight = new Semaphore(8);
      List<CompletableFuture<String>> uploads = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        inFlight.acquireUninterruptibly();
        HttpRequest upload = HttpRequest.newBuilder(server.uri("/api/attachments"))
            .header("Authorization", "Bearer " + alice.access())
            .header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString("attachment " + i))
            .build();
        uploads.add(http.sendAsync(upload, HttpResponse.BodyHandlers.ofString())
            .whenComplete((r, e) -> inFlight.release())
            .thenApply(r -> {
              assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
              try {
                return TestServer.JSON.readTree(r.body()).get("id").asText();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            }));
      }
      Set<String> ids = new HashSet<>();
      for (CompletableFuture<String> f : uploads) {
        String id = f.join();
        assertThat(id).matches(BASE64URL_22);
        ids.add(id);
      }
      assertThat(ids).hasSize(1000);
    }
  }

  @Test
  void theStaticRouteRefusesPathTraversalAndServesNothingOutsideTheWebFolder() throws IOException {
    List<String> paths = List.of(
        "/../pom.xml",
        "/../../pom.xml",
        "/%2e%2e/pom.xml",
        "/%2E%2E/%2E%2E/pom.xml",
        "/%2e%2e/",
        "/.%2e/logback.xml",
        "/%2e%2e%2fpom.xml",
        "/..%2f..%2fpom.xml",
        "/web/../../pom.xml",
        "/web/../logback.xml",
        "/js/../../logback.xml",
        "/index.html/../../logback.xml",
        "/..%5c..%5cpom.xml",
        "/%5c..%5clogback.xml",
        "/js%5c..%5c..%5clogback.xml",
        "/%252e%252e/pom.xml",
        "/%c0%ae%c0%ae/pom.xml",
        "//etc/passwd",
        "/etc/passwd",
        "/%2fetc%2fpasswd",
        "/file:/etc/passwd",
        "/C:/Windows/win.ini",
        "/C:%5cWindows%5cwin.ini",
        "/logback.xml",
        "/dev/parley/server/ChatServer.class",
        "/META-INF/MANIFEST.MF",
        "/web/index.html",
        "/.hidden",
        "/js/.",
        "/js/..",
        "/index.html%00.js");
    try (TestServer server = TestServer.start()) {
      try (Socket s = new Socket("127.0.0.1", server.port())) {
        assertThat(rawGet(s, "/", "")).startsWith("HTTP/1.1 200"); // the web client is there
      }
      for (String path : paths) {
        String answer;
        try (Socket s = new Socket("127.0.0.1", server.port())) {
          answer = rawGet(s, path, "");
        }
        String status = answer.substring(0, Math.min(12, answer.length()));
        assertThat(status).as(path + " -> " + answer).isIn("HTTP/1.1 404", "HTTP/1.1 400");
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        JsonNode error = TestServer.JSON.readTree(body);
        assertThat(error.path("error").path("code").asText()).as(path)
            .isEqualTo(status.endsWith("404") ? "not_found" : "bad_request");
        assertThat(answer).as(path).doesNotContain("<project").doesNotContain("<configuration")
            .doesNotContain("root:").doesNotContain("Manifest-Version");
      }
    }
  }

  /** Sends one GET exactly as written (no client-side normalising) and reads the whole answer. */
  private static String rawGet(Socket socket, String target, String extraHeaders) throws IOException {
    socket.setSoTimeout(10_000);
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + extraHeaders
        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    return all.toString(StandardCharsets.UTF_8);
  }
}
