package dev.parley.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.server.ChatServer;
import dev.parley.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A soak test: an in-process server (SQLite in a temp dir, no rate limit) and users in group rooms
 * who connect, send a burst, wait for every ack, type, mark read and disconnect (with a close
 * handshake, or by dropping the TCP connection), over and over, for a long time. Every ack is
 * recorded; at the end every room's history must hold exactly the acked seqs, 1..n without gaps,
 * and heap used after GC and this JVM's open file descriptors must come back to within a tolerance
 * of their baseline (taken after a warm-up) once the churn stops.
 *
 * <pre>
 * java -cp benchmarks/target/chat-bench.jar dev.parley.bench.soak.SoakTest --duration 1h
 * </pre>
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
    description = "Connect/chat/disconnect churn against an in-process server; checks acks, heap and file descriptors.")
public final class SoakTest implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_FAILURES = 20;

  @Option(names = "--duration", defaultValue = "1h", description = "measured churn, e.g. 90s, 2m, 1h (default ${DEFAULT-VALUE})")
  private String duration;
  @Option(names = "--warmup", defaultValue = "30s", description = "churn before the baseline (default ${DEFAULT-VALUE})")
  private String warmup;
  @Option(names = "--users", defaultValue = "24", description = "users churning at once (default ${DEFAULT-VALUE})")
  private int users;
  @Option(names = "--rooms", defaultValue = "6", description = "group threads (default ${DEFAULT-VALUE})")
  private int rooms;
  @Option(names = "--max-burst", defaultValue = "8", description = "most messages per cycle (default ${DEFAULT-VALUE})")
  private int maxBurst;
  @Option(names = "--pause-ms", defaultValue = "250", description = "pause between a user's cycles (default ${DEFAULT-VALUE})")
  private long pauseMillis;
  @Option(names = "--heap-tolerance-mb", defaultValue = "48", description = "allowed heap growth (default ${DEFAULT-VALUE})")
  private long heapToleranceMb;
  @Option(names = "--fd-tolerance", defaultValue = "16", description = "allowed extra file descriptors (default ${DEFAULT-VALUE})")
  private int fdTolerance;

  private final Queue<String> failures = new ConcurrentLinkedQueue<>();
  private final AtomicLong failureCount = new AtomicLong();
  private final AtomicLong cycles = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong frameIds = new AtomicLong();

  public static void main(String[] args) {
    System.exit(new CommandLine(new SoakTest()).execute(args));
  }

  @Override
  public Integer call() {
    SoakOptions o = new SoakOptions(parseDuration(duration), parseDuration(warmup), users, rooms,
        maxBurst, Duration.ofMillis(pauseMillis), heapToleranceMb * 1024 * 1024, fdTolerance,
        Duration.ofSeconds(30));
    System.out.println("soak: " + o);
    SoakReport report = run(o);
    System.out.println(report.summary());
    return report.passed() ? 0 : 1;
  }

  /** Runs a soak with these options and reports; does not throw for a failed check. */
  public static SoakReport run(SoakOptions options) {
    return new SoakTest().execute(options);
  }

  /** {@code 90s}, {@code 2m}, {@code 1h}, {@code 500ms}, or ISO-8601 ({@code PT1H}). */
  static Duration parseDuration(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    if (v.startsWith("pt")) {
      return Duration.parse(v);
    }
    if (v.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
    }
    long n = Long.parseLong(v.substring(0, v.length() - 1));
    switch (v.charAt(v.length() - 1)) {
      case 's':
        return Duration.ofSeconds(n);
      case 'm':
        return Duration.ofMinutes(n);
      case 'h':
        return Duration.ofHours(n);
      default:
        throw new IllegalArgumentException("not a duration: " + s + " (use 90s, 2m, 1h)");
    }
  }

  private record User(String id, String name, String access, int room) {
  }

  /** The acked seqs of one room. */
  private static final class Ledger {
    private final String threadId;
    private final String readerToken;
    private final BitSet seqs = new BitSet();

    Ledger(String threadId, String readerToken) {
      this.threadId = threadId;
      this.readerToken = readerToken;
    }

    /** Records an acked seq; false if it had been acked before (a duplicate). */
    synchronized boolean record(long seq) {
      if (seq < 1 || seq > Integer.MAX_VALUE || seqs.get((int) seq)) {
        return false;
      }
      seqs.set((int) seq);
      return true;
    }

    synchronized BitSet snapshot() {
      return (BitSet) seqs.clone();
    }
  }

  private SoakReport execute(SoakOptions o) {
    Path dir;
    try {
      dir = Files.createTempDirectory("parley-soak");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ServerConfig config = ServerConfig.builder()
        .host("127.0.0.1")
        .port(0)
        .dataDir(dir)
        .rateLimit(0)
        .bcryptCost(4)
        .jwtSecret("soak-test-secret-soak-test-secret-0123456789")
        // every cycle reconnects with the token it logged in with: let it outlive the run
        .tokenTtl(o.warmup().plus(o.duration()).plus(Duration.ofHours(1)))
        .shutdownTimeout(Duration.ofSeconds(10))
        .build();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    long heapBaseline;
    long fdBaseline;
    long heapAfter;
    long fdAfter;
    long checked;
    try (ChatServer server = ChatServer.builder(config).start()) {
      URI base = URI.create("http://127.0.0.1:" + server.port());
      URI ws = URI.create("ws://127.0.0.1:" + server.port() + "/ws");
      List<User> people = new ArrayList<>();
      for (int i = 0; i < o.users(); i++) {
        people.add(register(http, base, "soak_" + i, i % o.rooms()));
      }
      List<Ledger> ledgers = new ArrayList<>();
      for (int r = 0; r < o.rooms(); r++) {
        User creator = people.get(r);
        List<String> members = new ArrayList<>();
        for (User u : people) {
          if (u.room() == r && u != creator) {
            members.add(u.id());
          }
        }
        JsonNode thread = call(http, base, "POST", "/api/threads", creator.access(),
            JSON.createObjectNode().put("kind", "group").put("title", "soak room " + r)
                .set("members", JSON.valueToTree(members)).toString(), 201);
        ledgers.add(new Ledger(thread.get("id").asText(), creator.access()));
      }

      churn(http, ws, people, ledgers, o, o.warmup());
      settle(server, Long.MAX_VALUE, Long.MAX_VALUE, o.settle()); // connections gone
      heapBaseline = usedHeapAfterGc();
      fdBaseline = openFileDescriptors();
      System.out.printf("soak: baseline after %s warm-up: heap %.1f MiB, %d fds; churning for %s%n",
          o.warmup(), heapBaseline / 1048576.0, fdBaseline, o.duration());

      churn(http, ws, people, ledgers, o, o.duration());
      checked = 0;
      for (Ledger l : ledgers) {
        checked += verifyHistory(http, base, l);
      }
      long[] after = settle(server, heapBaseline + o.heapToleranceBytes(),
          fdBaseline < 0 ? Long.MAX_VALUE : fdBaseline + o.fdTolerance(), o.settle());
      heapAfter = after[0];
      fdAfter = after[1];
      if (heapAfter > heapBaseline + o.heapToleranceBytes()) {
        fail(String.format("heap used after GC grew from %.1f MiB to %.1f MiB (tolerance %.1f MiB)",
            heapBaseline / 1048576.0, heapAfter / 1048576.0, o.heapToleranceBytes() / 1048576.0));
      }
      if (fdBaseline >= 0 && fdAfter > fdBaseline + o.fdTolerance()) {
        fail("open file descriptors grew from " + fdBaseline + " to " + fdAfter
            + " (tolerance " + o.fdTolerance() + ")");
      }
      if (server.engine().connectionCount() != 0) {
        fail(server.engine().connectionCount() + " connections still registered after the churn");
      }
    } finally {
      deleteTree(dir);
    }
    List<String> all = new ArrayList<>(failures);
    if (failureCount.get() > all.size()) {
      all.add("... " + (failureCount.get() - all.size()) + " more failures");
    }
    return new SoakReport(cycles.get(), acked.get(), checked, delivered.get(), heapBaseline,
        heapAfter, fdBaseline, fdAfter, all);
  }

  private void fail(String what) {
    failureCount.incrementAndGet();
    if (failures.size() < MAX_FAILURES) {
      failures.add(what);
    }
  }

  /** Every user loops connect / burst / typing / read / disconnect until the time is up. */
  private void churn(HttpClient http, URI ws, List<User> people, List<Ledger> ledgers, SoakOptions o,
                     Duration length) {
    long deadline = System.nanoTime() + length.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(people.size());
    try {
      List<CompletableFuture<Void>> loops = new ArrayList<>();
      for (User u : people) {
        loops.add(CompletableFuture.runAsync(() -> {
          while (System.nanoTime() < deadline) {
            try {
              cycle(http, ws, u, ledgers.get(u.room()), o);
            } catch (Exception e) {
              fail("cycle of " + u.name() + " failed: " + e);
            }
            LockSupport.parkNanos(o.pause().toNanos()); // pacing, not synchronisation
          }
        }, pool));
      }
      CompletableFuture.allOf(loops.toArray(new CompletableFuture<?>[0])).join();
    } finally {
      pool.shutdownNow();
    }
  }

  private void cycle(HttpClient http, URI ws, User u, Ledger room, SoakOptions o) throws Exception {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    SoakClient c = SoakClient.connect(http, ws, u.access(), TIMEOUT);
    try {
      int burst = 1 + random.nextInt(o.maxBurst());
      List<CompletableFuture<JsonNode>> answers = new ArrayList<>(burst);
      for (int k = 0; k < burst; k++) {
        String id = "f" + frameIds.incrementAndGet();
        answers.add(c.request(id, JSON.createObjectNode().put("type", "send").put("id", id)
            .put("thread", room.threadId).put("body", "soak " + u.name() + " " + id)
            .put("clientId", "c-" + id).toString()));
      }
      long last = 0;
      for (CompletableFuture<JsonNode> f : answers) {
        JsonNode a = f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (!"ack".equals(a.path("type").asText())) {
          fail("send answered " + a);
          continue;
        }
        long seq = a.get("seq").asLong();
        if (!room.record(seq)) {
          fail("seq " + seq + " of " + room.threadId + " acked twice");
        }
        acked.incrementAndGet();
        last = Math.max(last, seq);
      }
      c.send(JSON.createObjectNode().put("type", "typing").put("thread", room.threadId).toString());
      String readId = "r" + frameIds.incrementAndGet();
      JsonNode read = c.request(readId, JSON.createObjectNode().put("type", "read").put("id", readId)
          .put("thread", room.threadId).put("seq", last).toString()).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (!"ack".equals(read.path("type").asText())) {
        fail("read answered " + read);
      }
    } finally {
      delivered.addAndGet(c.delivered());
      if (random.nextInt(4) == 0) {
        c.abort();
      } else {
        c.closeNormally(Duration.ofSeconds(5));
      }
    }
    cycles.incrementAndGet();
  }

  /** Reads a room's whole history: seqs 1..n without gaps, exactly the acked ones. */
  private long verifyHistory(HttpClient http, URI base, Ledger room) {
    BitSet ackedSeqs = room.snapshot();
    long expected = 1;
    boolean more = true;
    while (more) {
      JsonNode page = call(http, base, "GET", "/api/threads/" + room.threadId
          + "/messages?after=" + (expected - 1) + "&limit=200", room.readerToken, null, 200);
      for (JsonNode m : page.get("messages")) {
        long seq = m.get("seq").asLong();
        if (seq != expected) {
          fail("history of " + room.threadId + " jumps from seq " + (expected - 1) + " to " + seq);
          return expected - 1;
        }
        if (!ackedSeqs.get((int) seq)) {
          fail("seq " + seq + " of " + room.threadId + " is stored but was never acked");
        }
        expected++;
      }
      more = page.get("hasMore").asBoolean() && page.get("messages").size() > 0;
    }
    long stored = expected - 1;
    int beyond = ackedSeqs.nextSetBit((int) stored + 1);
    if (beyond > 0) {
      fail("seq " + beyond + " of " + room.threadId + " was acked but is not in history (last " + stored + ")");
    }
    return stored;
  }

  /**
   * Waits until no connection is registered and heap and descriptors are at most the given
   * limits, or {@code within} has passed; returns the last heap and descriptor figures.
   */
  private static long[] settle(ChatServer server, long heapLimit, long fdLimit, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      long heap = usedHeapAfterGc();
      long fds = openFileDescriptors();
      boolean done = server.engine().connectionCount() == 0 && heap <= heapLimit
          && (fds < 0 || fds <= fdLimit);
      if (done || System.nanoTime() > deadline) {
        return new long[] {heap, fds};
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500)); // a poll with a deadline
    }
  }

  /** Heap in use after a full collection (the least of three, to let finalisation settle). */
  static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
    }
    return least;
  }

  /** This JVM's open file descriptors ({@code /proc/self/fd}), or -1 off Linux. */
  static long openFileDescriptors() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static User register(HttpClient http, URI base, String name, int room) {
    String creds = JSON.createObjectNode().put("username", name).put("password", "soak-password").toString();
    JsonNode user = call(http, base, "POST", "/api/auth/register", null, creds, 201);
    JsonNode login = call(http, base, "POST", "/api/auth/login", null, creds, 200);
    return new User(user.get("id").asText(), name, login.get("access").asText(), room);
  }

  private static JsonNode call(HttpClient http, URI base, String method, String path, String token,
                               String body, int expected) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != expected) {
        throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
      }
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir left behind is harmless
    }
  }
}
