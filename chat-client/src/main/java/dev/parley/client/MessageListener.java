package dev.parley.client;

import dev.parley.protocol.model.Message;

/**
 * New entries of the user's threads, each exactly once and in {@code seq} order per thread,
 * whether they arrive live or through the {@code sync} after a reconnect. Runs on the client's
 * event loop: never block in it.
 */
@FunctionalInterface
public interface MessageListener {
  void onMessage(Message message);
}
