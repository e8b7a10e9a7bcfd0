package dev.parley.core.presence;

import dev.parley.core.broker.Broker;
import dev.parley.core.broker.BrokerEvent;
import dev.parley.core.store.ChatStore;
import java.util.List;

/**
 * Decides whether a user is online anywhere, and so when the presence events go out. The
 * {@link PresenceTracker} of each node tells it when a user's first connection on the node opened
 * and when their last one closed (after the grace); the directory publishes {@code online} when
 * the user was offline everywhere before, and {@code offline} when no node has them any more.
 *
 * <p>{@link #local()} (the default) knows only this node: right for one node and today's
 * behaviour. A cluster uses {@link dev.parley.core.presence.redis.RedisPresence}, which keeps
 * the users of every node in Redis with an expiry, so a crashed node's users go offline too.
 */
public interface PresenceDirectory extends AutoCloseable {

  /** The presence of this node alone. */
  static PresenceDirectory local() {
    return new LocalPresence();
  }

  /**
   * Called once by the engine before any other method: the broker to publish presence events on,
   * the users connected to this node, and the store (for a departed user's threads; it blocks,
   * so ask it off the caller's thread).
   */
  void start(Broker broker, LocalUsers localUsers, ChatStore store);

  /** A user's first connection on this node opened. Must not block. */
  void arrived(String userId, List<String> threads);

  /** A user's last connection on this node closed (and the grace passed). Must not block. */
  void departed(String userId, List<String> threads);

  /**
   * True when the directory knows the user to be online on some node (this one's registry is
   * asked separately). Called on the transport's thread: answered from memory.
   */
  boolean isOnlineElsewhere(String userId);

  /** A presence event came through the broker (this node's own included). */
  void observed(BrokerEvent.Presence event);

  @Override
  void close();
}
