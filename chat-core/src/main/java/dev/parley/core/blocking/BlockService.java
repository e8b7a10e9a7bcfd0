package dev.parley.core.blocking;

import dev.parley.core.broker.Broker;
import dev.parley.core.broker.BrokerEvent;
import dev.parley.core.store.ChatStore;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.model.User;
import java.time.Clock;
import java.util.List;

/**
 * Blocking (contract 7.4). While A blocks B, B cannot open a direct thread with A, send in their
 * direct thread, add A to a group or create a group listing A, and gets no typing or presence of
 * A; groups they share otherwise work as before. A block is one-way and idempotent. Every change is
 * published, so every node of a cluster enforces it. Every method blocks (store): call it on a
 * worker thread.
 */
public final class BlockService {
  /** Most users one user may block: the block list is held in memory on every node. */
  public static final int MAX_BLOCKS = 1000;

  private final ChatStore store;
  private final Broker broker;
  private final Clock clock;

  public BlockService(ChatStore store, Broker broker, Clock clock) {
    this.store = store;
    this.broker = broker;
    this.clock = clock;
  }

  /**
   * {@code userId} blocks {@code otherId}; blocking someone already blocked changes nothing.
   * Blocking yourself: {@code bad_request}; an unknown user: {@code not_found}; past
   * {@link #MAX_BLOCKS}: {@code bad_request}.
   */
  public void block(String userId, String otherId) {
    requireOther(userId, otherId);
    if (store.isBlocking(userId, otherId)) {
      return;
    }
    if (store.blockCount(userId) >= MAX_BLOCKS) {
      throw ChatException.badRequest("you may block at most " + MAX_BLOCKS + " users");
    }
    if (store.block(userId, otherId, clock.millis())) {
      broker.publish(new BrokerEvent.BlockChanged(userId, otherId, true));
    }
  }

  /** Lifts a block; lifting one that does not exist changes nothing. Same errors as {@link #block}. */
  public void unblock(String userId, String otherId) {
    requireOther(userId, otherId);
    if (store.unblock(userId, otherId)) {
      broker.publish(new BrokerEvent.BlockChanged(userId, otherId, false));
    }
  }

  /** The users {@code userId} blocks, oldest block first. */
  public List<User> blocked(String userId) {
    return store.blockedUsers(userId);
  }

  /** True while {@code blockerId} blocks {@code blockedId} (asks the store). */
  public boolean isBlocking(String blockerId, String blockedId) {
    return store.isBlocking(blockerId, blockedId);
  }

  private void requireOther(String userId, String otherId) {
    if (otherId == null || otherId.isEmpty()) {
      throw ChatException.badRequest("a user id is required");
    }
    if (userId.equals(otherId)) {
      throw ChatException.badRequest("you cannot block yourself");
    }
    if (store.findUser(otherId).isEmpty()) {
      throw ChatException.notFound("no such user");
    }
  }
}
