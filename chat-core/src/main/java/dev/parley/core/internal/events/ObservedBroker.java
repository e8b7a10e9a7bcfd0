package dev.parley.core.internal.events;

import dev.parley.core.broker.Broker;
import dev.parley.core.broker.BrokerEvent;
import dev.parley.core.broker.BrokerListener;

/** A broker that also tells the host's listeners of every event this node publishes. */
public final class ObservedBroker implements Broker {
  private final Broker delegate;
  private final ListenerHub hub;

  public ObservedBroker(Broker delegate, ListenerHub hub) {
    this.delegate = delegate;
    this.hub = hub;
  }

  @Override
  public void start(BrokerListener listener) {
    delegate.start(listener);
  }

  @Override
  public void publish(BrokerEvent event) {
    delegate.publish(event);
    hub.published(event);
  }

  @Override
  public void subscribe(String conversationId) {
    delegate.subscribe(conversationId);
  }

  @Override
  public void unsubscribe(String conversationId) {
    delegate.unsubscribe(conversationId);
  }

  @Override
  public boolean isHealthy() {
    return delegate.isHealthy();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
