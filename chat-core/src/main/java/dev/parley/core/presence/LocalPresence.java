package dev.parley.core.presence;

import dev.parley.core.broker.Broker;
import dev.parley.core.broker.BrokerEvent;
import dev.parley.core.store.ChatStore;
import java.util.List;

/** Presence of one node: every arrival and departure here is news. Only works on one node. */
final class LocalPresence implements PresenceDirectory {
  private volatile Broker broker;

  @Override
  public void start(Broker broker, LocalUsers localUsers, ChatStore store) {
    this.broker = broker;
  }

  @Override
  public void arrived(String userId, List<String> threads) {
    broker.publish(new BrokerEvent.Presence(userId, true, threads));
  }

  @Override
  public void departed(String userId, List<String> threads) {
    broker.publish(new BrokerEvent.Presence(userId, false, threads));
  }

  @Override
  public boolean isOnlineElsewhere(String userId) {
    return false;
  }

  @Override
  public void observed(BrokerEvent.Presence event) {
    // nothing elsewhere to learn about
  }

  @Override
  public void close() {
    // nothing held
  }
}
