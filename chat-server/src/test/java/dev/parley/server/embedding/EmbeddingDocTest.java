package dev.parley.server.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/embedding.md shows exactly the example code that {@link EmbeddingIT} runs. */
class EmbeddingDocTest {
  @Test
  void embeddingGuideShowsTheTestedExample() throws IOException {
    String source = Files.readString(Path.of("src/test/java/dev/parley/server/embedding/EmbeddedChat.java"));
    int start = source.indexOf("// tag::example[]\n") + "// tag::example[]\n".length();
    int end = source.indexOf("// end::example[]");
    String example = source.substring(start, end).strip();
    String doc = Files.readString(Path.of("../docs/embedding.md"));
    assertThat(doc).contains("```java\n" + example + "\n```");
  }
}
