package dev.parley.core.broker.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.BinaryJedisPubSub;

/**
 * The receiving side: one thread holding one Redis connection in a blocking {@code SUBSCRIBE}.
 * Subscription changes from other threads are sent through the active {@link BinaryJedisPubSub};
 * the wanted channels are kept here, so a new connection (after a drop) subscribes to all of them.
 * Payloads reach the sink as the bytes Redis sent (the codec reads UTF-8 itself, and a node's own
 * events are recognised by their first bytes without being decoded).
 *
 * <p>Wanted thread channels are counted: {@link #want} adds one, {@link #unwant} takes one away,
 * and a channel is subscribed while its count is above zero. The registry announces "first member
 * arrived" and "last member left" outside its locks, so the two calls for one thread can run in
 * either order on different threads; counting makes the end state right whatever the order.
 */
final class Subscriber implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Subscriber.class);

  private final RedisBrokerOptions options;
  private final String controlChannel;
  private final BiConsumer<String, byte[]> sink;

  /** Guards {@link #active} and the commands sent through it, and changes of {@link #wanted}. */
  private final Object lock = new Object();
  /** Thread channel to count; read without the lock by the message filter. */
  private final Map<String, Integer> wanted = new ConcurrentHashMap<>();
  /** The pub/sub of the current connection once Redis confirmed it; null while down. */
  private PubSub active;

  /** Channels Redis confirmed on the current connection. */
  private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile boolean closed;
  private volatile boolean connected;
  private volatile Jedis connection;
  private volatile long lastHeard = System.nanoTime();
  private volatile long lastPing = System.nanoTime();
  private volatile long attemptStarted = System.nanoTime();
  private final AtomicInteger connections = new AtomicInteger();
  private boolean lostReported;
  private int badPayloads;

  Subscriber(RedisBrokerOptions options, String controlChannel, BiConsumer<String, byte[]> sink) {
    this.options = options;
    this.controlChannel = controlChannel;
    this.sink = sink;
  }

  /** Adds one interest in a channel; the first one subscribes. */
  void want(String channel) {
    synchronized (lock) {
      int before = wanted.getOrDefault(channel, 0);
      put(channel, before + 1);
      if (before == 0 && active != null) {
        send(() -> active.subscribe(bytes(channel)));
      }
    }
  }

  /** Removes one interest in a channel; the last one unsubscribes. */
  void unwant(String channel) {
    synchronized (lock) {
      int before = wanted.getOrDefault(channel, 0);
      put(channel, before - 1);
      if (before == 1 && active != null) {
        send(() -> active.unsubscribe(bytes(channel)));
      }
    }
  }

  private void put(String channel, int count) {
    if (count == 0) {
      wanted.remove(channel);
    } else {
      wanted.put(channel, count);
    }
  }

  private boolean isWanted(String channel) {
    Integer n = wanted.get(channel);
    return n != null && n > 0;
  }

  /** True while the subscriber connection is up and Redis confirmed the control channel. */
  boolean isConnected() {
    return connected;
  }

  /** True when Redis confirmed a subscription to the channel on the current connection. */
  boolean isConfirmed(String channel) {
    return confirmed.contains(channel);
  }

  /** How many connections became ready so far (1 means never reconnected). */
  int connections() {
    return connections.get();
  }

  @Override
  public void run() {
    long backoff = options.initialBackoff().toMillis();
    while (!closed) {
      Jedis jedis = null;
      PubSub pubSub = new PubSub();
      try {
        int timeout = (int) options.timeout().toMillis();
        attemptStarted = System.nanoTime();
        jedis = new Jedis(options.url(), timeout, timeout);
        connection = jedis;
        if (closed) {
          break;
        }
        jedis.subscribe(pubSub, channelsToSubscribe(pubSub));
        // returns normally only when every channel was unsubscribed, which close() does
      } catch (RuntimeException e) {
        if (!closed) {
          lost(e);
        }
      } finally {
        synchronized (lock) {
          if (active == pubSub) {
            active = null;
          }
        }
        connected = false;
        confirmed.clear();
        connection = null;
        closeQuietly(jedis);
      }
      if (pubSub.wasReady) {
        backoff = options.initialBackoff().toMillis();
      }
      if (closed || await(backoff)) {
        break;
      }
      backoff = Math.min(backoff * 2, options.maxBackoff().toMillis());
    }
  }

  private byte[][] channelsToSubscribe(PubSub pubSub) {
    synchronized (lock) {
      List<String> channels = new ArrayList<>();
      channels.add(controlChannel);
      for (Map.Entry<String, Integer> e : wanted.entrySet()) {
        if (e.getValue() > 0) {
          channels.add(e.getKey());
        }
      }
      pubSub.initial = new HashSet<>(channels);
      byte[][] names = new byte[channels.size()][];
      for (int i = 0; i < names.length; i++) {
        names[i] = bytes(channels.get(i));
      }
      return names;
    }
  }

  /** Waits before the next attempt; true when closing. */
  private boolean await(long millis) {
    try {
      return closing.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private void lost(RuntimeException e) {
    if (!lostReported) {
      lostReported = true;
      LOG.warn("[{}] Redis subscriber connection to {} lost ({}); reconnecting with backoff up to {} ms",
          options.nodeId(), options.safeUrl(), e.getMessage(), options.maxBackoff().toMillis());
    } else {
      LOG.debug("[{}] Redis still unreachable: {}", options.nodeId(), e.getMessage());
    }
  }

  /**
   * Keeps a quiet connection honest: pings it after {@code pingInterval} of silence and drops it
   * after three intervals without an answer (a half-open TCP connection never errors by itself);
   * a new connection whose SUBSCRIBE is not confirmed in time is dropped as well.
   * Called periodically from another thread.
   */
  void checkAlive() {
    long now = System.nanoTime();
    long interval = options.pingInterval().toNanos();
    if (!connected) {
      // connected at TCP level but Redis never confirmed the SUBSCRIBE (a hung server)
      Jedis c = connection;
      if (c != null && now - attemptStarted > 3 * interval + options.timeout().toNanos()) {
        LOG.debug("[{}] Redis did not confirm the subscription; dropping the connection", options.nodeId());
        closeQuietly(c);
      }
      return;
    }
    long silent = now - lastHeard;
    if (silent > 3 * interval) {
      LOG.warn("[{}] Redis subscriber connection silent for {} ms; dropping it", options.nodeId(),
          TimeUnit.NANOSECONDS.toMillis(silent));
      Jedis c = connection;
      if (c != null) {
        closeQuietly(c);
      }
    } else if (silent > interval && now - lastPing > interval) {
      lastPing = now;
      synchronized (lock) {
        if (active != null) {
          send(() -> active.ping());
        }
      }
    }
  }

  /** Stops the thread's connection; the thread then ends. Idempotent. */
  void close() {
    closed = true;
    closing.countDown();
    synchronized (lock) {
      if (active != null) {
        send(() -> active.unsubscribe());
      }
    }
  }

  /** Drops the connection at once (used when a graceful close did not end the thread). */
  void abort() {
    Jedis c = connection;
    if (c != null) {
      closeQuietly(c);
    }
  }

  private void send(Runnable command) {
    try {
      command.run();
    } catch (RuntimeException e) {
      // the connection is going down; the reconnect subscribes to every wanted channel
      LOG.debug("[{}] Redis subscription command failed: {}", options.nodeId(), e.getMessage());
    }
  }

  private static byte[] bytes(String channel) {
    return channel.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] channel) {
    return new String(channel, StandardCharsets.UTF_8);
  }

  private static void closeQuietly(Jedis jedis) {
    if (jedis == null) {
      return;
    }
    try {
      jedis.disconnect();
    } catch (RuntimeException e) {
      // already broken
    }
  }

  private final class PubSub extends BinaryJedisPubSub {
    /** The channels the connection's first SUBSCRIBE named. */
    Set<String> initial = Set.of();
    volatile boolean wasReady;

    @Override
    public void onSubscribe(byte[] name, int subscribedChannels) {
      lastHeard = System.nanoTime();
      String channel = text(name);
      confirmed.add(channel);
      if (!wasReady && channel.equals(controlChannel)) {
        ready();
      }
    }

    /** The connection is live: catch up with changes made while it was being set up. */
    private void ready() {
      wasReady = true;
      synchronized (lock) {
        active = this;
        for (Map.Entry<String, Integer> e : wanted.entrySet()) {
          if (e.getValue() > 0 && !initial.contains(e.getKey())) {
            send(() -> subscribe(bytes(e.getKey())));
          }
        }
        for (String channel : initial) {
          if (!channel.equals(controlChannel) && !isWanted(channel)) {
            send(() -> unsubscribe(bytes(channel)));
          }
        }
      }
      connected = true;
      connections.incrementAndGet();
      if (lostReported) {
        lostReported = false;
        LOG.info("[{}] Redis subscriber connection to {} is back; resubscribed to {} channels",
            options.nodeId(), options.safeUrl(), initial.size());
      } else {
        LOG.debug("[{}] Redis subscriber connected to {}", options.nodeId(), options.safeUrl());
      }
    }

    @Override
    public void onUnsubscribe(byte[] channel, int subscribedChannels) {
      lastHeard = System.nanoTime();
      confirmed.remove(text(channel));
    }

    @Override
    public void onPong(byte[] pattern) {
      lastHeard = System.nanoTime();
    }

    @Override
    public void onMessage(byte[] name, byte[] payload) {
      lastHeard = System.nanoTime();
      String channel = text(name);
      if (!channel.equals(controlChannel) && !isWanted(channel)) {
        return; // unsubscribed a moment ago; Redis has not confirmed yet
      }
      try {
        sink.accept(channel, payload);
      } catch (IllegalArgumentException e) {
        if (badPayloads++ % 1000 == 0) {
          LOG.warn("[{}] ignored {} unreadable event(s) on {}: {}", options.nodeId(), badPayloads,
              channel, e.getMessage());
        }
      } catch (RuntimeException e) {
        LOG.error("[{}] broker listener failed on an event from {}", options.nodeId(), channel, e);
      }
    }
  }
}
