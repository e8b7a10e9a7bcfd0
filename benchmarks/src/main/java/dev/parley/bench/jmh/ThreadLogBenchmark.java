package dev.parley.bench.jmh;

import dev.parley.core.messaging.SendCallback;
import dev.parley.core.CommitObserver;
import dev.parley.core.internal.delivery.GroupCommitWriter;
import dev.parley.core.store.AppendResult;
import dev.parley.core.store.PendingMessage;
import dev.parley.core.store.jdbc.JdbcChatStore;
import dev.parley.core.store.jdbc.StoreOptions;
import dev.parley.core.internal.util.Ids;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.model.Change;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * What a change of the thread log costs against a send (issue 15): the real {@link
 * GroupCommitWriter} into the real {@link JdbcChatStore} on SQLite (WAL, {@code synchronous=FULL}),
 * committing {@value #OPS} entries per invocation over {@value #THREADS} chat threads, either as
 * new messages, as edits of one message per thread, as reactions toggled on and off on it
 * (every toggle changes something, so every one is an entry), or as deletions of messages stored
 * before the invocation (outside the measured time, {@link #prepareDeletes}). An edit, a reaction
 * and a deletion are checked against the stored thread in the commit transaction (the target, its
 * sender, the user's reactions) and update the target's current state (a deletion erases its body,
 * versions and search index row) besides inserting their entry.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ThreadLogBenchmark {
  static final int OPS = 256;
  static final int THREADS = 16;
  private static final String BODY = "x".repeat(100);

  @Param({"1", "256"})
  int batchSize;

  private Path dir;
  private JdbcChatStore store;
  private GroupCommitWriter writer;
  private String sender;
  private final List<String> threads = new ArrayList<>();
  private final boolean[] reacted = new boolean[THREADS];
  private final long[] deleteTargets = new long[OPS];
  private final AtomicInteger failures = new AtomicInteger();

  @Setup(Level.Trial)
  public void setUp() {
    dir = BenchEngine.tempDir("parley-log-");
    store = JdbcChatStore.open(StoreOptions.of("jdbc:sqlite:" + dir.resolve("chat.db")));
    long now = System.currentTimeMillis();
    sender = store.createUser("bench", "Bench", "unused-hash", now).id();
    List<PendingMessage> firsts = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      String t = store.createGroup("bench-" + i, sender, List.of(sender), now).id();
      threads.add(t);
      firsts.add(new PendingMessage(Ids.newTimeOrderedId(), t, sender, BODY, now, null, List.of()));
    }
    store.appendBatch(firsts); // seq 1 of every thread: the target of edits and reactions
    writer = new GroupCommitWriter(store, batchSize, 0, 100_000, CommitObserver.NONE);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    writer.close();
    store.close();
    BenchEngine.deleteTree(dir);
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " entries were not stored");
    }
  }

  /** Before each invocation of {@link #delete}: {@value #OPS} fresh messages to delete. */
  @Setup(Level.Invocation)
  public void prepareDeletes(BenchmarkParams params) {
    if (!params.getBenchmark().endsWith(".delete")) {
      return;
    }
    long ts = System.currentTimeMillis();
    List<PendingMessage> targets = new ArrayList<>(OPS);
    for (int i = 0; i < OPS; i++) {
      targets.add(new PendingMessage(Ids.newTimeOrderedId(), threads.get(i % THREADS), sender, BODY, ts, null,
          List.of()));
    }
    List<AppendResult> stored = store.appendBatch(targets);
    for (int i = 0; i < OPS; i++) {
      deleteTargets[i] = stored.get(i).message().seq();
    }
  }

  private void run(java.util.function.IntFunction<PendingMessage> entry) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(OPS);
    SendCallback callback = new SendCallback() {
      @Override
      public void stored(AppendResult result) {
        if (!result.changed()) {
          failures.incrementAndGet();
        }
        done.countDown();
      }

      @Override
      public void failed(ChatException error) {
        failures.incrementAndGet();
        done.countDown();
      }
    };
    for (int i = 0; i < OPS; i++) {
      writer.submit(entry.apply(i), callback);
    }
    if (!done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("entries not stored within 60 s");
    }
  }

  @Benchmark
  @OperationsPerInvocation(OPS)
  public void send() throws InterruptedException {
    long ts = System.currentTimeMillis();
    run(i -> new PendingMessage(Ids.newTimeOrderedId(), threads.get(i % THREADS), sender, BODY, ts, null, List.of()));
  }

  @Benchmark
  @OperationsPerInvocation(OPS)
  public void edit() throws InterruptedException {
    long ts = System.currentTimeMillis();
    run(i -> new PendingMessage(Ids.newTimeOrderedId(), threads.get(i % THREADS), sender, BODY, ts, null, List.of(),
        null, Change.edited(1)));
  }

  @Benchmark
  @OperationsPerInvocation(OPS)
  public void react() throws InterruptedException {
    long ts = System.currentTimeMillis();
    run(i -> {
      int t = i % THREADS;
      reacted[t] = !reacted[t];
      return new PendingMessage(Ids.newTimeOrderedId(), threads.get(t), sender, "", ts, null, List.of(), null,
          Change.reaction(1, "\uD83D\uDC4D", reacted[t]));
    });
  }

  @Benchmark
  @OperationsPerInvocation(OPS)
  public void delete() throws InterruptedException {
    long ts = System.currentTimeMillis();
    run(i -> new PendingMessage(Ids.newTimeOrderedId(), threads.get(i % THREADS), sender, "", ts, null, List.of(), null,
        Change.deleted(deleteTargets[i])));
  }
}
