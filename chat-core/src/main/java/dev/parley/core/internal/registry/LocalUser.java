package dev.parley.core.internal.registry;

import dev.parley.core.session.Session;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A user with at least one open connection on this node: their sessions and the threads they
 * belong to. Shared by all of the user's connections, so a thread membership costs one entry per
 * user, not per connection. Sessions are copy-on-write: fan-out reads a plain array.
 */
public final class LocalUser {
  private static final Session[] NONE = new Session[0];

  private final String userId;
  private final Set<String> threads = ConcurrentHashMap.newKeySet();
  private volatile Session[] sessions = NONE;

  LocalUser(String userId) {
    this.userId = userId;
  }

  public String userId() {
    return userId;
  }

  /** The user's open sessions on this node; never modify the array. */
  public Session[] sessions() {
    return sessions;
  }

  public boolean isMemberOf(String conversationId) {
    return threads.contains(conversationId);
  }

  /** A snapshot of the threads the user belongs to. */
  public java.util.List<String> conversationIds() {
    return java.util.List.copyOf(threads);
  }

  Set<String> threads() {
    return threads;
  }

  synchronized void addSession(Session session) {
    Session[] current = sessions;
    Session[] next = Arrays.copyOf(current, current.length + 1);
    next[current.length] = session;
    sessions = next;
  }

  /** Removes the session; returns the number left. */
  synchronized int removeSession(Session session) {
    Session[] current = sessions;
    int index = -1;
    for (int i = 0; i < current.length; i++) {
      if (current[i] == session) {
        index = i;
        break;
      }
    }
    if (index < 0) {
      return current.length;
    }
    Session[] next = new Session[current.length - 1];
    System.arraycopy(current, 0, next, 0, index);
    System.arraycopy(current, index + 1, next, index, current.length - index - 1);
    sessions = next;
    return next.length;
  }
}
