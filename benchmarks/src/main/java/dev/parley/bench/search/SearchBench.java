package dev.parley.bench.search;

import dev.parley.core.ChatEngine;
import dev.parley.core.EngineConfig;
import dev.parley.core.auth.PasswordHasher;
import dev.parley.core.auth.TokenService;
import dev.parley.core.search.SearchService;
import dev.parley.core.store.jdbc.JdbcChatStore;
import dev.parley.core.store.jdbc.StoreOptions;
import dev.parley.protocol.model.User;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Search latency over a large store (issue 16): fills the store once ({@link SearchFill}), then
 * runs a fixed set of queries through the engine's {@link SearchService} as the reader (so the
 * membership check at query time is part of every query), interleaved round by round, and prints
 * p50/p99/max per query from an HdrHistogram, with the store's size on disk.
 *
 * <pre>
 * java -cp benchmarks/target/chat-bench.jar dev.parley.bench.search.SearchBench \
 *     --url jdbc:sqlite:/var/tmp/parley-search-1m.db
 * java -cp benchmarks/target/chat-bench.jar dev.parley.bench.search.SearchBench \
 *     --url 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres&amp;currentSchema=search_bench_1m'
 * </pre>
 */
@Command(name = "search-bench", mixinStandardHelpOptions = true,
    description = "Search latency over a store filled with N messages (filled once, then reused).")
public final class SearchBench implements Callable<Integer> {
  @Option(names = "--url", required = true, description = "JDBC URL of the store (SQLite file or PostgreSQL schema)")
  String url;

  @Option(names = "--messages", defaultValue = "1000000", description = "Messages to fill (default: ${DEFAULT-VALUE})")
  long messages;

  @Option(names = "--fill-threads", defaultValue = "4", description = "Filling threads (default: ${DEFAULT-VALUE})")
  int fillThreads;

  @Option(names = "--vocabulary", defaultValue = "3000", description = "Distinct words (default: ${DEFAULT-VALUE})")
  int vocabularySize;

  @Option(names = "--warmup", defaultValue = "20", description = "Unmeasured rounds (default: ${DEFAULT-VALUE})")
  int warmupRounds;

  @Option(names = "--rounds", defaultValue = "200",
      description = "Measured rounds; each runs every query once (default: ${DEFAULT-VALUE})")
  int rounds;

  @Option(names = "--limit", defaultValue = "20", description = "Results per page (default: ${DEFAULT-VALUE})")
  int limit;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SearchBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Vocabulary vocabulary = new Vocabulary(vocabularySize);
    Map<String, String> queries = new LinkedHashMap<>();
    queries.put("common word", vocabulary.word(0));
    queries.put("rare word", vocabulary.word(vocabulary.size() - 1));
    queries.put("two words", vocabulary.word(10) + " " + vocabulary.word(200));
    queries.put("diacritics typed without", Vocabulary.stripped(vocabulary.firstAccentedFrom(50)));
    queries.put("no match", "zzqxwv");

    TokenService tokens = TokenService.create("search-bench-secret-long-enough-for-hs256-0123",
        Duration.ofHours(1), Duration.ofDays(1), Clock.systemUTC());
    JdbcChatStore store = JdbcChatStore.open(StoreOptions.of(url));
    try (ChatEngine engine = ChatEngine.builder().store(store)
        .builtInAccounts(tokens, new PasswordHasher(PasswordHasher.MIN_COST))
        .config(EngineConfig.builder().rateLimit(0).build()).build()) {
      User reader = new SearchFill(store, vocabulary, messages).readerAfterFill(fillThreads);
      analyzeIfPostgres();
      System.out.println("size on disk: " + sizeOnDisk());
      SearchService search = engine.search();
      Map<String, Histogram> latencies = new LinkedHashMap<>();
      Map<String, Integer> hits = new LinkedHashMap<>();
      queries.keySet().forEach(k -> latencies.put(k, new Histogram(3_600_000_000L, 3)));
      for (int round = -warmupRounds; round < rounds; round++) {
        for (Map.Entry<String, String> q : queries.entrySet()) {
          long t0 = System.nanoTime();
          int found = search.search(reader.id(), q.getValue(), null, limit, null).results().size();
          long micros = (System.nanoTime() - t0) / 1_000;
          if (round >= 0) {
            latencies.get(q.getKey()).recordValue(micros);
          }
          hits.put(q.getKey(), found);
        }
      }
      System.out.printf("%d measured rounds after %d warm-up rounds, first page of %d, as a member of %d of %d"
          + " threads%n", rounds, warmupRounds, limit, SearchFill.THREADS / 2, SearchFill.THREADS);
      System.out.printf("%-26s %-22s %6s %10s %10s %10s%n", "query", "text", "hits", "p50 ms", "p99 ms", "max ms");
      for (Map.Entry<String, String> q : queries.entrySet()) {
        Histogram h = latencies.get(q.getKey());
        System.out.printf("%-26s %-22s %6d %10.2f %10.2f %10.2f%n", q.getKey(), q.getValue(), hits.get(q.getKey()),
            h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
      }
    }
    return 0;
  }

  /**
   * Fresh statistics for PostgreSQL's planner, as autovacuum would have them on a database in use:
   * right after a bulk fill they are missing, and the plans (and latencies) are then far off.
   */
  private void analyzeIfPostgres() throws Exception {
    if (url.startsWith("jdbc:postgresql:")) {
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.execute("ANALYZE");
      }
    }
  }

  /** The SQLite file with its WAL, or the PostgreSQL schema's tables with their indexes and TOAST. */
  private String sizeOnDisk() throws Exception {
    if (url.startsWith("jdbc:sqlite:")) {
      Path db = Path.of(url.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*", ""));
      long bytes = 0;
      for (String suffix : List.of("", "-wal", "-shm")) {
        Path p = Path.of(db + suffix);
        if (Files.exists(p)) {
          bytes += Files.size(p);
        }
      }
      return String.format("%,d MB (%s with -wal and -shm)", bytes / 1_000_000, db);
    }
    List<String> parts = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c"
             + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema()"
             + " AND c.relkind = 'r' ORDER BY 2 DESC")) {
      long total = 0;
      while (r.next()) {
        total += r.getLong(2);
        if (parts.size() < 3) {
          parts.add(r.getString(1) + " " + r.getLong(2) / 1_000_000 + " MB");
        }
      }
      return String.format("%,d MB (schema total with indexes and TOAST; largest: %s)", total / 1_000_000,
          String.join(", ", parts));
    }
  }
}
