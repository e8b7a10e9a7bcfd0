package dev.parley.server.cluster;

import dev.parley.core.testing.RedisServerProcess;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * A {@code redis-server} of the test's own on a free port (persistence off), which the test may
 * kill and start again on the same port; the shared Redis is never restarted. Fails under
 * {@code CI=true}, else skips, when no {@code redis-server} is on the PATH.
 */
final class RedisProcess implements AutoCloseable {
  private final RedisServerProcess server;

  private RedisProcess(RedisServerProcess server) {
    this.server = server;
  }

  /** Starts a new server and waits until it answers PING. */
  static RedisProcess start() {
    String binary = binary();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RedisProcess r = new RedisProcess(new RedisServerProcess(binary, port));
    r.startAgain();
    return r;
  }

  String url() {
    return server.url();
  }

  /** Starts the server (again, after {@link #kill()}) on the same port. */
  void startAgain() {
    server.start();
  }

  /** kill -9, as a crash would. */
  void kill() {
    server.kill();
  }

  @Override
  public void close() {
    server.close();
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
