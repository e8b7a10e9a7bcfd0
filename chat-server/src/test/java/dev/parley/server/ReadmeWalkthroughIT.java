package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's "Try it" walkthrough works as written: its shell blocks, in order, run by bash from
 * the repository's root against a real server (only {@code localhost:8080} becomes the test
 * server's address), register two users, create a thread, send over the WebSocket with
 * {@code tools/WsSend.java} and read the message back as the other user.
 */
class ReadmeWalkthroughIT {
  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.exists(dir.resolve("README.md")) || !Files.exists(dir.resolve("tools"))) {
      dir = dir.getParent();
      assertThat(dir).as("the repository root above the working directory").isNotNull();
    }
    return dir;
  }

  /** The {@code sh} blocks of the README's section {@code heading}, in order. */
  static List<String> shellBlocks(String readme, String heading) {
    int start = readme.indexOf("\n## " + heading);
    assertThat(start).as("README section " + heading).isNotNegative();
    int end = readme.indexOf("\n## ", start + 1);
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    List<String> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("(?s)```sh\\n(.*?)```").matcher(section);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  @Test
  void theWalkthroughRunsAsWritten() throws IOException, InterruptedException {
    Path root = repositoryRoot();
    String readme = Files.readString(root.resolve("README.md"));
    List<String> blocks = shellBlocks(readme, "Try it");
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(4);
    assertThat(String.join("", blocks)).contains("java tools/WsSend.java");

    try (TestServer server = TestServer.start()) {
      String script = "set -euo pipefail\n"
          + String.join("", blocks).replace("localhost:8080", "127.0.0.1:" + server.port());
      Process bash = new ProcessBuilder("bash", "-c", script)
          .directory(root.toFile())
          .redirectErrorStream(true)
          .start();
      bash.getOutputStream().close();
      assertThat(bash.waitFor(90, TimeUnit.SECONDS)).as("the walkthrough finishes").isTrue();
      String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(bash.exitValue()).as(out).isZero();
      assertThat(out).as("hello, the ack of the send, Bob's read")
          .containsPattern("\\{\"type\":\"hello\",\"user\":\\{[^}]*\"username\":\"alice\"")
          .containsPattern("\\{\"type\":\"ack\",\"id\":\"1\",\"thread\":\"[^\"]+\",\"seq\":1,")
          .containsPattern("\"sender\":\"[^\"]+\",\"body\":\"hi Bob\"")
          .containsPattern("thread [A-Za-z0-9_-]+\\n");
    }
  }
}
