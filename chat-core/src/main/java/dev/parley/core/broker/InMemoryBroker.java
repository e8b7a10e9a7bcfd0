package dev.parley.core.broker;

import java.util.Objects;

/**
 * The single-node broker: every published event goes straight back to this node's listener on
 * the publishing thread. It only works on one node; a cluster needs the Redis broker.
 */
public final class InMemoryBroker implements Broker {
  private volatile BrokerListener listener = event -> { };

  @Override
  public void start(BrokerListener listener) {
    this.listener = Objects.requireNonNull(listener);
  }

  @Override
  public void publish(BrokerEvent event) {
    listener.onEvent(event);
  }

  @Override
  public void subscribe(String conversationId) {
    // every event is local
  }

  @Override
  public void unsubscribe(String conversationId) {
    // every event is local
  }

  @Override
  public boolean isHealthy() {
    return true;
  }

  @Override
  public void close() {
    listener = event -> { };
  }
}
