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
import dev.parley.protocol.model.User;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
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
import org.sqlite.SQLiteConfig;

/**
 * Durable messages per second on SQLite (WAL, {@code synchronous=FULL}, a file in
 * {@code java.io.tmpdir}): the real {@link GroupCommitWriter} into the real {@link JdbcChatStore}
 * (seq reservation per thread, batched insert, one transaction per batch of at most
 * {@code batchSize}), beside a raw JDBC loop of batched INSERTs of the same rows into an identical
 * table of the same database, committed every {@code batchSize} rows: the physical limit of the
 * disk and the driver. One operation is one message; each invocation submits
 * {@value #MESSAGES} messages over {@value #THREADS} chat threads and waits for every callback.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class GroupCommitBenchmark {
  static final int MESSAGES = 256;
  static final int THREADS = 16;
  private static final String BODY = "x".repeat(100);

  @Param({"1", "16", "256"})
  int batchSize;

  private Path dir;
  private JdbcChatStore store;
  private GroupCommitWriter writer;
  private Connection raw;
  private PreparedStatement rawInsert;
  private String sender;
  private final List<String> threads = new ArrayList<>();
  private final long[] rawSeqs = new long[THREADS];
  private final AtomicInteger failures = new AtomicInteger();

  @Setup(Level.Trial)
  public void setUp() throws SQLException {
    dir = BenchEngine.tempDir("parley-commit-");
    String url = "jdbc:sqlite:" + dir.resolve("chat.db");
    store = JdbcChatStore.open(StoreOptions.of(url));
    long now = System.currentTimeMillis();
    User user = store.createUser("bench", "Bench", "unused-hash", now);
    sender = user.id();
    for (int i = 0; i < THREADS; i++) {
      threads.add(store.createGroup("bench-" + i, sender, List.of(sender), now).id());
    }
    writer = new GroupCommitWriter(store, batchSize, 0, 100_000, CommitObserver.NONE);

    SQLiteConfig sqlite = new SQLiteConfig();
    sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
    sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    sqlite.setBusyTimeout(10_000);
    raw = DriverManager.getConnection(url, sqlite.toProperties());
    try (Statement st = raw.createStatement()) {
      // the store's messages table, column for column
      st.execute("CREATE TABLE raw_messages (thread_id TEXT NOT NULL, seq INTEGER NOT NULL,"
          + " id TEXT NOT NULL UNIQUE, sender TEXT NOT NULL, body TEXT NOT NULL, ts INTEGER NOT NULL,"
          + " client_id TEXT, attachments TEXT, PRIMARY KEY (thread_id, seq)) WITHOUT ROWID");
      st.execute("CREATE UNIQUE INDEX raw_messages_client ON raw_messages (thread_id, client_id, sender)"
          + " WHERE client_id IS NOT NULL");
    }
    raw.setAutoCommit(false);
    rawInsert = raw.prepareStatement("INSERT INTO raw_messages (thread_id, seq, id, sender, body, ts,"
        + " client_id, attachments) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  }

  @TearDown(Level.Trial)
  public void tearDown() throws SQLException {
    writer.close();
    rawInsert.close();
    raw.close();
    store.close();
    BenchEngine.deleteTree(dir);
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " messages were not stored");
    }
  }

  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public void groupCommitWriter() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(MESSAGES);
    SendCallback callback = new SendCallback() {
      @Override
      public void stored(AppendResult result) {
        done.countDown();
      }

      @Override
      public void failed(ChatException error) {
        failures.incrementAndGet();
        done.countDown();
      }
    };
    long ts = System.currentTimeMillis();
    for (int i = 0; i < MESSAGES; i++) {
      writer.submit(new PendingMessage(Ids.newId(), threads.get(i % THREADS), sender, BODY, ts, null,
          List.of()), callback);
    }
    if (!done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("messages not stored within 60 s");
    }
  }

  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public void rawJdbcBatchedInsertBaseline() throws SQLException {
    long ts = System.currentTimeMillis();
    for (int i = 0; i < MESSAGES; i++) {
      int t = i % THREADS;
      rawInsert.setString(1, threads.get(t));
      rawInsert.setLong(2, ++rawSeqs[t]);
      rawInsert.setString(3, Ids.newId());
      rawInsert.setString(4, sender);
      rawInsert.setString(5, BODY);
      rawInsert.setLong(6, ts);
      rawInsert.setString(7, null);
      rawInsert.setString(8, null);
      rawInsert.addBatch();
      if ((i + 1) % batchSize == 0 || i == MESSAGES - 1) {
        rawInsert.executeBatch();
        raw.commit();
      }
    }
  }
}
