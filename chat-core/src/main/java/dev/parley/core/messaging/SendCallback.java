package dev.parley.core.messaging;

import dev.parley.core.store.AppendResult;
import dev.parley.protocol.ChatException;

/**
 * Hears whether a sent message was stored. Runs on the commit thread right after the commit, before
 * the message is delivered live: keep it short and never block.
 */
public interface SendCallback {
  void stored(AppendResult result);

  void failed(ChatException error);
}
