package dev.parley.core.broker.redis;

import dev.parley.core.internal.redis.JedisPools;
import dev.parley.core.broker.Broker;
import dev.parley.core.broker.BrokerEvent;
import dev.parley.core.broker.BrokerListener;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

/**
 * The cluster broker: nodes exchange events over Redis pub/sub.
 *
 * <h2>Channels</h2>
 * <ul>
 *   <li>{@code <prefix>t:<conversationId>}, one per thread, carries the thread's events
 *       ({@link BrokerEvent.MessageStored}, {@link BrokerEvent.Typing}, {@link BrokerEvent.Read}).
 *       A node subscribes only to the threads its connections need ({@link #subscribe} is called
 *       when a thread gets its first local member), so traffic grows with what a node serves,
 *       not with the size of the cluster.
 *   <li>{@code <prefix>ctl}, one for the cluster, carries user-wide and membership events
 *       ({@link BrokerEvent.MemberAdded}, {@link BrokerEvent.MemberRemoved},
 *       {@link BrokerEvent.Presence}, {@link BrokerEvent.UserDisabled},
 *       {@link BrokerEvent.SessionsRevoked}); every node always listens.
 *       Membership must travel here: a node has to learn that one of its users was added to a
 *       thread it is not subscribed to yet. These events are rare, so the channel is low-volume.
 * </ul>
 *
 * <h2>Delivery</h2>
 * {@link #publish} hands the event to this node's listener at once, on the caller's thread, and
 * queues it for Redis; the copy that comes back from Redis is recognised by its origin (a random
 * id per broker instance, so two nodes configured with the same node id still see each other) and
 * ignored. A node's own clients therefore never depend on Redis, and its events of one thread stay
 * in order. One publisher thread sends the queue in order; one subscriber thread receives in the
 * order Redis relays, so the events of one thread from one node arrive everywhere in the order
 * published. Events from other nodes reach the listener on the subscriber thread.
 *
 * <h2>Failures</h2>
 * {@link #publish} never blocks and never throws because of Redis: while Redis is unreachable,
 * events for other nodes are dropped (messages are in the store; clients recover with
 * {@code sync}) with one warning per outage, and {@link #isHealthy()} is false. The subscriber
 * reconnects with doubling backoff, subscribes again to every wanted channel, and logs once at
 * WARN when the connection is lost and once at INFO when it is back.
 *
 * <p>{@link #close()} stops both threads and closes the pool; it is idempotent.
 */
public final class RedisBroker implements Broker {
  private static final Logger LOG = LoggerFactory.getLogger(RedisBroker.class);

  private final RedisBrokerOptions options;
  private final String instanceId;
  /** How this node's own payloads begin (see {@link EventCodec#originPrefix}). */
  private final byte[] ownPrefix;
  private final String threadPrefix;
  private final String controlChannel;
  private final JedisPool pool;
  private final Subscriber subscriber;
  private final Publisher publisher;
  private final Thread subscriberThread;
  private final Thread publisherThread;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile BrokerListener listener = event -> { };

  private RedisBroker(RedisBrokerOptions options) {
    this.options = options;
    this.instanceId = options.nodeId() + "/" + UUID.randomUUID();
    this.ownPrefix = EventCodec.originPrefix(instanceId);
    this.threadPrefix = options.keyPrefix() + "t:";
    this.controlChannel = options.keyPrefix() + "ctl";
    this.pool = JedisPools.open(options, 2);
    this.subscriber = new Subscriber(options, controlChannel, this::received);
    this.publisher = new Publisher(options, pool, instanceId, subscriber::checkAlive);
    this.subscriberThread = new Thread(subscriber, "parley-redis-sub-" + options.nodeId());
    this.publisherThread = new Thread(publisher, "parley-redis-pub-" + options.nodeId());
    subscriberThread.setDaemon(true);
    publisherThread.setDaemon(true);
  }

  /**
   * Creates the broker and starts its two threads. Does not wait for Redis: when it cannot be
   * reached yet the broker starts unhealthy and keeps trying (see {@link #isHealthy()}).
   */
  public static RedisBroker connect(RedisBrokerOptions options) {
    RedisBroker broker = new RedisBroker(Objects.requireNonNull(options, "options"));
    broker.subscriberThread.start();
    broker.publisherThread.start();
    LOG.info("[{}] Redis broker using {} with key prefix '{}'", options.nodeId(), options.safeUrl(),
        options.keyPrefix());
    return broker;
  }

  @Override
  public void start(BrokerListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  @Override
  public void publish(BrokerEvent event) {
    Objects.requireNonNull(event, "event");
    if (!closed.get()) {
      publisher.offer(channelOf(event), event);
    }
    listener.onEvent(event);
  }

  @Override
  public void subscribe(String conversationId) {
    subscriber.want(conversationChannel(conversationId));
  }

  @Override
  public void unsubscribe(String conversationId) {
    subscriber.unwant(conversationChannel(conversationId));
  }

  /** True while both the subscriber connection and publishing work. */
  @Override
  public boolean isHealthy() {
    return !closed.get() && subscriber.isConnected() && publisher.isHealthy();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    subscriber.close();
    publisher.close();
    long wait = options.timeout().toMillis() + 1000;
    join(subscriberThread, wait, subscriber::abort);
    join(publisherThread, wait, publisherThread::interrupt);
    pool.close();
    listener = event -> { };
    LOG.info("[{}] Redis broker closed", options.nodeId());
  }

  private void join(Thread thread, long millis, Runnable force) {
    try {
      thread.join(millis);
      if (thread.isAlive()) {
        force.run();
        thread.join(millis);
      }
      if (thread.isAlive()) {
        LOG.warn("[{}] {} did not stop", options.nodeId(), thread.getName());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void received(String channel, byte[] payload) {
    if (EventCodec.startsWith(payload, ownPrefix)) {
      return; // our own event back from Redis: delivered locally when published
    }
    EventCodec.Envelope envelope = EventCodec.decode(payload);
    if (envelope.origin().equals(instanceId)) {
      return; // delivered locally when published
    }
    listener.onEvent(envelope.event());
  }

  private String channelOf(BrokerEvent event) {
    if (event instanceof BrokerEvent.MessageStored
        || event instanceof BrokerEvent.Typing
        || event instanceof BrokerEvent.Read) {
      return conversationChannel(event.thread());
    }
    return controlChannel;
  }

  /** The channel of a thread's events. */
  String conversationChannel(String conversationId) {
    return threadPrefix + Objects.requireNonNull(conversationId, "conversationId");
  }

  /** The channel of membership and user-wide events. */
  String controlChannel() {
    return controlChannel;
  }

  /** True once Redis confirmed this node's subscription to the thread (for tests). */
  boolean isSubscribed(String conversationId) {
    return subscriber.isConfirmed(conversationChannel(conversationId));
  }

  /** How many subscriber connections became ready so far (for tests). */
  int subscriberConnections() {
    return subscriber.connections();
  }

  /** True once Redis confirmed the control channel on the current connection (for tests). */
  boolean isListening() {
    return subscriber.isConnected();
  }
}
