package dev.parley.server.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The AppCDS archive the build makes next to the runnable jar (README: `java
 * -XX:SharedArchiveFile=chat-server/target/chat-server.jsa -jar chat-server/target/chat-server.jar`):
 * its training run went through every step, and the JVM that built it maps it for that jar.
 */
class AppCdsArchiveIT {
  private static final Path JAR = Path.of("target/chat-server.jar");
  private static final Path ARCHIVE = Path.of("target/chat-server.jsa");
  private static final Path TRAINING_LOG = Path.of("target/chat-server.jsa.log");

  @Test
  void theTrainingRunWentThroughEveryStep() throws IOException {
    assertThat(TRAINING_LOG).as("the training run's output (mvn package)").exists();
    String log = Files.readString(TRAINING_LOG);
    assertThat(log).as(log).contains("Parley is ready", "cds training: done");
    assertThat(ARCHIVE).exists();
    assertThat(Files.size(ARCHIVE)).as("an archive of the server's classes").isGreaterThan(10_000_000);
  }

  @Test
  void theRunnableJarStartsOnTheArchive() throws Exception {
    // -Xshare:on makes an archive the JVM cannot use fatal instead of silently ignored
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xshare:on",
        "-XX:SharedArchiveFile=" + ARCHIVE, "-Xlog:cds=info", "-jar", JAR.toString(), "--version"))
        .redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("CHAT_"));
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("Mapped dynamic region", "Parley chat server");
  }
}
