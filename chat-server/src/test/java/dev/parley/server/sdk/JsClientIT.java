package dev.parley.server.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parley.server.testing.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the JavaScript SDK's tests ({@code clients/js/test}, Node's built-in test runner) against
 * real servers: one with the test defaults ({@code PARLEY_URL}) and one whose access tokens live
 * 4 s ({@code PARLEY_SHORT_TOKEN_URL}), so that refreshing before expiry is exercised. Also
 * checks the hand-written types ({@code index.d.ts}) with TypeScript's compiler, as
 * {@code npm run typecheck} does: the declarations and {@code types/usage.ts}, a file that uses
 * the public API as an application would.
 *
 * <p>Needs {@code node} on the PATH and {@code clients/js/node_modules} ({@code npm ci} in
 * {@code clients/js}, which {@code .ci/run} does). Without them the test is skipped with the
 * reason, unless the environment variable {@code CI} is {@code true}: then it fails.
 */
class JsClientIT {
  private static final Path SDK = Paths.get("..", "clients", "js").toAbsolutePath().normalize();
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @RegisterExtension
  static final TestServer shortTokens = TestServer.perClass(
      b -> b.tokenTtl(Duration.ofSeconds(4)).tokenGrace(Duration.ofSeconds(1)));

  @BeforeAll
  static void needsNodeAndDependencies() {
    String missing = null;
    if (!onPath("node")) {
      missing = "the JS SDK tests need node on the PATH (apt-get install -y nodejs npm)";
    } else if (!Files.isDirectory(SDK.resolve("node_modules").resolve("ws"))
        || !Files.isDirectory(SDK.resolve("node_modules").resolve("typescript"))) {
      missing = "the JS SDK tests need its dev dependencies: run npm ci in " + SDK;
    }
    if (missing == null) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      fail(missing);
    }
    Assumptions.abort(missing);
  }

  @Test
  void sdkTestsPassAgainstARealServer() throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("node", "--test", "--test-reporter=spec", "--test-timeout=120000", "test/");
    pb.environment().put("PARLEY_URL", "http://127.0.0.1:" + server.port());
    pb.environment().put("PARLEY_SHORT_TOKEN_URL", "http://127.0.0.1:" + shortTokens.port());
    assertSucceeds("node --test", pb);
  }

  @Test
  void typesCompileWithTypeScript() throws IOException, InterruptedException {
    // what `npm run typecheck` runs (tsc -p tsconfig.json), without needing npm itself
    assertSucceeds("tsc", new ProcessBuilder("node", "node_modules/typescript/bin/tsc", "-p", "tsconfig.json"));
  }

  /** Runs the command in the SDK's directory, its output shown as it comes; it must exit with 0. */
  private static void assertSucceeds(String what, ProcessBuilder pb) throws IOException, InterruptedException {
    Process node = pb.directory(SDK.toFile()).redirectErrorStream(true).start();
    Thread pump = new Thread(() -> stream(node), "node-output");
    pump.start();
    boolean exited = node.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (!exited) {
      node.destroyForcibly();
    }
    pump.join(TimeUnit.SECONDS.toMillis(10));
    assertTrue(exited, what + " did not finish within " + TIMEOUT);
    assertEquals(0, node.exitValue(), what + " failed: see its output above");
  }

  /** Copies node's output to the test's, line by line, as it comes. */
  private static void stream(Process node) {
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        System.out.println("[node] " + line);
      }
    } catch (IOException e) {
      System.out.println("[node] output lost: " + e);
    }
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Paths.get(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
