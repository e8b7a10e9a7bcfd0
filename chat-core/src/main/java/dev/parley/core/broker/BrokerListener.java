package dev.parley.core.broker;

/**
 * Receives the events a node subscribed to. Must not block. Which thread calls it: an event this
 * node published reaches it at once on the publishing thread (the commit thread for messages, so
 * a node's own messages arrive in seq order with no hop and even while Redis is down); an event
 * from another node arrives on the broker's subscriber thread ({@code parley-redis-sub-<node>}).
 */
@FunctionalInterface
public interface BrokerListener {
  void onEvent(BrokerEvent event);
}
