package dev.parley.core.broker;

/**
 * Carries events between the nodes of a cluster. The broker knows nothing of connections: the
 * engine registers itself as the {@link BrokerListener} and delivers what arrives to its local
 * sessions. On a single node the {@link InMemoryBroker} hands every event straight back.
 *
 * <p>Events of one thread published by one node arrive at every node in the order published.
 */
public interface Broker extends AutoCloseable {

  /** Sets the single listener that receives every event this node subscribed to. */
  void start(BrokerListener listener);

  /** Publishes an event to every node interested in its thread (this one included). */
  void publish(BrokerEvent event);

  /** Starts receiving events of a thread (called when its first local member connects). */
  void subscribe(String conversationId);

  /** Stops receiving events of a thread (called when its last local member disconnects). */
  void unsubscribe(String conversationId);

  /** True when the broker's backing service (if any) is reachable. */
  boolean isHealthy();

  @Override
  void close();
}
