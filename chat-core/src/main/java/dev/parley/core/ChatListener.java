package dev.parley.core;

import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.Message;

/**
 * What a host application hears of the engine: messages stored and membership and presence
 * changes that happened on this node. Register with {@link ChatEngine#addListener}. Callbacks run
 * on the engine's event thread (in order, one at a time) or on the executor given at
 * registration, never on a network event loop; a slow listener delays only other listeners.
 */
public interface ChatListener {

  /** A message was committed to the store (sent on this node). Repeats of a clientId are not reported. */
  default void messageStored(Message message) {
  }

  /**
   * A change to a message (an edit, deletion or reaction: {@code entry.change()} says which) was
   * committed to the thread's log on this node, with its own seq. Repeats of a clientId and
   * reactions that changed nothing are not reported.
   */
  default void changeStored(Message entry) {
  }

  /** A user joined a thread (a new thread reports every member). */
  default void memberAdded(ChatThread thread, String userId) {
  }

  /** A user left or was removed from a thread. */
  default void memberRemoved(String conversationId, String userId) {
  }

  /** A user's first connection on this node opened, or their last one closed. */
  default void presenceChanged(String userId, boolean online) {
  }
}
