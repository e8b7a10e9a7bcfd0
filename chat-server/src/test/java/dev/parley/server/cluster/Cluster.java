package dev.parley.server.cluster;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;
import dev.parley.server.testing.ServerProcess;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Several server processes ({@code target/chat-server.jar}) sharing one PostgreSQL schema and one
 * Redis key prefix, both unique to this cluster, as a real deployment would. PostgreSQL is
 * {@code CHAT_TEST_PG_URL} (else the local test database) and Redis {@code CHAT_TEST_REDIS_URL}
 * (else {@value #DEFAULT_REDIS}); when either is unreachable the test fails under {@code CI=true}
 * and is skipped with the reason otherwise. {@link #close()} kills the nodes, drops the schema and
 * deletes the prefix's keys.
 */
final class Cluster implements AutoCloseable {
  static final String DEFAULT_REDIS = "redis://127.0.0.1:6379";
  private static final AtomicInteger QUERIES = new AtomicInteger();

  private final TestDatabase db;
  private final String redisUrl;
  private final String prefix;
  private final List<Path> dirs = new ArrayList<>();
  private final List<ServerProcess> nodes = new ArrayList<>();

  private Cluster(TestDatabase db, String redisUrl) {
    this.db = db;
    this.redisUrl = redisUrl;
    this.prefix = "parley-it:" + UUID.randomUUID().toString().substring(0, 12) + ":";
  }

  /** A cluster on the shared test Redis; no node started yet. */
  static Cluster onSharedRedis() {
    String env = System.getenv("CHAT_TEST_REDIS_URL");
    String url = env == null || env.isBlank() ? DEFAULT_REDIS : env;
    requireRedis(url);
    return new Cluster(TestDatabases.postgres(), url);
  }

  /** A cluster on a Redis of the test's own (that it may kill and start again). */
  static Cluster onRedis(String url) {
    requireRedis(url);
    return new Cluster(TestDatabases.postgres(), url);
  }

  /**
   * Starts {@code n} nodes named node-a, node-b, ...: the first alone (it creates the schema),
   * the others side by side. Returns them in order.
   */
  List<ServerProcess> start(int n) {
    return start(n, new String[0]);
  }

  /**
   * Like {@link #start(int)}, each node with {@code extraArgs} too (a {@code --rate-limit} among
   * them replaces the cluster's default of 0, no limit).
   */
  List<ServerProcess> start(int n, String... extraArgs) {
    List<ServerProcess> started = new ArrayList<>();
    started.add(startNode("node-" + (char) ('a' + nodes.size()), extraArgs));
    List<CompletableFuture<ServerProcess>> rest = new ArrayList<>();
    for (int i = 1; i < n; i++) {
      String name = "node-" + (char) ('a' + nodes.size() + i);
      rest.add(CompletableFuture.supplyAsync(() -> startNode(name, extraArgs)));
    }
    for (CompletableFuture<ServerProcess> f : rest) {
      started.add(f.join());
    }
    return started;
  }

  /** Starts one more node of this cluster. */
  ServerProcess startNode(String nodeId) {
    return startNode(nodeId, new String[0]);
  }

  /** Starts one more node of this cluster, with {@code extraArgs} too (see {@link #start(int, String...)}). */
  ServerProcess startNode(String nodeId, String... extraArgs) {
    Path dir;
    try {
      dir = Files.createTempDirectory("parley-" + nodeId + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> args = new ArrayList<>(List.of(
        "--db", db.url(),
        "--redis", redisUrl,
        "--redis-prefix", prefix,
        "--node-id", nodeId,
        "--bcrypt-cost", "4"));
    if (!List.of(extraArgs).contains("--rate-limit")) {
      args.addAll(List.of("--rate-limit", "0"));
    }
    args.addAll(List.of(extraArgs));
    ServerProcess p = ServerProcess.start(dir, args.toArray(String[]::new));
    synchronized (this) {
      dirs.add(dir);
      nodes.add(p);
    }
    return p;
  }

  String prefix() {
    return prefix;
  }

  /** The JDBC URL of the cluster's shared database (its own schema). */
  String dbUrl() {
    return db.url();
  }

  /** Creates a group thread of the creator and the others (through {@code node}); its id. */
  static String group(ServerProcess node, TestServer.Account creator, TestServer.Account... others) {
    StringBuilder members = new StringBuilder();
    for (TestServer.Account a : others) {
      members.append(members.length() == 0 ? "" : ",").append('"').append(a.id()).append('"');
    }
    TestServer.Response r = node.request("POST", "/api/threads", creator.access(),
        "{\"kind\":\"group\",\"title\":\"cluster\",\"members\":[" + members + "]}");
    if (r.status() != 201) {
      throw new IllegalStateException("create group: " + r.status() + " " + r.body());
    }
    return r.json().get("id").asText();
  }

  /** Asks over {@code ws} for {@code userId}'s presence status ("online" or "offline"). */
  static String presence(WsClient ws, String userId) {
    String id = "q" + QUERIES.incrementAndGet();
    ws.send("{\"type\":\"presence\",\"id\":\"" + id + "\",\"users\":[\"" + userId + "\"]}");
    return ws.awaitId(id).path("users").path(userId).asText();
  }

  /** The thread's whole history as read through {@code node}, ascending. */
  static List<JsonNode> history(ServerProcess node, String token, String thread) {
    List<JsonNode> out = new ArrayList<>();
    long after = 0;
    while (true) {
      TestServer.Response r = node.request("GET",
          "/api/threads/" + thread + "/messages?after=" + after + "&limit=200", token, null);
      if (r.status() != 200) {
        throw new IllegalStateException("history: " + r.status() + " " + r.body());
      }
      JsonNode page = r.json();
      page.get("messages").forEach(out::add);
      if (!page.get("hasMore").asBoolean() || page.get("messages").isEmpty()) {
        return out;
      }
      after = out.get(out.size() - 1).get("seq").asLong();
    }
  }

  /** The HTTP status of {@code GET /healthz} on a node. */
  static int health(ServerProcess node) {
    return node.request("GET", "/healthz", null, null).status();
  }

  /** A unique user name for this run. */
  static String name(String prefix) {
    return TestServer.uniqueName(prefix);
  }

  @Override
  public void close() {
    for (ServerProcess p : nodes) {
      try {
        p.close();
      } catch (RuntimeException e) {
        // keep cleaning up
      }
    }
    db.close();
    try (Jedis j = new Jedis(URI.create(redisUrl), 2000, 2000)) {
      String cursor = ScanParams.SCAN_POINTER_START;
      ScanParams match = new ScanParams().match(prefix + "*").count(500);
      do {
        ScanResult<String> page = j.scan(cursor, match);
        if (!page.getResult().isEmpty()) {
          j.del(page.getResult().toArray(new String[0]));
        }
        cursor = page.getCursor();
      } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
    } catch (RuntimeException e) {
      // the test's own Redis may be gone already
    }
    for (Path dir : dirs) {
      deleteTree(dir);
    }
  }

  /** The node logs, for a failure message. */
  String logs() {
    StringBuilder b = new StringBuilder();
    for (ServerProcess p : nodes) {
      b.append("---- node on port ").append(p.port()).append('\n');
      List<String> log = p.log();
      for (String line : log.subList(Math.max(0, log.size() - 80), log.size())) {
        b.append(line).append('\n');
      }
    }
    return b.toString();
  }

  static void requireRedis(String url) {
    try (Jedis j = new Jedis(URI.create(url), 1000, 1000)) {
      j.ping();
    } catch (RuntimeException e) {
      unavailable("Redis at " + url + " is unreachable (" + e.getMessage()
          + "); set CHAT_TEST_REDIS_URL");
    }
  }

  static void unavailable(String reason) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(reason + " (CI=true, so this is a failure)");
    }
    Assumptions.abort(reason + " (set CI=true to make this a failure)");
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir left behind is harmless
    }
  }

  /** The keys of this cluster's prefix that Redis holds now (tests of presence keys). */
  Set<String> keys() {
    try (Jedis j = new Jedis(URI.create(redisUrl), 2000, 2000)) {
      return j.keys(prefix + "*");
    }
  }
}
