package dev.parley.core.messaging;

import dev.parley.core.store.PendingMessage;

/**
 * Where {@link MessageService} hands a message to be stored: the engine's group-commit writer,
 * which stores each batch in one transaction and only then calls the callbacks, in seq order, on
 * its own thread ({@code parley-commit}).
 */
public interface CommitQueue {

  /**
   * Queues {@code message}; {@code callback} hears whether it was stored. With a {@code rateKey}
   * (the sender's id) the message first takes a token of the writer's shared send gate, or fails
   * with {@code rate_limited}. Never blocks.
   *
   * @throws dev.parley.protocol.ChatException {@code unavailable} when the queue is full or the
   *     engine is stopping
   */
  void submit(PendingMessage message, String rateKey, SendCallback callback);
}
