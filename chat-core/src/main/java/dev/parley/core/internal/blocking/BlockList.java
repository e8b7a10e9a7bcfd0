package dev.parley.core.internal.blocking;

import dev.parley.core.broker.BrokerEvent;
import dev.parley.core.store.ChatStore;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's copy of every block (contract 7.4), for the checks that run where the store must not
 * be asked: fan-out of typing and presence on the event loops, and the commit thread's check of
 * each send. Loaded from the store at start and kept in step by {@link BrokerEvent.BlockChanged},
 * which every node receives (the control channel), so a block holds on every node of a cluster
 * within the broker's latency. Reads are a map lookup, no lock.
 */
public final class BlockList {
  /** Blocked user to the users who block them. */
  private final ConcurrentHashMap<String, Set<String>> blockersByBlocked = new ConcurrentHashMap<>();

  /** Adds every block the store holds (blocks learnt from events meanwhile stay). */
  public void load(ChatStore store) {
    for (Map.Entry<String, Set<String>> e : store.blockersByBlocked().entrySet()) {
      for (String blocker : e.getValue()) {
        set(blocker, e.getKey(), true);
      }
    }
  }

  /** Applies a block or unblock announced by any node, this one included. */
  public void apply(BrokerEvent.BlockChanged change) {
    set(change.blocker(), change.blocked(), change.on());
  }

  /** True while {@code blocker} blocks {@code blocked}. */
  public boolean blocks(String blocker, String blocked) {
    Set<String> blockers = blockersByBlocked.get(blocked);
    return blockers != null && blockers.contains(blocker);
  }

  /** The users who block {@code blocked} (empty for nearly everyone); never modify it. */
  public Set<String> blockersOf(String blocked) {
    Set<String> blockers = blockersByBlocked.get(blocked);
    return blockers == null ? Set.of() : blockers;
  }

  private void set(String blocker, String blocked, boolean on) {
    if (on) {
      blockersByBlocked.computeIfAbsent(blocked, k -> ConcurrentHashMap.newKeySet()).add(blocker);
    } else {
      blockersByBlocked.computeIfPresent(blocked, (k, set) -> {
        set.remove(blocker);
        return set.isEmpty() ? null : set;
      });
    }
  }
}
