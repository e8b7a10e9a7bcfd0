package dev.parley.core.presence;

import dev.parley.core.broker.Broker;
import dev.parley.core.broker.BrokerEvent;
import dev.parley.core.registry.ConnectionRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Who is online on this node. A user is online while at least one connection is open; the
 * offline event waits for a short grace so that a quick reconnect does not flap.
 */
public final class PresenceTracker {
  private final ConnectionRegistry registry;
  private final Broker broker;
  private final ScheduledExecutorService timer;
  private final long graceMillis;
  private final ConcurrentHashMap<String, ScheduledFuture<?>> goingOffline = new ConcurrentHashMap<>();

  public PresenceTracker(ConnectionRegistry registry, Broker broker, ScheduledExecutorService timer,
                         Duration grace) {
    this.registry = registry;
    this.broker = broker;
    this.timer = timer;
    this.graceMillis = grace.toMillis();
  }

  /** The user's first connection on this node opened. */
  public void firstConnected(String userId, List<String> threads) {
    ScheduledFuture<?> pending = goingOffline.remove(userId);
    if (pending != null && pending.cancel(false)) {
      return; // back within the grace: nobody saw them leave
    }
    broker.publish(new BrokerEvent.Presence(userId, true, threads));
  }

  /** The user's last connection on this node closed. */
  public void lastDisconnected(String userId, List<String> threads) {
    if (graceMillis == 0) {
      broker.publish(new BrokerEvent.Presence(userId, false, threads));
      return;
    }
    ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
    synchronized (self) {
      self[0] = timer.schedule(() -> {
        synchronized (self) {
          if (goingOffline.remove(userId, self[0]) && !registry.isOnline(userId)) {
            broker.publish(new BrokerEvent.Presence(userId, false, threads));
          }
        }
      }, graceMillis, TimeUnit.MILLISECONDS);
      ScheduledFuture<?> previous = goingOffline.put(userId, self[0]);
      if (previous != null) {
        previous.cancel(false);
      }
    }
  }

  public boolean isOnline(String userId) {
    return registry.isOnline(userId) || goingOffline.containsKey(userId);
  }
}
