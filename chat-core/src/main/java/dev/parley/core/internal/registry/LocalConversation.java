package dev.parley.core.internal.registry;

import java.util.Arrays;

/** The local members of one thread who have an open connection here. Copy-on-write for fan-out. */
public final class LocalConversation {
  private static final LocalUser[] NONE = new LocalUser[0];

  private final String conversationId;
  private volatile LocalUser[] users = NONE;

  LocalConversation(String conversationId) {
    this.conversationId = conversationId;
  }

  public String conversationId() {
    return conversationId;
  }

  /** The local members; never modify the array. */
  public LocalUser[] users() {
    return users;
  }

  synchronized boolean add(LocalUser user) {
    LocalUser[] current = users;
    for (LocalUser u : current) {
      if (u == user) {
        return false;
      }
    }
    LocalUser[] next = Arrays.copyOf(current, current.length + 1);
    next[current.length] = user;
    users = next;
    return true;
  }

  /** Removes the user; returns the number of local members left. */
  synchronized int remove(LocalUser user) {
    LocalUser[] current = users;
    int index = -1;
    for (int i = 0; i < current.length; i++) {
      if (current[i] == user) {
        index = i;
        break;
      }
    }
    if (index < 0) {
      return current.length;
    }
    LocalUser[] next = new LocalUser[current.length - 1];
    System.arraycopy(current, 0, next, 0, index);
    System.arraycopy(current, index + 1, next, index, current.length - index - 1);
    users = next;
    return next.length;
  }

  boolean isEmpty() {
    return users.length == 0;
  }
}
