package dev.parley.core.internal.events;

import dev.parley.core.ChatListener;
import dev.parley.core.broker.BrokerEvent;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The host's listeners and the executors they run on; turns broker events into listener calls. */
public final class ListenerHub {
  private static final Logger log = LoggerFactory.getLogger(ListenerHub.class);

  private final CopyOnWriteArrayList<Registration> listeners = new CopyOnWriteArrayList<>();
  private final Executor defaultExecutor;

  public ListenerHub(Executor defaultExecutor) {
    this.defaultExecutor = defaultExecutor;
  }

  public void add(ChatListener listener, Executor executor) {
    listeners.add(new Registration(listener, executor == null ? defaultExecutor : executor));
  }

  public boolean remove(ChatListener listener) {
    return listeners.removeIf(r -> r.listener == listener);
  }

  /** Hands an event that this node published to every listener, each on its executor. */
  public void published(BrokerEvent event) {
    if (listeners.isEmpty()) {
      return;
    }
    for (Registration r : listeners) {
      try {
        r.executor.execute(() -> deliver(r.listener, event));
      } catch (RuntimeException e) {
        log.warn("listener executor refused an event: {}", e.toString());
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

  private record Registration(ChatListener listener, Executor executor) {
  }
}
