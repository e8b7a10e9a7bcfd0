package dev.parley.core.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.core.store.PendingMessage;
import dev.parley.core.store.jdbc.JdbcChatStore;
import dev.parley.core.store.jdbc.StoreOptions;
import dev.parley.core.testing.DelegatingChatStore;
import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;
import dev.parley.core.internal.util.Ids;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The receiving side's per-thread sequencer, over a real SQLite store. */
class ConversationSequencerTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  private TestDatabase db;
  private JdbcChatStore real;
  private String thread;
  private String sender;
  private ScheduledExecutorService timer;
  private ExecutorService worker;
  private final List<Long> delivered = new CopyOnWriteArrayList<>();
  private final AtomicInteger fills = new AtomicInteger();
  private final AtomicInteger failingFills = new AtomicInteger();
  private final CountDownLatch lookupMayGo = new CountDownLatch(1);
  private volatile boolean holdLookup;

  @BeforeEach
  void setUp() {
    db = TestDatabases.sqlite();
    real = JdbcChatStore.open(StoreOptions.of(db.url()));
    sender = real.createUser("alice", "Alice", "x", 1).id();
    thread = real.createGroup("t", sender, List.of(sender), 1).id();
    timer = Executors.newSingleThreadScheduledExecutor();
    worker = Executors.newFixedThreadPool(2);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    timer.shutdownNow();
    worker.shutdownNow();
    worker.awaitTermination(5, TimeUnit.SECONDS);
    real.close();
    db.close();
  }

  /** A sequencer over the real store, counting (and optionally breaking) its fills. */
  private ConversationSequencer sequencer(Duration gap, Duration settle, int maxHeld) {
    DelegatingChatStore store = new DelegatingChatStore(real) {
      @Override
      public Optional<ChatThread> findThread(String conversationId) {
        if (holdLookup) {
          try {
            lookupMayGo.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return super.findThread(conversationId);
      }

      @Override
      public List<Message> messagesAfter(String conversationId, long afterSeq, int limit) {
        fills.incrementAndGet();
        if (failingFills.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          throw new IllegalStateException("database is down");
        }
        return super.messagesAfter(conversationId, afterSeq, limit);
      }
    };
    return new ConversationSequencer(store, m -> delivered.add(m.seq()), timer, worker, gap, settle, maxHeld);
  }

  /** Commits {@code n} messages to the store; returns them in seq order. */
  private List<Message> commit(int n) {
    List<PendingMessage> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batch.add(new PendingMessage(Ids.newId(), thread, sender, "m" + i, 1000 + i, null, List.of()));
    }
    List<Message> out = new ArrayList<>();
    real.appendBatch(batch).forEach(r -> out.add(r.message()));
    return out;
  }

  private void opened(ConversationSequencer s, long expectedNext) {
    s.open(thread);
    await().atMost(Duration.ofSeconds(5)).until(() -> s.nextSeq(thread) == expectedNext);
  }

  private static List<Long> seqs(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void deliversCopiesThatArriveOutOfOrderInSeqOrder() {
    ConversationSequencer s = sequencer(LONG, Duration.ZERO, 100);
    opened(s, 1);
    List<Message> m = commit(5);

    s.accept(m.get(2));
    s.accept(m.get(4));
    s.accept(m.get(0));
    assertThat(delivered).containsExactly(1L);
    s.accept(m.get(1));
    assertThat(delivered).containsExactly(1L, 2L, 3L);
    s.accept(m.get(3));

    assertThat(delivered).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(s.heldCount(thread)).isZero();
    assertThat(fills).hasValue(0);
  }

  @Test
  void dropsCopiesOfMessagesAlreadyDelivered() {
    ConversationSequencer s = sequencer(LONG, Duration.ZERO, 100);
    opened(s, 1);
    List<Message> m = commit(3);

    s.accept(m.get(0));
    s.accept(m.get(0));
    s.accept(m.get(1));
    s.accept(m.get(0));
    s.accept(m.get(1));
    s.accept(m.get(2));
    s.accept(m.get(2));

    assertThat(delivered).containsExactly(1L, 2L, 3L);
    assertThat(s.nextSeq(thread)).isEqualTo(4);
  }

  @Test
  void fillsAGapFromTheStoreWhenTheMissingCopiesNeverArrive() {
    ConversationSequencer s = sequencer(Duration.ofMillis(100), Duration.ZERO, 100);
    opened(s, 1);
    List<Message> m = commit(6);

    s.accept(m.get(0));
    s.accept(m.get(1));
    s.accept(m.get(4)); // 3 and 4 were lost on the way
    s.accept(m.get(5));
    assertThat(delivered).containsExactly(1L, 2L);

    await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 6);
    assertThat(delivered).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(fills.get()).isGreaterThanOrEqualTo(1);

    s.accept(m.get(2)); // the lost copy turns up late: dropped
    assertThat(delivered).hasSize(6);
  }

  @Test
  void keepsRetryingAFillWhileTheStoreFails() {
    ConversationSequencer s = sequencer(Duration.ofMillis(50), Duration.ZERO, 100);
    opened(s, 1);
    List<Message> m = commit(3);
    failingFills.set(2);

    s.accept(m.get(2));

    await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 3);
    assertThat(delivered).containsExactly(1L, 2L, 3L);
    assertThat(fills.get()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void startsAfterTheThreadsLastSeqWhenOpened() {
    List<Message> history = commit(3);
    ConversationSequencer s = sequencer(LONG, Duration.ZERO, 100);
    opened(s, 4);
    List<Message> m = commit(1);

    s.accept(history.get(1)); // history: the connection gets it with sync
    s.accept(m.get(0));

    assertThat(delivered).containsExactly(4L);
  }

  @Test
  void deliversCopiesThatArrivedBeforeItKnewWhereTheThreadStood() {
    commit(3);
    holdLookup = true;
    ConversationSequencer s = sequencer(Duration.ofMillis(100), Duration.ZERO, 100);
    s.open(thread);
    List<Message> m = commit(2); // seqs 4 and 5, committed before the lookup reads lastSeq

    s.accept(m.get(1));
    s.accept(m.get(0));
    assertThat(delivered).isEmpty();
    lookupMayGo.countDown();

    await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 2);
    assertThat(delivered).containsExactly(4L, 5L);
    assertThat(s.nextSeq(thread)).isEqualTo(6);
  }

  @Test
  void probesTheStoreOnceAfterOpeningForMessagesThatNeverCameByTheBroker() {
    ConversationSequencer s = sequencer(LONG, Duration.ofMillis(300), 100);
    opened(s, 1);
    commit(2); // committed before this node's subscription took effect: no copy arrives

    await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 2);
    assertThat(delivered).containsExactly(1L, 2L);
  }

  @Test
  void holdsAtMostItsLimitAndFillsTheRestFromTheStore() {
    ConversationSequencer s = sequencer(Duration.ofMillis(100), Duration.ZERO, 3);
    opened(s, 1);
    List<Message> m = commit(10);

    for (int i = 9; i >= 1; i--) { // everything but seq 1, newest first
      s.accept(m.get(i));
      assertThat(s.heldCount(thread)).isLessThanOrEqualTo(3);
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 10);
    assertThat(delivered).isEqualTo(seqs(1, 10));
  }

  @Test
  void forgetsAThreadWhenItsLastLocalMemberLeaves() {
    ConversationSequencer s = sequencer(LONG, Duration.ZERO, 100);
    opened(s, 1);
    List<Message> m = commit(3);
    s.accept(m.get(2)); // held

    s.forget(thread);

    assertThat(s.openThreads()).isZero();
    assertThat(s.heldCount(thread)).isZero();
    opened(s, 4); // a member is back: the thread starts afresh after its lastSeq
    s.accept(m.get(0));
    assertThat(delivered).isEmpty();
  }

  @Test
  void ordersConcurrentArrivalsFromSeveralSources() throws InterruptedException {
    ConversationSequencer s = sequencer(Duration.ofMillis(100), Duration.ZERO, 1000);
    opened(s, 1);
    List<Message> m = commit(300);
    // three "nodes" each deliver their own third, in order, at the same time
    List<Thread> sources = new ArrayList<>();
    for (int node = 0; node < 3; node++) {
      int n = node;
      sources.add(new Thread(() -> {
        for (int i = n; i < m.size(); i += 3) {
          s.accept(m.get(i));
        }
      }));
    }
    sources.forEach(Thread::start);
    for (Thread t : sources) {
      t.join();
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 300);
    assertThat(delivered).isEqualTo(seqs(1, 300));
  }
}
