package dev.parley.core.internal.events;

import dev.parley.core.ChatListener;
import dev.parley.core.broker.BrokerEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The host's listeners and the executors they run on; turns broker events into listener calls. */
public final class ListenerHub {
  private static final Logger log = LoggerFactory.getLogger(ListenerHub.class);

  private final CopyOnWriteArrayList<Registration> listeners = new CopyOnWriteArrayList<>();
  private final Executor defaultExecutor;
  private final ThreadLocal<Hold> holds = ThreadLocal.withInitial(Hold::new);

  public ListenerHub(Executor defaultExecutor) {
    this.defaultExecutor = defaultExecutor;
  }

  public void add(ChatListener listener, Executor executor) {
    listeners.add(new Registration(listener, executor == null ? defaultExecutor : executor));
  }

  public boolean remove(ChatListener listener) {
    return listeners.removeIf(r -> r.listener == listener);
  }

  /**
   * Hands an event that this node published to every listener, each on its executor. Events
   * reach a listener in bulk: only the first of them since the listener's last drain becomes an
   * executor task (a wake-up of its thread), the others ride along; inside {@link #hold} not
   * even that until the hold ends. On one executor thread they arrive in order.
   */
  public void published(BrokerEvent event) {
    if (listeners.isEmpty()) {
      return;
    }
    Hold hold = holds.get();
    for (Registration r : listeners) {
      r.pending.offer(event);
      if (hold.depth > 0) {
        hold.defer(r);
      } else {
        r.schedule();
      }
    }
  }

  /**
   * Runs {@code work} on the calling thread, handing the events it publishes to the listeners'
   * executors when it ends (also when it throws) rather than one by one: the engine runs each
   * group commit's callbacks in one, so the event thread is woken once per batch. May be nested.
   */
  public void hold(Runnable work) {
    Hold hold = holds.get();
    hold.depth++;
    try {
      work.run();
    } finally {
      if (--hold.depth == 0) {
        hold.release();
      }
    }
  }

  private static void deliver(ChatListener listener, BrokerEvent event) {
    try {
      if (event instanceof BrokerEvent.MessageStored m) {
        if (m.message().isMessage()) {
          listener.messageStored(m.message());
        } else {
          listener.changeStored(m.message());
        }
      } else if (event instanceof BrokerEvent.MemberAdded a) {
        listener.memberAdded(a.snapshot(), a.user());
      } else if (event instanceof BrokerEvent.MemberRemoved r) {
        listener.memberRemoved(r.thread(), r.user());
      } else if (event instanceof BrokerEvent.Presence p) {
        listener.presenceChanged(p.user(), p.online());
      }
    } catch (RuntimeException e) {
      log.error("listener {} failed", listener, e);
    }
  }

  /** A listener, its executor, and the events not handed to it yet. */
  private static final class Registration implements Runnable {
    final ChatListener listener;
    final Executor executor;
    private final Queue<BrokerEvent> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Registration(ChatListener listener, Executor executor) {
      this.listener = listener;
      this.executor = executor;
    }

    void schedule() {
      if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
        try {
          executor.execute(this);
        } catch (RuntimeException e) {
          scheduled.set(false);
          int dropped = 0;
          while (pending.poll() != null) {
            dropped++;
          }
          log.warn("listener executor refused {} event(s): {}", dropped, e.toString());
        }
      }
    }

    /** The drain, on the executor: every event queued before it started, and any that follow. */
    @Override
    public void run() {
      scheduled.set(false);
      for (BrokerEvent event = pending.poll(); event != null; event = pending.poll()) {
        deliver(listener, event);
      }
    }
  }

  /** One thread's {@link #hold}: the registrations it queued events for and did not schedule. */
  private static final class Hold {
    int depth;
    final List<Registration> deferred = new ArrayList<>();

    void defer(Registration r) {
      if (!deferred.contains(r)) { // a handful of listeners: a scan beats hashing
        deferred.add(r);
      }
    }

    void release() {
      for (Registration r : deferred) {
        r.schedule();
      }
      deferred.clear();
    }
  }
}
