package dev.parley.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged server ({@code target/chat-server.jar}) as a separate process, for tests of the
 * jar itself: its command line, its stop on SIGTERM ({@link #terminate}), a crash ({@link #kill},
 * kill -9). {@link #start} and {@link #launch} wait for the "Parley is ready" log line and read
 * the port from it.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("Parley is ready: open http://[^/]*:(\\d+)/");

  private final Process process;
  private final int port;
  private final List<String> log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ServerProcess(Process process, int port, List<String> log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** The server jar, looked up from the module directory (Maven's working directory) or the root. */
  public static Path jar() {
    for (Path p : List.of(Path.of("target/chat-server.jar"), Path.of("chat-server/target/chat-server.jar"))) {
      if (Files.isRegularFile(p)) {
        return p.toAbsolutePath();
      }
    }
    throw new IllegalStateException("target/chat-server.jar not found: run `mvn package` (or verify) first");
  }

  /**
   * {@code java -jar chat-server.jar} with {@code args}, its output and errors in one stream, and
   * {@code env} as the only server settings in its environment: the developer's own
   * {@code CHAT_*} variables must not leak in.
   */
  public static ProcessBuilder command(Map<String, String> env, String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-jar", jar().toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("CHAT_"));
    pb.environment().putAll(env);
    return pb;
  }

  /**
   * Starts {@code java -jar chat-server.jar --host 127.0.0.1 --port 0 --data-dir DIR
   * --jwt-secret SECRET} plus {@code extraArgs}, and waits up to a minute until it is ready.
   */
  public static ServerProcess start(Path dataDir, String... extraArgs) {
    List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0",
        "--data-dir", dataDir.toString(), "--jwt-secret", TestServer.SECRET));
    args.addAll(List.of(extraArgs));
    return launch(Map.of(), args.toArray(String[]::new));
  }

  /**
   * Starts {@link #command} with exactly these settings (they must make it listen on a port the
   * ready line names) and waits up to a minute until it is ready; fails with its log if it ends
   * or stays silent.
   */
  public static ServerProcess launch(Map<String, String> env, String... args) {
    Process process;
    try {
      process = command(env, args).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Integer> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          log.add(line);
          Matcher m = READY.matcher(line);
          if (m.find()) {
            ready.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException ignored) {
        // the process is gone
      }
      ready.completeExceptionally(new IllegalStateException("server exited before it was ready"));
    }, "server-process-log");
    reader.setDaemon(true);
    reader.start();
    try {
      return new ServerProcess(process, ready.get(60, TimeUnit.SECONDS), log);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("server process did not get ready; its log:\n"
          + String.join("\n", log), e);
    }
  }

  public int port() {
    return port;
  }

  public Process process() {
    return process;
  }

  /** The process's output so far. */
  public List<String> log() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /** {@link #log()} as one text, for failure messages. */
  public String logText() {
    return String.join("\n", log());
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  public URI wsUri(String path) {
    return URI.create("ws://127.0.0.1:" + port + path);
  }

  /** One REST call. */
  public TestServer.Response request(String method, String path, String token, String jsonBody) {
    HttpRequest.Builder rb = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
        .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(jsonBody));
    if (jsonBody != null) {
      rb.header("Content-Type", "application/json");
    }
    if (token != null) {
      rb.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
      return new TestServer.Response(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Registers {@code username} with {@link TestServer#PASSWORD} and logs in. */
  public TestServer.Account register(String username) {
    String credentials = "{\"username\":\"" + username + "\",\"password\":\"" + TestServer.PASSWORD + "\"}";
    TestServer.Response r = request("POST", "/api/auth/register", null, credentials);
    if (r.status() != 201) {
      throw new IllegalStateException("register " + username + ": " + r.status() + " " + r.body());
    }
    TestServer.Response login = request("POST", "/api/auth/login", null, credentials);
    if (login.status() != 200) {
      throw new IllegalStateException("login " + username + ": " + login.status() + " " + login.body());
    }
    return new TestServer.Account(r.json().get("id").asText(), username,
        login.json().get("access").asText(), login.json().get("refresh").asText());
  }

  /** Opens a WebSocket and waits for hello. */
  public WsClient connect(String accessToken) {
    WsClient ws = WsClient.connect(wsUri("/ws"), accessToken, null);
    ws.awaitType("hello");
    return ws;
  }

  /** SIGTERM: asks the server to stop gracefully, without waiting; see {@link #awaitExit}. */
  public void terminate() {
    process.destroy();
  }

  /** Waits until the process has ended and returns its exit code; fails, with the log, after a timeout. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("server process still running after " + timeout + "; its log:\n"
            + logText());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return process.exitValue();
  }

  /** kill -9, and waits until the process is gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("server process did not die");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
