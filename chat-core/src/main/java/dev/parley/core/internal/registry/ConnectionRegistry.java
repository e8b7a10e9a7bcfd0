package dev.parley.core.internal.registry;

import dev.parley.core.presence.LocalUsers;

import dev.parley.core.session.Session;
import dev.parley.core.session.SessionTable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Which local sessions belong to which users and threads. Reads on the hot path (fan-out) are a
 * map lookup and an array walk, with no lock; changes (connect, disconnect, membership) lock only
 * the user or conversation they touch.
 *
 * <p>{@code roomOpened} and {@code roomClosed} are told when a thread gets its first local member
 * or loses its last one, so the broker can subscribe and unsubscribe. They run on the caller's
 * thread after the change, outside the map locks, before the method returns. Each conversation's opens
 * and closes alternate in the registry, but two callers may report them in either order (one
 * closes the conversation, another reopens it and reports first), so the callbacks must not depend on
 * it: the broker counts interest per channel (one open and one close cancel out whatever their
 * order), and {@code LiveDelivery.conversationClosed} checks the conversation again after forgetting it.
 */
public final class ConnectionRegistry implements LocalUsers, SessionTable {
  private final ConcurrentHashMap<String, LocalUser> users = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LocalConversation> conversations = new ConcurrentHashMap<>();
  private final Consumer<String> roomOpened;
  private final Consumer<String> roomClosed;

  public ConnectionRegistry(Consumer<String> roomOpened, Consumer<String> roomClosed) {
    this.roomOpened = roomOpened;
    this.roomClosed = roomClosed;
  }

  /**
   * Registers a session of a user who belongs to {@code conversationIds}. Returns true when it is the
   * user's first open session on this node.
   */
  @Override
  public boolean open(Session session, Collection<String> conversationIds) {
    Change change = new Change();
    users.compute(session.userId(), (id, existing) -> {
      LocalUser user = existing;
      if (user == null) {
        user = new LocalUser(id);
        change.edge = true;
        for (String conversationId : conversationIds) {
          user.threads().add(conversationId);
          joinRoom(conversationId, user, change);
        }
      }
      user.addSession(session);
      return user;
    });
    return change.report();
  }

  @Override
  public Session latestSessionOf(String userId) {
    LocalUser user = users.get(userId);
    if (user == null) {
      return null;
    }
    Session[] sessions = user.sessions();
    return sessions.length == 0 ? null : sessions[sessions.length - 1];
  }

  /** Unregisters a session. Returns true when it was the user's last session on this node. */
  @Override
  public boolean close(Session session) {
    Change change = new Change();
    users.computeIfPresent(session.userId(), (id, user) -> {
      if (user.removeSession(session) > 0) {
        return user;
      }
      change.edge = true;
      for (String conversationId : user.threads()) {
        leaveRoom(conversationId, user, change);
      }
      return null;
    });
    return change.report();
  }

  /** The user joined a thread: their local sessions (if any) receive it from now on. */
  public LocalUser join(String userId, String conversationId) {
    Change change = new Change();
    LocalUser result = users.computeIfPresent(userId, (id, user) -> {
      if (user.threads().add(conversationId)) {
        joinRoom(conversationId, user, change);
      }
      return user;
    });
    change.report();
    return result;
  }

  /** The user left a thread: their local sessions stop receiving it now. */
  public LocalUser leave(String userId, String conversationId) {
    Change change = new Change();
    LocalUser result = users.computeIfPresent(userId, (id, user) -> {
      if (user.threads().remove(conversationId)) {
        leaveRoom(conversationId, user, change);
      }
      return user;
    });
    change.report();
    return result;
  }

  /** The local members of a thread, or null when none is connected here. */
  public LocalConversation conversation(String conversationId) {
    return conversations.get(conversationId);
  }

  /** A connected user, or null. */
  public LocalUser user(String userId) {
    return users.get(userId);
  }

  @Override
  public List<String> conversationIdsOf(String userId) {
    LocalUser user = users.get(userId);
    return user == null ? List.of() : user.conversationIds();
  }

  @Override
  public boolean knowsMember(String userId, String conversationId) {
    LocalUser user = users.get(userId);
    return user != null && user.isMemberOf(conversationId);
  }

  @Override
  public boolean isOnline(String userId) {
    return users.containsKey(userId);
  }

  /** Every connected user (a snapshot view, for shutdown and admin). */
  public Collection<LocalUser> users() {
    return users.values();
  }

  @Override
  public Collection<String> userIds() {
    return java.util.Collections.unmodifiableSet(users.keySet());
  }

  public int connectionCount() {
    int n = 0;
    for (LocalUser u : users.values()) {
      n += u.sessions().length;
    }
    return n;
  }

  private void joinRoom(String conversationId, LocalUser user, Change change) {
    conversations.compute(conversationId, (id, conversation) -> {
      LocalConversation r = conversation;
      if (r == null) {
        r = new LocalConversation(id);
        change.opened.add(id);
      }
      r.add(user);
      return r;
    });
  }

  private void leaveRoom(String conversationId, LocalUser user, Change change) {
    conversations.computeIfPresent(conversationId, (id, conversation) -> {
      if (conversation.remove(user) > 0) {
        return conversation;
      }
      change.closed.add(id);
      return null;
    });
  }

  /**
   * What one registry change did, collected inside the map locks and reported after them: the
   * callbacks are code we do not own (a Redis subscribe, the sequencer) and must not run under a
   * {@code ConcurrentHashMap} bin lock.
   */
  private final class Change {
    /** The user's first session opened, or their last one closed. */
    boolean edge;
    final List<String> opened = new ArrayList<>(1);
    final List<String> closed = new ArrayList<>(1);

    /** Runs the conversation callbacks, outside every lock; returns {@link #edge}. */
    boolean report() {
      for (String conversationId : opened) {
        roomOpened.accept(conversationId);
      }
      for (String conversationId : closed) {
        roomClosed.accept(conversationId);
      }
      return edge;
    }
  }
}
