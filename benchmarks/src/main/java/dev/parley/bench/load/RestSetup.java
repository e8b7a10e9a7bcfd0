package dev.parley.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The REST calls that prepare a run: register and log in users, create their groups. */
final class RestSetup implements AutoCloseable {
  /** A registered, logged-in user. */
  record BenchUser(String id, String username, String token) {
  }

  private final URI base;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final ExecutorService pool;

  RestSetup(URI base, int parallel) {
    this.base = base;
    this.pool = Executors.newFixedThreadPool(parallel, r -> {
      Thread t = new Thread(r, "chat-bench-rest");
      t.setDaemon(true);
      return t;
    });
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** Registers {@code prefix-0 .. prefix-(n-1)} and logs each in, {@code parallel} at a time. */
  List<BenchUser> users(int n, String prefix, String password) {
    List<Future<BenchUser>> futures = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String username = prefix + "-" + i;
      futures.add(pool.submit(() -> user(username, password)));
    }
    List<BenchUser> users = new ArrayList<>(n);
    for (Future<BenchUser> f : futures) {
      users.add(await(f));
    }
    return users;
  }

  private BenchUser user(String username, String password) throws IOException, InterruptedException {
    ObjectNode body = json.createObjectNode().put("username", username).put("password", password);
    JsonNode created = call("POST", "/api/auth/register", null, body, 201);
    ObjectNode login = json.createObjectNode().put("username", username).put("password", password);
    JsonNode tokens = call("POST", "/api/auth/login", null, login, 200);
    return new BenchUser(created.get("id").asText(), username, tokens.get("access").asText());
  }

  /** Creates a group of {@code creator} and {@code others}; returns its thread id. */
  String group(BenchUser creator, String title, List<String> others) {
    ObjectNode body = json.createObjectNode().put("kind", "group").put("title", title);
    others.forEach(body.putArray("members")::add);
    try {
      return call("POST", "/api/threads", creator.token(), body, 201).get("id").asText();
    } catch (IOException e) {
      throw new IllegalStateException("cannot create group " + title + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Creates every group, {@code parallel} at a time. */
  List<String> groups(List<BenchUser> creators, List<List<String>> others, String titlePrefix) {
    List<Future<String>> futures = new ArrayList<>();
    for (int g = 0; g < creators.size(); g++) {
      BenchUser creator = creators.get(g);
      List<String> members = others.get(g);
      String title = titlePrefix + "-" + g;
      futures.add(pool.submit(() -> group(creator, title, members)));
    }
    List<String> ids = new ArrayList<>();
    for (Future<String> f : futures) {
      ids.add(await(f));
    }
    return ids;
  }

  private JsonNode call(String method, String path, String token, JsonNode body, int expected)
      throws IOException, InterruptedException {
    HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    HttpResponse<byte[]> res = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (res.statusCode() != expected) {
      throw new IOException(method + " " + path + " answered " + res.statusCode() + ": "
          + new String(res.body(), java.nio.charset.StandardCharsets.UTF_8));
    }
    return json.readTree(res.body());
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("setup failed: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
