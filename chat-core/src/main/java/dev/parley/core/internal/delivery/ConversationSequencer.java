package dev.parley.core.internal.delivery;

import dev.parley.core.store.ChatStore;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.Message;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts each conversation's live messages back into seq order on the receiving node of a cluster.
 *
 * <p>Seqs are assigned in the commit transaction, so they are gapless in the store, but the
 * messages of one conversation reach a node along several paths: this node's own commits are handed over
 * at once, the other nodes' come through the broker, each node's in its own order. Node A may
 * commit seq 5 and node B seq 6 a moment later, and B's copy may arrive first; a copy may also
 * never arrive (the broker was down when it was published). For every conversation with local members
 * the sequencer keeps {@code next}, the seq this node delivers next, and:
 * <ul>
 *   <li>delivers a message with {@code seq == next} at once (the common case: a map lookup and a
 *       compare under the conversation's own, uncontended lock), then whatever it held that now follows;
 *   <li>drops a message with {@code seq < next} (a copy of one already delivered);
 *   <li>holds a message with {@code seq > next}, at most {@code maxHeld} per conversation (beyond that
 *       it only remembers the highest seq seen), and when the gap is still open after
 *       {@code gapTimeout} reads the missing messages from the store on a {@code parley-worker} and
 *       delivers them in order. A store that fails is retried; nothing waits forever on a copy
 *       that the broker lost.
 * </ul>
 *
 * <h2>Where {@code next} starts</h2>
 * When a conversation gets its first local member ({@link #open}) the sequencer reads the conversation's
 * {@code lastSeq} from the store on a {@code parley-worker}; messages that arrive meanwhile are held. The
 * read and the broker subscription race with messages being committed elsewhere: a message
 * committed after the read carries a higher seq and arrives (or is filled) in order; one
 * committed before the read is history, which the connection gets with {@code sync}. Held copies
 * that turn out to be at or below the {@code lastSeq} read are delivered anyway (with the store
 * filling between them), so nothing that reached this node is lost. One window remains: a message
 * committed after the read but before the broker subscription took effect never arrives by the
 * broker, and would only be filled once a later message shows the gap. To close it, the
 * sequencer probes the store once more {@code settle} after the open and delivers whatever is
 * above {@code next}.
 *
 * <p>{@link #forget} drops a conversation's state when its last local member leaves, so memory is
 * bounded by the conversations with local members times {@code maxHeld}.
 *
 * <p>The sink is called under the conversation's lock, one message at a time, on whichever Java thread
 * brought the message (the commit thread, the broker's, or a worker filling from the store). It
 * must not block.
 */
public final class ConversationSequencer {
  private static final Logger log = LoggerFactory.getLogger(ConversationSequencer.class);

  /** The gap timeout used when none is given. */
  public static final Duration DEFAULT_GAP_TIMEOUT = Duration.ofMillis(150);
  /** How long after an open the store is probed once more, when none is given. */
  public static final Duration DEFAULT_SETTLE = Duration.ofMillis(500);
  /** Messages held per thread at most, when no limit is given. */
  public static final int DEFAULT_MAX_HELD = 1024;

  private static final int FILL_PAGE = 500;
  private static final long UNKNOWN = 0;

  /** Receives each thread's messages exactly once, in seq order, without gaps. */
  @FunctionalInterface
  public interface Sink {
    void deliver(Message message);
  }

  private final ChatStore store;
  private final Sink sink;
  private final ScheduledExecutorService timer;
  private final Executor worker;
  private final long gapMillis;
  private final long settleMillis;
  private final int maxHeld;
  private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();

  /**
   * @param store      where missing messages and the starting {@code lastSeq} are read
   * @param sink       receives the ordered messages
   * @param timer      schedules the gap timeouts (must not run blocking work itself)
   * @param worker     runs the store reads
   * @param gapTimeout how long a gap may stay open before the store fills it
   * @param settle     how long after an open the store is probed once more
   * @param maxHeld    messages held per thread at most
   */
  public ConversationSequencer(ChatStore store, Sink sink, ScheduledExecutorService timer, Executor worker,
                         Duration gapTimeout, Duration settle, int maxHeld) {
    this.store = Objects.requireNonNull(store, "store");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.timer = Objects.requireNonNull(timer, "timer");
    this.worker = Objects.requireNonNull(worker, "worker");
    this.gapMillis = gapTimeout.toMillis();
    this.settleMillis = settle.toMillis();
    if (gapMillis < 1 || settleMillis < 0 || maxHeld < 1) {
      throw new IllegalArgumentException("gap timeout and maxHeld must be positive, settle not negative");
    }
    this.maxHeld = maxHeld;
  }

  /** A sequencer with the default timeouts and limit. */
  public ConversationSequencer(ChatStore store, Sink sink, ScheduledExecutorService timer, Executor worker) {
    this(store, sink, timer, worker, DEFAULT_GAP_TIMEOUT, DEFAULT_SETTLE, DEFAULT_MAX_HELD);
  }

  /**
   * This node starts receiving a thread (its first local member connected): reads where the
   * thread stands. Idempotent; a message of a thread that was never opened opens it too.
   */
  public void open(String conversationId) {
    stateOf(conversationId);
  }

  /** This node stops receiving a thread (its last local member left): forgets its state. */
  public void forget(String conversationId) {
    State s = states.remove(conversationId);
    if (s != null) {
      synchronized (s) {
        s.dead = true;
        s.held.clear();
      }
    }
  }

  /** A committed message, from this node or another; delivered now, later, or not again. */
  public void accept(Message message) {
    State s = states.get(message.thread());
    if (s == null) {
      s = stateOf(message.thread());
    }
    synchronized (s) {
      if (s.dead) {
        return; // forgotten meanwhile: the thread has no local members any more
      }
      long seq = message.seq();
      if (seq == s.next) {
        sink.deliver(message);
        s.next++;
        if (s.highest >= s.next) {
          drain(s);
        }
        return;
      }
      if (seq < s.next) {
        return; // already delivered
      }
      hold(s, message);
      if (s.next != UNKNOWN) {
        scheduleFill(s, gapMillis, false);
      }
    }
  }

  /** The seq a thread delivers next, 0 while unknown or when the thread is not open (tests). */
  long nextSeq(String conversationId) {
    State s = states.get(conversationId);
    if (s == null) {
      return UNKNOWN;
    }
    synchronized (s) {
      return s.next;
    }
  }

  /** How many messages a thread holds back right now (tests). */
  int heldCount(String conversationId) {
    State s = states.get(conversationId);
    if (s == null) {
      return 0;
    }
    synchronized (s) {
      return s.held.size();
    }
  }

  /** Threads with state (tests). */
  int openThreads() {
    return states.size();
  }

  private State stateOf(String conversationId) {
    State s = states.get(conversationId);
    if (s != null) {
      return s;
    }
    State fresh = new State(conversationId);
    State raced = states.putIfAbsent(conversationId, fresh);
    if (raced != null) {
      return raced;
    }
    runOnWorker(() -> init(fresh));
    return fresh;
  }

  private void init(State s) {
    long lastSeq;
    try {
      lastSeq = store.findThread(s.conversationId).map(ChatThread::lastSeq).orElse(0L);
    } catch (RuntimeException e) {
      log.warn("cannot read where thread {} stands, retrying: {}", s.conversationId, e.toString());
      schedule(() -> runOnWorker(() -> init(s)), gapMillis * 4);
      return;
    }
    synchronized (s) {
      if (s.dead) {
        return;
      }
      long start = lastSeq + 1;
      if (!s.held.isEmpty()) {
        // copies that came by the broker were committed after it subscribed: deliver them too
        start = Math.min(start, s.held.firstKey());
      }
      s.next = start;
      s.highest = Math.max(s.highest, lastSeq);
      drain(s);
      if (settleMillis > 0) {
        // skipped when a fill is pending: messages are flowing, so the subscription works
        scheduleFill(s, settleMillis, true);
      }
    }
  }

  /** Delivers what is held and now in order; asks the store for the rest of a gap. Under lock. */
  private void drain(State s) {
    Map.Entry<Long, Message> first;
    while ((first = s.held.firstEntry()) != null) {
      long seq = first.getKey();
      if (seq < s.next) {
        s.held.pollFirstEntry();
      } else if (seq == s.next) {
        s.held.pollFirstEntry();
        sink.deliver(first.getValue());
        s.next++;
      } else {
        break;
      }
    }
    if (s.highest >= s.next) {
      scheduleFill(s, gapMillis, false);
    }
  }

  private void hold(State s, Message message) {
    long seq = message.seq();
    s.highest = Math.max(s.highest, seq);
    if (s.held.size() < maxHeld) {
      s.held.put(seq, message);
    } else if (seq < s.held.lastKey()) {
      // keep the lowest seqs: they are delivered first; the store fills the rest
      s.held.pollLastEntry();
      s.held.put(seq, message);
    }
  }

  /** Under lock. At most one fill is pending per thread. */
  private void scheduleFill(State s, long delayMillis, boolean probe) {
    if (s.fillPending) {
      return;
    }
    s.fillPending = true;
    if (delayMillis == 0) {
      runOnWorker(() -> fill(s, probe));
    } else {
      schedule(() -> runOnWorker(() -> fill(s, probe)), delayMillis);
    }
  }

  /**
   * Reads the messages after {@code next - 1} from the store and delivers them: up to the highest
   * seq seen, or (a probe) whatever the store has.
   */
  private void fill(State s, boolean probe) {
    long after;
    int limit;
    synchronized (s) {
      if (s.dead || s.next == UNKNOWN) {
        s.fillPending = false;
        return;
      }
      after = s.next - 1;
      if (!probe && s.highest <= after) {
        s.fillPending = false;
        return;
      }
      limit = probe ? FILL_PAGE : (int) Math.min(FILL_PAGE, s.highest - after);
    }
    List<Message> page;
    try {
      page = store.messagesAfter(s.conversationId, after, limit);
    } catch (RuntimeException e) {
      log.warn("cannot fill thread {} after seq {} from the store, retrying: {}", s.conversationId, after,
          e.toString());
      synchronized (s) {
        s.fillPending = false;
        if (!s.dead) {
          scheduleFill(s, gapMillis * 4, probe);
        }
      }
      return;
    }
    synchronized (s) {
      s.fillPending = false;
      if (s.dead) {
        return;
      }
      for (Message m : page) {
        if (m.seq() == s.next) {
          sink.deliver(m);
          s.next++;
        } else if (m.seq() > s.next) {
          hold(s, m); // cannot happen with a gapless store; kept for the next round
        }
      }
      if (!page.isEmpty()) {
        s.highest = Math.max(s.highest, page.get(page.size() - 1).seq());
      }
      boolean more = page.size() == limit && limit == FILL_PAGE;
      if (more && (probe || s.highest >= s.next)) {
        scheduleFill(s, 0, probe);
      } else {
        drain(s);
      }
    }
  }

  private void schedule(Runnable task, long delayMillis) {
    try {
      timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // shutting down
    }
  }

  private void runOnWorker(Runnable task) {
    try {
      worker.execute(task);
    } catch (RejectedExecutionException e) {
      // shutting down
    }
  }

  /** One thread's ordering state; every field is guarded by the object's lock. */
  private static final class State {
    final String conversationId;
    final TreeMap<Long, Message> held = new TreeMap<>();
    long next = UNKNOWN;
    long highest;
    boolean fillPending;
    boolean dead;

    State(String conversationId) {
      this.conversationId = conversationId;
    }
  }
}
