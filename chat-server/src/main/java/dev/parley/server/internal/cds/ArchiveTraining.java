package dev.parley.server.internal.cds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.Main;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The training run behind the AppCDS archive the build makes next to the runnable jar
 * ({@code target/chat-server.jsa}, see the README): started by the build with
 * {@code -XX:ArchiveClassesAtExit}, it runs the server's own command line on the embedded default
 * (a temporary data dir, a free port on 127.0.0.1), and goes once through what a user does first:
 * the web client's page, registering, logging in, a group, two WebSockets, a few messages sent,
 * acknowledged and delivered, the history read back. The JVM then exits and writes the archive
 * of every class that was loaded, so that a server started with {@code -XX:SharedArchiveFile}
 * skips loading and verifying them again.
 *
 * <p>Not part of the server; exits 0 when every step worked, 1 otherwise (the archive is written
 * either way, and the build goes on without one if the run failed to start).
 */
public final class ArchiveTraining {
  private static final Logger LOG = LoggerFactory.getLogger(ArchiveTraining.class);
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
  private static final int MESSAGES = 50;

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(STEP_TIMEOUT).build();
  private final URI base;

  private ArchiveTraining(URI base) {
    this.base = base;
  }

  public static void main(String[] args) throws Exception {
    Path dataDir = Files.createTempDirectory("parley-cds-training");
    int port = freePort();
    Thread server = new Thread(() -> new CommandLine(new Main()).execute("--host", "127.0.0.1",
        "--port", String.valueOf(port), "--data-dir", dataDir.toString(), "--bcrypt-cost", "4"),
        "cds-training-server");
    server.setDaemon(true);
    server.start();
    int code = 1;
    try {
      new ArchiveTraining(URI.create("http://127.0.0.1:" + port)).run();
      LOG.info("cds training: done");
      code = 0;
    } catch (Exception e) {
      LOG.error("cds training: failed", e);
    } finally {
      deleteQuietly(dataDir);
    }
    System.exit(code);
  }

  private void run() throws Exception {
    awaitHealthy();
    expect(get("/"), 200, "GET /");
    JsonNode alice = user("alice");
    JsonNode bob = user("bob");
    ObjectNode group = json.createObjectNode().put("kind", "group").put("title", "training");
    group.putArray("members").add(bob.get("id").asText());
    String thread = call("POST", "/api/threads", token(alice), group, 201).get("id").asText();

    Frames aliceFrames = new Frames(MESSAGES);
    Frames bobFrames = new Frames(MESSAGES);
    WebSocket aliceWs = connect(token(alice), aliceFrames);
    WebSocket bobWs = connect(token(bob), bobFrames);
    for (int i = 0; i < MESSAGES; i++) {
      ObjectNode send = json.createObjectNode().put("type", "send").put("id", "s" + i)
          .put("thread", thread).put("clientId", "c" + i).put("body", "hello " + i);
      aliceWs.sendText(json.writeValueAsString(send), true).get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
    await(aliceFrames.acks, "acks");
    await(bobFrames.messages, "deliveries");
    call("GET", "/api/threads/" + thread + "/messages", token(bob), null, 200);
    aliceWs.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    bobWs.sendClose(WebSocket.NORMAL_CLOSURE, "done");
  }

  private void awaitHealthy() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        if (get("/healthz").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new IllegalStateException("the server did not become healthy");
  }

  private JsonNode user(String name) throws IOException, InterruptedException {
    ObjectNode credentials = json.createObjectNode().put("username", name)
        .put("password", "training-password");
    JsonNode created = call("POST", "/api/auth/register", null, credentials, 201);
    JsonNode tokens = call("POST", "/api/auth/login", null, credentials, 200);
    return json.createObjectNode().put("id", created.get("id").asText())
        .put("access", tokens.get("access").asText());
  }

  private static String token(JsonNode user) {
    return user.get("access").asText();
  }

  private WebSocket connect(String token, Frames frames) throws Exception {
    URI ws = URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/ws");
    WebSocket socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
        .connectTimeout(STEP_TIMEOUT).buildAsync(ws, frames)
        .get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    await(frames.hello, "hello");
    return socket;
  }

  private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(STEP_TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private JsonNode call(String method, String path, String token, JsonNode body, int expected)
      throws IOException, InterruptedException {
    HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve(path)).timeout(STEP_TIMEOUT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
    if (body != null) {
      req.header("Content-Type", "application/json");
    }
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    return json.readTree(expect(http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray()),
        expected, method + " " + path).body());
  }

  private static HttpResponse<byte[]> expect(HttpResponse<byte[]> res, int status, String what) {
    if (res.statusCode() != status) {
      throw new IllegalStateException(what + " answered " + res.statusCode());
    }
    return res;
  }

  private static void await(CountDownLatch latch, String what) throws InterruptedException {
    if (!latch.await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      throw new IllegalStateException("no " + what + " within " + STEP_TIMEOUT);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind
    }
  }

  /** Counts the frames one WebSocket receives by type. */
  private static final class Frames implements WebSocket.Listener {
    final CountDownLatch hello = new CountDownLatch(1);
    final CountDownLatch acks;
    final CountDownLatch messages;
    private final StringBuilder partial = new StringBuilder();

    Frames(int expected) {
      this.acks = new CountDownLatch(expected);
      this.messages = new CountDownLatch(expected);
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String frame = partial.toString();
        partial.setLength(0);
        if (frame.contains("\"type\":\"hello\"")) {
          hello.countDown();
        } else if (frame.contains("\"type\":\"ack\"")) {
          acks.countDown();
        } else if (frame.contains("\"type\":\"message\"")) {
          messages.countDown();
        }
      }
      socket.request(1);
      return null;
    }
  }
}
