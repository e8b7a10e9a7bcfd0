package dev.parley.core.presence;

import dev.parley.core.broker.Broker;
import dev.parley.core.broker.BrokerEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Who is online. A user is online while at least one connection is open on this node or, as the
 * {@link PresenceDirectory} knows, on another; the departure from this node waits for a short
 * grace so that a quick reconnect does not flap. Whether an arrival or departure is news to the
 * cluster (and an event goes out) is the directory's to decide. Both moments are also told to a
 * "seen" listener, which records "last seen".
 */
public final class PresenceTracker {
  private final LocalUsers localUsers;
  private final PresenceDirectory directory;
  private final ScheduledExecutorService timer;
  private final long graceMillis;
  private final Consumer<String> seen;
  private final ConcurrentHashMap<String, Departure> goingOffline = new ConcurrentHashMap<>();

  /** Presence of this node alone (a {@link PresenceDirectory#local()} directory). */
  public PresenceTracker(LocalUsers localUsers, Broker broker, ScheduledExecutorService timer,
                         Duration grace) {
    this(localUsers, startedLocal(broker, localUsers), timer, grace);
  }

  /** Presence decided by {@code directory}, which must have been started. */
  public PresenceTracker(LocalUsers localUsers, PresenceDirectory directory,
                         ScheduledExecutorService timer, Duration grace) {
    this(localUsers, directory, timer, grace, userId -> { });
  }

  /**
   * Presence decided by {@code directory}, which must have been started; {@code seen} hears of
   * each user's first connection and last disconnection on this node, on the thread that opened
   * or closed it (an event loop, maybe): it must not block.
   */
  public PresenceTracker(LocalUsers localUsers, PresenceDirectory directory,
                         ScheduledExecutorService timer, Duration grace, Consumer<String> seen) {
    this.localUsers = localUsers;
    this.directory = directory;
    this.timer = timer;
    this.graceMillis = grace.toMillis();
    this.seen = seen;
  }

  private static PresenceDirectory startedLocal(Broker broker, LocalUsers localUsers) {
    PresenceDirectory d = PresenceDirectory.local();
    d.start(broker, localUsers, null);
    return d;
  }

  /** The user's first connection on this node opened. */
  public void firstConnected(String userId, List<String> threads) {
    seen.accept(userId);
    Departure pending = goingOffline.remove(userId);
    if (pending != null && pending.cancel()) {
      return; // back within the grace: nobody saw them leave
    }
    directory.arrived(userId, threads);
  }

  /** The user's last connection on this node closed. */
  public void lastDisconnected(String userId, List<String> threads) {
    seen.accept(userId);
    if (graceMillis == 0) {
      directory.departed(userId, threads);
      return;
    }
    Departure previous = new Departure(userId, threads).schedule();
    if (previous != null) {
      previous.cancel();
    }
  }

  /** A departure announced once the grace has passed, unless the user came back meanwhile. */
  private final class Departure implements Runnable {
    private final String userId;
    private final List<String> threads;
    private ScheduledFuture<?> future; // guarded by this

    Departure(String userId, List<String> threads) {
      this.userId = userId;
      this.threads = threads;
    }

    /**
     * Schedules it and makes it the user's pending departure; returns the one it replaces. Holds
     * the lock until both are done, so {@link #run} and {@link #cancel} see the future and the map
     * entry however soon the timer fires.
     */
    synchronized Departure schedule() {
      future = timer.schedule(this, graceMillis, TimeUnit.MILLISECONDS);
      return goingOffline.put(userId, this);
    }

    /** True when it will not run (it had not started). */
    synchronized boolean cancel() {
      return future.cancel(false);
    }

    @Override
    public synchronized void run() {
      if (goingOffline.remove(userId, this) && !localUsers.isOnline(userId)) {
        directory.departed(userId, threads);
      }
    }
  }

  /** Online here, within the grace here, or (as far as the directory knows) on another node. */
  public boolean isOnline(String userId) {
    return localUsers.isOnline(userId) || goingOffline.containsKey(userId)
        || directory.isOnlineElsewhere(userId);
  }

  /**
   * True while the user has an open connection on this node or (as far as the directory knows)
   * on another; unlike {@link #isOnline}, a user within the grace here is not connected.
   */
  public boolean isConnected(String userId) {
    return localUsers.isOnline(userId) || directory.isOnlineElsewhere(userId);
  }

  /** A presence event came through the broker: the directory's view follows it. */
  public void observed(BrokerEvent.Presence event) {
    directory.observed(event);
  }
}
