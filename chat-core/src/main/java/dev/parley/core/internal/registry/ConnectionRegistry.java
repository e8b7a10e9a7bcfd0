package dev.parley.core.internal.registry;

import dev.parley.core.presence.LocalUsers;

import dev.parley.core.session.Session;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Which local sessions belong to which users and threads. Reads on the hot path (fan-out) are a
 * map lookup and an array walk, with no lock; changes (connect, disconnect, membership) lock only
 * the user or room they touch.
 *
 * <p>{@code roomOpened} and {@code roomClosed} are told when a thread gets its first local member
 * or loses its last one, so the broker can subscribe and unsubscribe.
 */
public final class ConnectionRegistry implements LocalUsers {
  private final ConcurrentHashMap<String, LocalUser> users = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
  private final Consumer<String> roomOpened;
  private final Consumer<String> roomClosed;

  public ConnectionRegistry(Consumer<String> roomOpened, Consumer<String> roomClosed) {
    this.roomOpened = roomOpened;
    this.roomClosed = roomClosed;
  }

  /**
   * Registers a session of a user who belongs to {@code threadIds}. Returns true when it is the
   * user's first open session on this node.
   */
  public boolean open(Session session, Collection<String> threadIds) {
    boolean[] first = new boolean[1];
    users.compute(session.userId(), (id, existing) -> {
      LocalUser user = existing;
      if (user == null) {
        user = new LocalUser(id);
        first[0] = true;
        for (String threadId : threadIds) {
          user.threads().add(threadId);
          joinRoom(threadId, user);
        }
      }
      user.addSession(session);
      return user;
    });
    return first[0];
  }

  /** Unregisters a session. Returns true when it was the user's last session on this node. */
  public boolean close(Session session) {
    boolean[] last = new boolean[1];
    users.computeIfPresent(session.userId(), (id, user) -> {
      if (user.removeSession(session) > 0) {
        return user;
      }
      last[0] = true;
      for (String threadId : user.threads()) {
        leaveRoom(threadId, user);
      }
      return null;
    });
    return last[0];
  }

  /** The user joined a thread: their local sessions (if any) receive it from now on. */
  public LocalUser join(String userId, String threadId) {
    return users.computeIfPresent(userId, (id, user) -> {
      if (user.threads().add(threadId)) {
        joinRoom(threadId, user);
      }
      return user;
    });
  }

  /** The user left a thread: their local sessions stop receiving it now. */
  public LocalUser leave(String userId, String threadId) {
    return users.computeIfPresent(userId, (id, user) -> {
      if (user.threads().remove(threadId)) {
        leaveRoom(threadId, user);
      }
      return user;
    });
  }

  /** The local members of a thread, or null when none is connected here. */
  public Room room(String threadId) {
    return rooms.get(threadId);
  }

  /** A connected user, or null. */
  public LocalUser user(String userId) {
    return users.get(userId);
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

  private void joinRoom(String threadId, LocalUser user) {
    boolean[] created = new boolean[1];
    rooms.compute(threadId, (id, room) -> {
      Room r = room;
      if (r == null) {
        r = new Room(id);
        created[0] = true;
      }
      r.add(user);
      return r;
    });
    if (created[0]) {
      roomOpened.accept(threadId);
    }
  }

  private void leaveRoom(String threadId, LocalUser user) {
    boolean[] removed = new boolean[1];
    rooms.computeIfPresent(threadId, (id, room) -> {
      if (room.remove(user) > 0) {
        return room;
      }
      removed[0] = true;
      return null;
    });
    if (removed[0]) {
      roomClosed.accept(threadId);
    }
  }
}
