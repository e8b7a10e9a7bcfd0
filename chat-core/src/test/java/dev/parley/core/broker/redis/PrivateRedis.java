package dev.parley.core.broker.redis;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A {@code redis-server} process of a test's own, on a fixed free port, that the test can kill
 * and start again (the shared server must never be restarted). Persistence is off; its output goes
 * to a temp file.
 */
final class PrivateRedis implements AutoCloseable {
  private final String binary;
  private final int port;
  private final Path log;
  private Process process;

  PrivateRedis(String binary) {
    this.binary = binary;
    this.port = TestRedis.freePort();
    try {
      this.log = Files.createTempFile("parley-redis-", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts the server and waits until it answers PING. */
  void start() {
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
        .until(() -> process.isAlive() && TestRedis.ping(url()) == null);
  }

  /**
   * Freezes the server (SIGSTOP): connections stay open but nothing answers, as with a hung
   * server or a silently broken network path. {@link #resume()} lets it go on.
   */
  void pause() {
    signal("-STOP");
  }

  /** Undoes {@link #pause()} (SIGCONT). */
  void resume() {
    signal("-CONT");
  }

  private void signal(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill " + signal + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Kills the server at once (SIGKILL), as a crash would. */
  void kill() {
    if (process != null) {
      resume();
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
    File f = log.toFile();
    if (!f.delete()) {
      f.deleteOnExit();
    }
  }
}
