package dev.parley.core.internal.presence;

import dev.parley.core.store.ChatStore;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Last seen" times waiting to be written. Connections opening and closing note a time here
 * (a map update, on whatever thread) and {@link #flush} writes them all in one transaction, so
 * 10,000 connections opening in a few seconds cost a few transactions, not 10,000 that would
 * queue for SQLite's single writer beside the group commit. A user noted twice before a flush
 * is written once, at the later time. Thread-safe.
 */
public final class LastSeenLog {
  private static final Logger log = LoggerFactory.getLogger(LastSeenLog.class);

  private final ChatStore store;
  private final Clock clock;
  private final ConcurrentHashMap<String, Long> pending = new ConcurrentHashMap<>();

  public LastSeenLog(ChatStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** The user is, or just was, connected. Never blocks. */
  public void seen(String userId) {
    pending.merge(userId, clock.millis(), Math::max);
  }

  /**
   * Writes what was noted so far; blocks on the store, so call it on a worker. What cannot be
   * written stays noted for the next flush.
   */
  public void flush() {
    if (pending.isEmpty()) {
      return;
    }
    Map<String, Long> batch = new TreeMap<>(); // one order for every node: no lock-order deadlocks
    for (String userId : pending.keySet()) {
      Long at = pending.remove(userId);
      if (at != null) {
        batch.put(userId, at);
      }
    }
    try {
      store.recordLastSeen(batch);
    } catch (RuntimeException e) {
      batch.forEach((userId, at) -> pending.merge(userId, at, Math::max));
      log.warn("last seen of {} users not written, will retry: {}", batch.size(), e.toString());
    }
  }
}
