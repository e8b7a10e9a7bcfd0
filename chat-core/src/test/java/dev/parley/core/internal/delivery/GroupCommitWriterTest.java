package dev.parley.core.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.core.messaging.SendCallback;
import dev.parley.core.CommitObserver;
import dev.parley.core.store.AppendResult;
import dev.parley.core.store.ChatStore;
import dev.parley.core.store.PendingMessage;
import dev.parley.core.store.jdbc.JdbcChatStore;
import dev.parley.core.store.jdbc.StoreOptions;
import dev.parley.core.testing.DelegatingChatStore;
import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;
import dev.parley.core.internal.util.Ids;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.model.Message;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The group-commit writer alone, over a real SQLite store. */
class GroupCommitWriterTest {
  private TestDatabase db;
  private JdbcChatStore real;
  private String thread;
  private String sender;
  private GroupCommitWriter writer;

  /** appendBatch of the first call waits on {@link #release} while {@link #hold} is set. */
  private final AtomicBoolean hold = new AtomicBoolean();
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  /** While set, batches go to a closed store (and fail as a dead database does). */
  private final AtomicBoolean broken = new AtomicBoolean();
  private JdbcChatStore closed;
  private TestDatabase closedDb;

  private final List<Integer> committedSizes = new CopyOnWriteArrayList<>();
  private final List<Integer> failedSizes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    db = TestDatabases.sqlite();
    real = JdbcChatStore.open(StoreOptions.of(db.url()));
    sender = real.createUser("alice", "Alice", "x", 1).id();
    thread = real.createGroup("t", sender, List.of(sender), 1).id();
    closedDb = TestDatabases.sqlite();
    closed = JdbcChatStore.open(StoreOptions.of(closedDb.url()));
    closed.close();
  }

  @AfterEach
  void tearDown() {
    if (writer != null) {
      writer.drainAndStop(10_000);
    }
    real.close();
    db.close();
    closedDb.close();
  }

  private GroupCommitWriter start() {
    ChatStore store = new DelegatingChatStore(real) {
      @Override
      public List<AppendResult> appendBatch(List<PendingMessage> batch) {
        if (hold.compareAndSet(true, false)) {
          entered.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return broken.get() ? closed.appendBatch(batch) : super.appendBatch(batch);
      }
    };
    writer = new GroupCommitWriter(store, 512, 0, 10_000, new CommitObserver() {
      @Override
      public void batchCommitted(int size, long nanos) {
        committedSizes.add(size);
      }

      @Override
      public void batchFailed(int size, Throwable error) {
        failedSizes.add(size);
      }
    });
    return writer;
  }

  private PendingMessage message(String body) {
    return new PendingMessage(Ids.newId(), thread, sender, body, System.currentTimeMillis(), null, null);
  }

  /** Records the outcome of each submission, in callback order. */
  private static final class Outcomes implements SendCallback {
    final ConcurrentLinkedQueue<AppendResult> stored = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<ChatException> failed = new ConcurrentLinkedQueue<>();

    @Override
    public void stored(AppendResult result) {
      stored.add(result);
    }

    @Override
    public void failed(ChatException error) {
      failed.add(error);
    }

    int count() {
      return stored.size() + failed.size();
    }
  }

  @Test
  void batchesFormWhileASlowCommitRuns() throws Exception {
    start();
    Outcomes outcomes = new Outcomes();
    hold.set(true);
    writer.submit(message("first"), outcomes);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 50; i++) {
      writer.submit(message("queued " + i), outcomes);
    }
    assertThat(writer.backlog()).isEqualTo(50);

    release.countDown();

    await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.count() == 51);
    assertThat(outcomes.failed).isEmpty();
    assertThat(committedSizes).contains(1).anyMatch(size -> size > 1);
    assertThat(committedSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(51);
    assertThat(outcomes.stored).extracting(r -> r.message().seq())
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 51).boxed().toList());
    assertThat(real.messagesAfter(thread, 0, 100)).extracting(Message::body)
        .startsWith("first", "queued 0", "queued 1").hasSize(51);
  }

  @Test
  void aFailingStoreFailsEveryCallbackOfTheBatchWithUnavailableAndTheWriterRecovers() throws Exception {
    start();
    Outcomes failing = new Outcomes();
    hold.set(true);
    broken.set(true);
    writer.submit(message("lost 0"), failing);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 1; i <= 10; i++) {
      writer.submit(message("lost " + i), failing);
    }
    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> failing.count() == 11);

    assertThat(failing.stored).isEmpty();
    assertThat(failing.failed).allSatisfy(e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
      assertThat(e.getMessage()).doesNotContainIgnoringCase("sql");
    });
    assertThat(failedSizes).contains(1).anyMatch(size -> size > 1);

    broken.set(false);
    Outcomes later = new Outcomes();
    writer.submit(message("kept"), later);
    await().atMost(Duration.ofSeconds(10)).until(() -> later.count() == 1);
    assertThat(later.stored).singleElement().satisfies(r -> assertThat(r.message().seq()).isEqualTo(1));
    assertThat(real.messagesAfter(thread, 0, 100)).extracting(Message::body).containsExactly("kept");
  }

  @Test
  void drainAndStopStoresEverythingAcceptedAndRefusesLaterSubmits() throws Exception {
    start();
    Outcomes outcomes = new Outcomes();
    hold.set(true);
    writer.submit(message("in flight"), outcomes);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 20; i++) {
      writer.submit(message("queued " + i), outcomes);
    }
    AtomicBoolean stopped = new AtomicBoolean();
    Thread stopper = new Thread(() -> stopped.set(writer.drainAndStop(10_000)));
    stopper.start();

    AtomicInteger acceptedLate = new AtomicInteger();
    await("submits are refused").atMost(Duration.ofSeconds(10)).until(() -> {
      try {
        writer.submit(message("late"), outcomes);
        acceptedLate.incrementAndGet();
        return false;
      } catch (ChatException e) {
        return e.code() == ErrorCode.UNAVAILABLE;
      }
    });
    release.countDown();
    stopper.join(15_000);

    assertThat(stopped).isTrue();
    int accepted = 21 + acceptedLate.get();
    assertThat(outcomes.failed).isEmpty();
    assertThat(outcomes.stored).hasSize(accepted);
    assertThat(real.messagesAfter(thread, 0, 1000)).hasSize(accepted);
    assertThatThrownBy(() -> writer.submit(message("after"), outcomes))
        .isInstanceOf(ChatException.class)
        .extracting(e -> ((ChatException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE);
  }

  @Test
  void aFullQueueRefusesWithUnavailable() throws Exception {
    writer = null;
    ChatStore slow = new DelegatingChatStore(real) {
      @Override
      public List<AppendResult> appendBatch(List<PendingMessage> batch) {
        entered.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return super.appendBatch(batch);
      }
    };
    writer = new GroupCommitWriter(slow, 512, 0, 2, CommitObserver.NONE);
    Outcomes outcomes = new Outcomes();
    writer.submit(message("in flight"), outcomes);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    writer.submit(message("q1"), outcomes);
    writer.submit(message("q2"), outcomes);

    assertThatThrownBy(() -> writer.submit(message("q3"), outcomes))
        .isInstanceOf(ChatException.class)
        .extracting(e -> ((ChatException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.stored.size() == 3);
  }
}
