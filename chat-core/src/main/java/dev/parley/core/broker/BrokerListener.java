package dev.parley.core.broker;

/** Receives the events a node subscribed to. Called on the broker's own thread; must not block. */
@FunctionalInterface
public interface BrokerListener {
  void onEvent(BrokerEvent event);
}
