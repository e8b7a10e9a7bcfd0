package dev.parley.server.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Adobe's S3Mock (an S3-compatible server from Maven Central) as a process of its own, on a free
 * port, with one empty bucket and its files in a temp dir: its Spring Boot classpath never meets
 * ours. The jar is {@code -Ds3mock.jar} (set by the chat-server pom from the local repository);
 * when it is missing or does not start the test fails under {@code CI=true} and is skipped with
 * the reason otherwise. {@link #close()} stops it and deletes its files.
 */
public final class S3MockProcess implements AutoCloseable {
  private static final Pattern STARTED =
      Pattern.compile("Tomcat started on ports? .*?(\\d+) \\(http\\)");
  private final Process process;
  private final Path root;
  private final int port;
  private final List<String> log;

  private S3MockProcess(Process process, Path root, int port, List<String> log) {
    this.process = process;
    this.root = root;
    this.port = port;
    this.log = log;
  }

  /** Starts S3Mock with {@code bucket}; waits until it listens (at most a minute). */
  public static S3MockProcess start(String bucket) {
    String jar = System.getProperty("s3mock.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      unavailable("the S3Mock jar is missing (-Ds3mock.jar=" + jar + ")");
    }
    Path root;
    try {
      root = Files.createTempDirectory("parley-s3mock-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar,
        "--http.port=0", "--server.port=0",
        "--com.adobe.testing.s3mock.store.initial-buckets=" + bucket,
        "--com.adobe.testing.s3mock.store.root=" + root,
        "--spring.main.banner-mode=off").redirectErrorStream(true);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      unavailable("cannot run " + java + ": " + e.getMessage());
      throw new AssertionError(e);
    }
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Integer> listening = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          log.add(line);
          Matcher m = STARTED.matcher(line);
          if (m.find()) {
            listening.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
      listening.completeExceptionally(new IOException("S3Mock ended before it listened"));
    }, "s3mock-log");
    reader.setDaemon(true);
    reader.start();
    try {
      int port = listening.get(60, TimeUnit.SECONDS);
      return new S3MockProcess(p, root, port, log);
    } catch (InterruptedException | java.util.concurrent.ExecutionException | TimeoutException e) {
      p.destroyForcibly();
      deleteTree(root);
      unavailable("S3Mock did not start: " + e + "\n" + String.join("\n", tail(log)));
      throw new AssertionError(e);
    }
  }

  /** The endpoint URL, {@code http://127.0.0.1:PORT}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** Its last log lines, for a failure message. */
  public String logTail() {
    return String.join("\n", tail(log));
  }

  private static List<String> tail(List<String> log) {
    synchronized (log) {
      return new ArrayList<>(log.subList(Math.max(0, log.size() - 40), log.size()));
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    deleteTree(root);
  }

  private static void unavailable(String reason) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(reason + " (CI=true, so this is a failure)");
    }
    Assumptions.abort(reason + " (set CI=true to make this a failure)");
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir left behind is harmless
    }
  }
}
