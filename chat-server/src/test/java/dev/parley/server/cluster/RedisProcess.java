package dev.parley.server.cluster;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import redis.clients.jedis.Jedis;

/**
 * A {@code redis-server} of the test's own on a free port (persistence off), which the test may
 * kill and start again on the same port; the shared Redis is never restarted. Fails under
 * {@code CI=true}, else skips, when no {@code redis-server} is on the PATH.
 */
final class RedisProcess implements AutoCloseable {
  private final String binary;
  private final int port;
  private final Path log;
  private Process process;

  private RedisProcess(String binary, int port, Path log) {
    this.binary = binary;
    this.port = port;
    this.log = log;
  }

  /** Starts a new server and waits until it answers PING. */
  static RedisProcess start() {
    String binary = binary();
    try (ServerSocket s = new ServerSocket(0)) {
      RedisProcess r = new RedisProcess(binary, s.getLocalPort(),
          Files.createTempFile("parley-redis-", ".log"));
      s.close();
      r.startAgain();
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts the server (again, after {@link #kill()}) on the same port. */
  void startAgain() {
    ProcessBuilder pb = new ProcessBuilder(binary, "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", System.getProperty("java.io.tmpdir"))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    await("redis-server on port " + port + " (log " + log + ")")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> process.isAlive() && answers());
  }

  /** kill -9, as a crash would. */
  void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  @Override
  public void close() {
    kill();
    if (!log.toFile().delete()) {
      log.toFile().deleteOnExit();
    }
  }

  private boolean answers() {
    try (Jedis j = new Jedis(URI.create(url()), 500, 500)) {
      j.ping();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String binary() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        File f = new File(dir, "redis-server");
        if (f.isFile() && f.canExecute()) {
          return f.getAbsolutePath();
        }
      }
    }
    Cluster.unavailable("redis-server is not on PATH: cannot start a Redis of the test's own");
    return null;
  }
}
