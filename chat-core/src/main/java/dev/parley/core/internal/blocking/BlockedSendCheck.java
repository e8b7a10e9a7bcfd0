package dev.parley.core.internal.blocking;

import dev.parley.core.internal.delivery.GroupCommitWriter;
import dev.parley.core.store.ChatStore;
import dev.parley.core.store.PendingMessage;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.User;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses a send into a direct thread whose other member blocks the sender (contract 7.4), on the
 * commit thread, for every way in (WebSocket, REST, the embedding API's {@code post}) and every
 * node. A sender nobody blocks (nearly every one) costs a map lookup; otherwise the thread is read
 * from the store to see whether it is the direct thread of the pair.
 */
public final class BlockedSendCheck implements GroupCommitWriter.SendCheck {
  private final BlockList blocks;
  private final ChatStore store;

  public BlockedSendCheck(BlockList blocks, ChatStore store) {
    this.blocks = blocks;
    this.store = store;
  }

  @Override
  public ChatException refuse(PendingMessage message) {
    Set<String> blockers = blocks.blockersOf(message.sender());
    if (blockers.isEmpty()) {
      return null;
    }
    Optional<ChatThread> thread = store.findThread(message.thread());
    if (thread.isEmpty() || !thread.get().isDirect()) {
      return null;
    }
    for (User member : thread.get().members()) {
      if (!member.id().equals(message.sender()) && blockers.contains(member.id())) {
        return ChatException.forbidden("this user blocks you");
      }
    }
    return null;
  }
}
