package dev.parley.bench.jmh;

import dev.parley.core.ChatEngine;
import dev.parley.core.EngineConfig;
import dev.parley.core.auth.PasswordHasher;
import dev.parley.core.auth.TokenService;
import dev.parley.core.store.jdbc.JdbcChatStore;
import dev.parley.core.store.jdbc.StoreOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/** A real engine on SQLite in a temp dir, rate limit off, deleted on close. */
final class BenchEngine implements AutoCloseable {
  static final String SECRET = "benchmark-secret-that-is-long-enough-for-hs256";

  private final Path dir;
  private final TokenService tokens;
  private final ChatEngine engine;

  BenchEngine(int commitBatchSize) {
    this.dir = tempDir("parley-bench-");
    this.tokens = TokenService.create(SECRET, Duration.ofHours(1), Duration.ofDays(1), Clock.systemUTC());
    this.engine = ChatEngine.builder()
        .store(JdbcChatStore.open(StoreOptions.of("jdbc:sqlite:" + dir.resolve("chat.db"))))
        .builtInAccounts(tokens, new PasswordHasher(4))
        .config(EngineConfig.builder().rateLimit(0).commitBatchSize(commitBatchSize).build())
        .build();
  }

  ChatEngine engine() {
    return engine;
  }

  TokenService tokens() {
    return tokens;
  }

  Path dir() {
    return dir;
  }

  @Override
  public void close() {
    engine.close();
    deleteTree(dir);
  }

  static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
