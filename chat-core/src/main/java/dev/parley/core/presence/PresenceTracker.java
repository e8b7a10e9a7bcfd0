package dev.parley.core.presence;

import dev.parley.core.broker.Broker;
import dev.parley.core.broker.BrokerEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Who is online. A user is online while at least one connection is open on this node or, as the
 * {@link PresenceDirectory} knows, on another; the departure from this node waits for a short
 * grace so that a quick reconnect does not flap. Whether an arrival or departure is news to the
 * cluster (and an event goes out) is the directory's to decide.
 */
public final class PresenceTracker {
  private final LocalUsers localUsers;
  private final PresenceDirectory directory;
  private final ScheduledExecutorService timer;
  private final long graceMillis;
  private final ConcurrentHashMap<String, ScheduledFuture<?>> goingOffline = new ConcurrentHashMap<>();

  /** Presence of this node alone (a {@link PresenceDirectory#local()} directory). */
  public PresenceTracker(LocalUsers localUsers, Broker broker, ScheduledExecutorService timer,
                         Duration grace) {
    this(localUsers, startedLocal(broker, localUsers), timer, grace);
  }

  /** Presence decided by {@code directory}, which must have been started. */
  public PresenceTracker(LocalUsers localUsers, PresenceDirectory directory,
                         ScheduledExecutorService timer, Duration grace) {
    this.localUsers = localUsers;
    this.directory = directory;
    this.timer = timer;
    this.graceMillis = grace.toMillis();
  }

  private static PresenceDirectory startedLocal(Broker broker, LocalUsers localUsers) {
    PresenceDirectory d = PresenceDirectory.local();
    d.start(broker, localUsers, null);
    return d;
  }

  /** The user's first connection on this node opened. */
  public void firstConnected(String userId, List<String> threads) {
    ScheduledFuture<?> pending = goingOffline.remove(userId);
    if (pending != null && pending.cancel(false)) {
      return; // back within the grace: nobody saw them leave
    }
    directory.arrived(userId, threads);
  }

  /** The user's last connection on this node closed. */
  public void lastDisconnected(String userId, List<String> threads) {
    if (graceMillis == 0) {
      directory.departed(userId, threads);
      return;
    }
    ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
    synchronized (self) {
      self[0] = timer.schedule(() -> {
        synchronized (self) {
          if (goingOffline.remove(userId, self[0]) && !localUsers.isOnline(userId)) {
            directory.departed(userId, threads);
          }
        }
      }, graceMillis, TimeUnit.MILLISECONDS);
      ScheduledFuture<?> previous = goingOffline.put(userId, self[0]);
      if (previous != null) {
        previous.cancel(false);
      }
    }
  }

  /** Online here, within the grace here, or (as far as the directory knows) on another node. */
  public boolean isOnline(String userId) {
    return localUsers.isOnline(userId) || goingOffline.containsKey(userId)
        || directory.isOnlineElsewhere(userId);
  }

  /** A presence event came through the broker: the directory's view follows it. */
  public void observed(BrokerEvent.Presence event) {
    directory.observed(event);
  }
}
