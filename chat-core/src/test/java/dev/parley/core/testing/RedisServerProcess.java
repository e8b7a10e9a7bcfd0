package dev.parley.core.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import redis.clients.jedis.Jedis;

/**
 * A {@code redis-server} process of a test's own on a fixed port, which the test may kill, freeze
 * and start again on the same port (the shared test Redis must never be restarted). Persistence is
 * off; its output goes to a temp file. Finding the binary, and failing or skipping the test when
 * there is none, is the caller's part.
 */
public class RedisServerProcess implements AutoCloseable {
  private final String binary;
  private final int port;
  private final Path log;
  private Process process;
  private boolean paused;

  /** Prepares a server from {@code binary} on {@code port}; {@link #start()} starts it. */
  public RedisServerProcess(String binary, int port) {
    this.binary = binary;
    this.port = port;
    try {
      this.log = Files.createTempFile("parley-redis-", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts the server (first, or again after {@link #kill()}) and waits until it answers PING. */
  public void start() {
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
        .until(() -> process.isAlive() && answersPing());
  }

  /**
   * Freezes the server (SIGSTOP): connections stay open but nothing answers, as with a hung
   * server or a silently broken network path. {@link #resume()} lets it go on.
   */
  public void pause() {
    signal("-STOP");
    paused = true;
  }

  /** Undoes {@link #pause()} (SIGCONT). */
  public void resume() {
    signal("-CONT");
    paused = false;
  }

  private void signal(String signal) {
    int exit;
    try {
      exit = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
    } catch (IOException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("kill " + signal + " failed", e);
    }
    if (exit != 0) {
      throw new IllegalStateException("kill " + signal + " failed: exit code " + exit);
    }
  }

  /** Kills the server at once (SIGKILL), as a crash would; a paused one is resumed first. */
  public void kill() {
    if (process != null) {
      if (paused) {
        resume();
      }
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** Kills the server and deletes its log. */
  @Override
  public void close() {
    kill();
    File f = log.toFile();
    if (!f.delete()) {
      f.deleteOnExit();
    }
  }

  private boolean answersPing() {
    try (Jedis jedis = new Jedis(URI.create(url()), 500, 500)) {
      return "PONG".equals(jedis.ping());
    } catch (RuntimeException e) {
      return false;
    }
  }
}
