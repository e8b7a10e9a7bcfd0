package dev.parley.core.internal.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.ChatListener;
import dev.parley.core.broker.BrokerEvent;
import dev.parley.protocol.model.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Events reach each listener in order, in bulk, and a refusing executor does not stop later ones. */
class ListenerHubTest {

  @Test
  void deliversEveryEventInOrderOnOneThread() throws InterruptedException {
    ExecutorService events = Executors.newSingleThreadExecutor();
    try {
      ListenerHub hub = new ListenerHub(events);
      List<Long> seen = new CopyOnWriteArrayList<>();
      CountDownLatch all = new CountDownLatch(10_000);
      hub.add(recording(seen, all), null);

      for (long seq = 1; seq <= 10_000; seq++) {
        hub.published(stored(seq));
      }

      assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(seen).hasSize(10_000);
      for (int i = 0; i < seen.size(); i++) {
        assertThat(seen.get(i)).isEqualTo(i + 1L);
      }
    } finally {
      events.shutdownNow();
    }
  }

  @Test
  void handsEventsOverInOneTaskUntilThatTaskRuns() {
    List<Runnable> tasks = new ArrayList<>();
    ListenerHub hub = new ListenerHub(tasks::add);
    List<Long> seen = new ArrayList<>();
    hub.add(recording(seen, new CountDownLatch(0)), null);

    for (long seq = 1; seq <= 100; seq++) {
      hub.published(stored(seq));
    }
    assertThat(tasks).hasSize(1);
    tasks.remove(0).run();
    assertThat(seen).hasSize(100).startsWith(1L, 2L).endsWith(100L);

    hub.published(stored(101));
    assertThat(tasks).as("the next event after a drain is a task again").hasSize(1);
    tasks.remove(0).run();
    assertThat(seen).endsWith(101L);
  }

  @Test
  void insideAHoldNothingIsHandedOverUntilTheOutermostHoldEnds() {
    List<Runnable> tasks = new ArrayList<>();
    ListenerHub hub = new ListenerHub(tasks::add);
    List<Long> seen = new ArrayList<>();
    List<Long> seenToo = new ArrayList<>();
    hub.add(recording(seen, new CountDownLatch(0)), null);
    hub.add(recording(seenToo, new CountDownLatch(0)), null);

    hub.hold(() -> {
      hub.published(stored(1));
      hub.hold(() -> hub.published(stored(2)));
      assertThat(tasks).as("the inner hold ended, the outer did not").isEmpty();
      hub.published(stored(3));
    });

    assertThat(tasks).as("one task per listener for the whole hold").hasSize(2);
    tasks.forEach(Runnable::run);
    assertThat(seen).containsExactly(1L, 2L, 3L);
    assertThat(seenToo).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aListenerOnThePublishersThreadGetsAHoldsEventsThereWhenTheHoldEnds() {
    List<Runnable> tasks = new ArrayList<>();
    ListenerHub hub = new ListenerHub(tasks::add);
    List<Long> seen = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    hub.add(new ChatListener() {
      @Override
      public void messageStored(Message message) {
        seen.add(message.seq());
        threads.add(Thread.currentThread());
      }
    }, Runnable::run); // as the engine's own listeners are

    hub.hold(() -> {
      hub.published(stored(1));
      hub.published(stored(2));
      assertThat(seen).as("not while the batch's callbacks run").isEmpty();
    });

    assertThat(seen).containsExactly(1L, 2L);
    assertThat(threads).containsOnly(Thread.currentThread());
    assertThat(tasks).as("the event thread was not woken").isEmpty();
  }

  @Test
  void aHoldThatThrowsStillHandsItsEventsOver() {
    List<Runnable> tasks = new ArrayList<>();
    ListenerHub hub = new ListenerHub(tasks::add);
    List<Long> seen = new ArrayList<>();
    hub.add(recording(seen, new CountDownLatch(0)), null);

    try {
      hub.hold(() -> {
        hub.published(stored(1));
        throw new IllegalStateException("callback failed");
      });
    } catch (IllegalStateException expected) {
      // the hold's work failed after publishing
    }

    assertThat(tasks).hasSize(1);
    tasks.get(0).run();
    assertThat(seen).containsExactly(1L);
  }

  @Test
  void anExecutorThatRefusesDropsItsEventsAndIsTriedAgainLater() {
    AtomicInteger refusals = new AtomicInteger();
    List<Runnable> accepted = new ArrayList<>();
    ListenerHub hub = new ListenerHub(task -> {
      if (refusals.getAndIncrement() == 0) {
        throw new RejectedExecutionException("full");
      }
      accepted.add(task);
    });
    List<Long> seen = new ArrayList<>();
    hub.add(recording(seen, new CountDownLatch(0)), null);

    hub.published(stored(1)); // refused: dropped with a warning, not thrown at the publisher
    hub.published(stored(2));

    assertThat(accepted).hasSize(1);
    accepted.get(0).run();
    assertThat(seen).containsExactly(2L);
  }

  private static BrokerEvent stored(long seq) {
    return new BrokerEvent.MessageStored(new Message("m" + seq, "t1", seq, "u1", "hi", 5L, null, List.of()));
  }

  private static ChatListener recording(List<Long> seen, CountDownLatch latch) {
    return new ChatListener() {
      @Override
      public void messageStored(Message message) {
        seen.add(message.seq());
        latch.countDown();
      }
    };
  }
}
