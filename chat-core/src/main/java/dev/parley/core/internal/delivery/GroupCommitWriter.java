package dev.parley.core.internal.delivery;

import dev.parley.core.CommitObserver;
import dev.parley.core.limits.Limiter;
import dev.parley.core.messaging.CommitQueue;
import dev.parley.core.messaging.SendCallback;
import dev.parley.core.session.SendBurst;
import dev.parley.core.store.AppendResult;
import dev.parley.core.store.ChatStore;
import dev.parley.core.store.PendingMessage;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one thread drains a bounded queue of accepted messages and stores them in batches,
 * one transaction per batch. Under light load a batch is one message and is committed at once;
 * under heavy load messages pile up while the previous batch commits, so batches grow and the
 * cost of a commit is shared. Callbacks run on the writer thread, in commit order, only after the
 * batch is durable: that is what makes an ack a promise.
 */
public final class GroupCommitWriter implements CommitQueue, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
  /** The same words as the send path's own check (MessageService). */
  private static final ChatException RATE_LIMITED =
      new ChatException(ErrorCode.RATE_LIMITED, "sending too fast, slow down");

  private final ChatStore store;
  private final int maxBatch;
  private final long maxWaitNanos;
  private final BlockingQueue<Submission> queue;
  private final CommitObserver observer;
  private final Limiter sendGate;
  private final SendBurst burst;
  private final Thread thread;
  private volatile SendCheck sendCheck;
  private volatile boolean accepting = true;
  private volatile boolean running = true;

  public GroupCommitWriter(ChatStore store, int maxBatch, long maxWaitMicros, int capacity,
                           CommitObserver observer) {
    this(store, maxBatch, maxWaitMicros, capacity, observer, null, SendBurst.NONE);
  }

  /**
   * With a send gate (may be null): before each batch is stored, its messages submitted with a
   * rate key take one token each from {@code sendGate}, all in one call (one round trip for a
   * shared limiter); those that get none are failed with {@code rate_limited} and not stored.
   * This is where a limiter that blocks is consulted, never on a connection's thread. The
   * callbacks of each batch run inside {@code burst}, so that the transport can hand their
   * frames (acks, live deliveries) over in bulk.
   */
  public GroupCommitWriter(ChatStore store, int maxBatch, long maxWaitMicros, int capacity,
                           CommitObserver observer, Limiter sendGate, SendBurst burst) {
    if (maxBatch < 1 || capacity < 1 || maxWaitMicros < 0) {
      throw new IllegalArgumentException("maxBatch and capacity must be positive, maxWait not negative");
    }
    this.store = store;
    this.maxBatch = maxBatch;
    this.maxWaitNanos = TimeUnit.MICROSECONDS.toNanos(maxWaitMicros);
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.observer = observer;
    this.sendGate = sendGate;
    this.burst = burst;
    this.thread = new Thread(this::run, "parley-commit");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Accepts a message for storing; the callback hears of the outcome. Refused with
   * {@code unavailable} when the server is shutting down or the queue is full.
   */
  public void submit(PendingMessage message, SendCallback callback) {
    submit(message, null, callback);
  }

  /**
   * Like {@link #submit(PendingMessage, SendCallback)}; with a {@code rateKey} (e.g. the sender's
   * id) the message takes a token of the send gate before it is stored, or fails with
   * {@code rate_limited}.
   */
  @Override
  public void submit(PendingMessage message, String rateKey, SendCallback callback) {
    if (!accepting) {
      throw new ChatException(ErrorCode.UNAVAILABLE, "server is shutting down");
    }
    Submission submission = new Submission(message, sendGate == null ? null : rateKey, callback);
    if (!queue.offer(submission)) {
      throw new ChatException(ErrorCode.UNAVAILABLE, "server is overloaded, try again");
    }
    if (!accepting && queue.remove(submission)) {
      // raced with a stop that may already have drained the queue: refuse rather than strand it
      throw new ChatException(ErrorCode.UNAVAILABLE, "server is shutting down");
    }
  }

  /**
   * A check each message passes on the commit thread, just before its batch is stored (after the
   * send gate): one that refuses it fails it with the check's error and stores nothing of it.
   */
  public interface SendCheck {
    /** Null to let the message through, else the error its sender gets. May block (store). */
    ChatException refuse(PendingMessage message);
  }

  /** Installs the send check (the engine's block list); null removes it. */
  public void checkSendsWith(SendCheck check) {
    this.sendCheck = check;
  }

  /** Messages accepted and not yet committed. */
  public int backlog() {
    return queue.size();
  }

  private void run() {
    List<Submission> batch = new ArrayList<>(maxBatch);
    List<PendingMessage> messages = new ArrayList<>(maxBatch);
    while (running || !queue.isEmpty()) {
      try {
        Submission first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        // let producers that are ready to run (on a shared core: the event loops, with sends
        // read and not yet submitted) go first, so that their messages join this batch
        Thread.yield();
        queue.drainTo(batch, maxBatch - 1);
        if (maxWaitNanos > 0 && batch.size() < maxBatch) {
          fillWithin(batch);
        }
        commit(batch, messages);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        log.error("commit loop error", e);
      } finally {
        batch.clear();
        messages.clear();
      }
    }
  }

  private void fillWithin(List<Submission> batch) throws InterruptedException {
    long deadline = System.nanoTime() + maxWaitNanos;
    while (batch.size() < maxBatch) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      Submission next = queue.poll(left, TimeUnit.NANOSECONDS);
      if (next == null) {
        return;
      }
      batch.add(next);
      queue.drainTo(batch, maxBatch - batch.size());
    }
  }

  private void commit(List<Submission> batch, List<PendingMessage> messages) {
    admit(batch);
    check(batch);
    if (batch.isEmpty()) {
      return;
    }
    for (Submission s : batch) {
      messages.add(s.message);
    }
    long start = System.nanoTime();
    List<AppendResult> results;
    try {
      results = store.appendBatch(messages);
    } catch (RuntimeException e) {
      observer.batchFailed(batch.size(), e);
      // the store's own message may quote SQL or message text: clients get a generic one
      ChatException error = e instanceof ChatException ce && ce.code() == ErrorCode.NOT_FOUND
          ? ce
          : new ChatException(ErrorCode.UNAVAILABLE, "message store unavailable, not stored", e);
      log.warn("batch of {} not stored: {}", batch.size(), e.toString());
      for (Submission s : batch) {
        notifyFailed(s, error);
      }
      return;
    }
    observer.batchCommitted(batch.size(), System.nanoTime() - start);
    burst.run(() -> notifyStored(batch, results));
  }

  private static void notifyStored(List<Submission> batch, List<AppendResult> results) {
    for (int i = 0; i < batch.size(); i++) {
      Submission s = batch.get(i);
      AppendResult result = results.get(i);
      if (result.error() != null) {
        // refused by a rule of the thread log (e.g. a deleted target): nothing was stored
        notifyFailed(s, result.error());
        continue;
      }
      try {
        s.callback.stored(result);
      } catch (RuntimeException e) {
        log.error("callback failed for message {}", s.message.id(), e);
      }
    }
  }

  /** Takes the send gate's tokens for the batch in one call; fails and drops the refused. */
  private void admit(List<Submission> batch) {
    if (sendGate == null) {
      return;
    }
    List<String> keys = new ArrayList<>();
    for (Submission s : batch) {
      if (s.rateKey != null) {
        keys.add(s.rateKey);
      }
    }
    if (keys.isEmpty()) {
      return;
    }
    boolean[] admitted;
    try {
      admitted = sendGate.tryAcquireAll(keys);
    } catch (RuntimeException e) {
      log.warn("send gate failed, batch admitted: {}", e.toString());
      return;
    }
    int i = 0;
    for (Iterator<Submission> it = batch.iterator(); it.hasNext(); ) {
      Submission s = it.next();
      if (s.rateKey != null && !admitted[i++]) {
        it.remove();
        notifyFailed(s, RATE_LIMITED);
      }
    }
  }

  /** Fails and drops the messages the send check refuses. */
  private void check(List<Submission> batch) {
    SendCheck check = sendCheck;
    if (check == null) {
      return;
    }
    for (Iterator<Submission> it = batch.iterator(); it.hasNext(); ) {
      Submission s = it.next();
      ChatException refused;
      try {
        refused = check.refuse(s.message);
      } catch (RuntimeException e) {
        refused = new ChatException(ErrorCode.UNAVAILABLE, "message store unavailable, not stored", e);
      }
      if (refused != null) {
        it.remove();
        notifyFailed(s, refused);
      }
    }
  }

  private static void notifyFailed(Submission s, ChatException error) {
    try {
      s.callback.failed(error);
    } catch (RuntimeException e) {
      log.error("failure callback failed for message {}", s.message.id(), e);
    }
  }

  /**
   * Stops accepting, stores everything already accepted, then stops the thread. Waits up to
   * {@code timeoutMillis}; returns false when the backlog could not be stored in time.
   */
  public boolean drainAndStop(long timeoutMillis) {
    accepting = false;
    running = false;
    try {
      thread.join(timeoutMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      return false;
    }
    // a submit that raced with the stop: refuse it rather than leave its sender waiting
    ChatException refused = new ChatException(ErrorCode.UNAVAILABLE, "server is shutting down");
    for (Submission s = queue.poll(); s != null; s = queue.poll()) {
      notifyFailed(s, refused);
    }
    return true;
  }

  @Override
  public void close() {
    if (!drainAndStop(30_000)) {
      log.error("commit thread did not finish within 30 s; {} messages not stored", queue.size());
    }
  }

  private record Submission(PendingMessage message, String rateKey, SendCallback callback) {
  }
}
