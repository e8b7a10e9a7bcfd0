package dev.parley.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.server.ChatServer;
import dev.parley.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real server on a free port with its own data dir (SQLite) and a fast bcrypt cost, plus an
 * HTTP client that speaks its REST API. Close it after the test.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.start()) {
 *   TestServer.Account alice = server.register("alice");
 *   WsClient ws = server.connect(alice.access());
 * }
 * }</pre>
 *
 * <p>Or one server for every test of a class, started before the first and closed after the last:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestServer server = TestServer.perClass();
 * }</pre>
 *
 * <p>Or a fresh server for each test ({@link #perTest()}), started before its {@code @BeforeEach}
 * methods and closed after its {@code @AfterEach} methods.
 */
public final class TestServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback,
    BeforeEachCallback, AfterEachCallback {
  public static final ObjectMapper JSON = new ObjectMapper();
  public static final String SECRET = "test-secret-test-secret-test-secret-0123";
  public static final String PASSWORD = "password123";

  private volatile ChatServer server;
  private volatile Path dataDir;
  private final Consumer<ServerConfig.Builder> customizer;
  /** As an extension: a server per test rather than per class. */
  private final boolean perTest;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestServer(Consumer<ServerConfig.Builder> customizer, boolean perTest) {
    this.customizer = customizer;
    this.perTest = perTest;
  }

  /** Starts a server with test defaults. */
  public static TestServer start() {
    return start(b -> { });
  }

  /** Starts a server with test defaults changed by {@code customizer}. */
  public static TestServer start(Consumer<ServerConfig.Builder> customizer) {
    TestServer s = new TestServer(customizer, false);
    s.boot();
    return s;
  }

  /** A server with test defaults that a {@code @RegisterExtension} field starts for its class. */
  public static TestServer perClass() {
    return perClass(b -> { });
  }

  /** Like {@link #perClass()}, with the defaults changed by {@code customizer}. */
  public static TestServer perClass(Consumer<ServerConfig.Builder> customizer) {
    return new TestServer(customizer, false);
  }

  /** A server with test defaults that a {@code @RegisterExtension} field starts for each test. */
  public static TestServer perTest() {
    return perTest(b -> { });
  }

  /** Like {@link #perTest()}, with the defaults changed by {@code customizer}. */
  public static TestServer perTest(Consumer<ServerConfig.Builder> customizer) {
    return new TestServer(customizer, true);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (!perTest) {
      boot();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (!perTest) {
      close();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (perTest) {
      boot();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (perTest) {
      close();
    }
  }

  private void boot() {
    try {
      dataDir = Files.createTempDirectory("parley-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ServerConfig.Builder b = defaults(dataDir);
    customizer.accept(b);
    server = ChatServer.builder(b.build()).start();
  }

  private static ServerConfig.Builder defaults(Path dir) {
    return ServerConfig.builder()
        .host("127.0.0.1")
        .port(0)
        .dataDir(dir)
        .jwtSecret(SECRET)
        .bcryptCost(4)
        .nodeId("test-node")
        .presenceGrace(Duration.ZERO)
        .shutdownTimeout(Duration.ofSeconds(5));
  }

  /**
   * Restarts the server as an operator would: closes it (its WebSockets get 1001) and starts a
   * new one on the same port with the same data dir and settings. Connected clients see their
   * connection drop and must reconnect and {@code sync}.
   */
  public void restart() {
    restart(() -> { });
  }

  /** Like {@link #restart()}, running {@code whileDown} after the stop and before the start. */
  public void restart(Runnable whileDown) {
    int port = port();
    server.close();
    whileDown.run();
    ServerConfig.Builder b = defaults(dataDir);
    customizer.accept(b);
    b.port(port);
    server = ChatServer.builder(b.build()).start();
  }

  public ChatServer server() {
    return server;
  }

  public int port() {
    return server.port();
  }

  public Path dataDir() {
    return dataDir;
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  public URI wsUri(String pathAndQuery) {
    return URI.create("ws://127.0.0.1:" + port() + pathAndQuery);
  }

  /** A REST answer: status and body (parsed when JSON). */
  public record Response(int status, String body, java.net.http.HttpHeaders headers) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    /** The contract's error code, e.g. {@code bad_request}. */
    public String errorCode() {
      return json().path("error").path("code").asText();
    }
  }

  /** A registered and logged-in user. */
  public record Account(String id, String username, String access, String refresh) {
  }

  public Response request(String method, String path, String token, String jsonBody) {
    HttpRequest.Builder rb = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
        .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(jsonBody));
    if (jsonBody != null) {
      rb.header("Content-Type", "application/json");
    }
    if (token != null) {
      rb.header("Authorization", "Bearer " + token);
    }
    return send(rb.build());
  }

  public Response send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Response get(String path, String token) {
    return request("GET", path, token, null);
  }

  public Response post(String path, String token, String jsonBody) {
    return request("POST", path, token, jsonBody);
  }

  /** Registers {@code username} (with {@link #PASSWORD}) and logs in. */
  /** Creates (or finds) the direct thread of {@code a} and {@code b}; its id. */
  public String direct(Account a, Account b) {
    Response r = post("/api/threads", a.access(),
        "{\"kind\":\"direct\",\"members\":[\"" + b.id() + "\"]}");
    if (r.status() != 200 && r.status() != 201) {
      throw new IllegalStateException("create direct thread: " + r.status() + " " + r.body());
    }
    return r.json().get("id").asText();
  }

  public Account register(String username) {
    Response r = post("/api/auth/register", null,
        "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}");
    if (r.status() != 201) {
      throw new IllegalStateException("register " + username + ": " + r.status() + " " + r.body());
    }
    String id = r.json().get("id").asText();
    Response login = post("/api/auth/login", null,
        "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}");
    if (login.status() != 200) {
      throw new IllegalStateException("login " + username + ": " + login.status() + " " + login.body());
    }
    return new Account(id, username, login.json().get("access").asText(),
        login.json().get("refresh").asText());
  }

  /** A unique username for this test run. */
  public static String uniqueName(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates a group of the creator and the others; returns its id. */
  public String group(Account creator, String title, Account... others) {
    StringBuilder members = new StringBuilder();
    for (Account a : others) {
      if (members.length() > 0) {
        members.append(',');
      }
      members.append('"').append(a.id()).append('"');
    }
    Response r = post("/api/threads", creator.access(),
        "{\"kind\":\"group\",\"title\":\"" + title + "\",\"members\":[" + members + "]}");
    if (r.status() != 201) {
      throw new IllegalStateException("create group: " + r.status() + " " + r.body());
    }
    return r.json().get("id").asText();
  }

  /** Opens a WebSocket with the token in the Authorization header and waits for hello. */
  public WsClient connect(String accessToken) {
    WsClient ws = WsClient.connect(wsUri("/ws"), accessToken, null);
    ws.awaitType("hello");
    return ws;
  }

  @Override
  public void close() {
    if (server == null) {
      return;
    }
    server.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir left behind is harmless
    }
  }
}
