package dev.parley.core.broker.redis;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.Jedis;

/**
 * The Redis used by tests: {@code CHAT_TEST_REDIS_URL}, else {@value #DEFAULT_URL}. When it cannot
 * be reached, a test fails if the environment variable {@code CI} is {@code true} and is skipped
 * with the reason otherwise.
 */
public final class TestRedis {
  static final String DEFAULT_URL = "redis://127.0.0.1:6379";

  private TestRedis() {
  }

  /** The shared test Redis URL, after checking it answers (fails or skips as described above). */
  public static String requireShared() {
    String env = System.getenv("CHAT_TEST_REDIS_URL");
    String url = env == null || env.isBlank() ? DEFAULT_URL : env;
    String problem = ping(url);
    if (problem != null) {
      unavailable("Redis at " + url + " is unreachable (" + problem + "); set CHAT_TEST_REDIS_URL");
    }
    return url;
  }

  /** A key prefix no other test run uses. */
  public static String uniquePrefix() {
    return "parley-test:" + UUID.randomUUID().toString().substring(0, 12) + ":";
  }

  /** Options for a test node: fast reconnects, a unique node id. */
  public static RedisBrokerOptions.Builder options(String url, String prefix, String node) {
    return RedisBrokerOptions.builder(url)
        .keyPrefix(prefix)
        .nodeId(node + "-" + UUID.randomUUID().toString().substring(0, 6))
        .backoff(Duration.ofMillis(50), Duration.ofMillis(400))
        .timeout(Duration.ofSeconds(1));
  }

  /** Null when Redis at {@code url} answers PING, else what went wrong. */
  static String ping(String url) {
    try (Jedis jedis = new Jedis(URI.create(url), 1000, 1000)) {
      jedis.ping();
      return null;
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }

  /** The {@code redis-server} binary on PATH (fails under CI, else skips, when there is none). */
  static String requireRedisServerBinary() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        File f = new File(dir, "redis-server");
        if (f.isFile() && f.canExecute()) {
          return f.getAbsolutePath();
        }
      }
    }
    unavailable("redis-server is not on PATH: cannot start a private Redis to restart");
    return null;
  }

  /** A TCP port nothing listens on right now. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void unavailable(String reason) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(reason + " (CI=true, so this is a failure)");
    }
    Assumptions.abort(reason);
  }
}
