package dev.parley.core.broker.redis;

import dev.parley.core.broker.BrokerEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;

/**
 * The sending side: callers put events on a bounded queue and return at once; one thread drains
 * it and publishes each batch as one pipeline on a pooled connection. One thread and one batch at
 * a time keep this node's events in the order they were published.
 *
 * <p>When Redis fails, the batch is dropped (the messages are in the store; clients recover with
 * {@code sync}), one warning is logged, and further events are dropped without trying until the
 * backoff has passed; one line at INFO says when publishing works again and how much was lost.
 */
final class Publisher implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);
  private static final int MAX_BATCH = 512;
  private static final Outgoing STOP = new Outgoing(null, null);
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final RedisBrokerOptions options;
  private final JedisPool pool;
  private final String origin;
  private final Runnable tick;
  private final BlockingQueue<Outgoing> queue;

  private volatile boolean healthy;
  private volatile boolean closed;
  /** Events not published since the last outage began (written by the publisher thread). */
  private long droppedInOutage;
  private boolean outageReported;
  private long backoffMillis;
  private long nextAttempt;
  /** Queue overflow bookkeeping, touched by callers. */
  private final Object overflowLock = new Object();
  private long overflowDropped;
  private long lastOverflowWarning;

  /** One event bound for one channel. */
  private record Outgoing(String channel, BrokerEvent event) {
  }

  /**
   * @param origin this broker instance's id, written into every event
   * @param tick   run on the publisher thread every second, or a quarter ping interval if shorter
   */
  Publisher(RedisBrokerOptions options, JedisPool pool, String origin, Runnable tick) {
    this.options = options;
    this.pool = pool;
    this.origin = origin;
    this.tick = tick;
    this.queue = new ArrayBlockingQueue<>(options.publishQueue());
    this.backoffMillis = options.initialBackoff().toMillis();
  }

  /** Queues an event; never blocks. False (and the event is dropped) when the queue is full. */
  boolean offer(String channel, BrokerEvent event) {
    if (closed) {
      return false;
    }
    if (queue.offer(new Outgoing(channel, event))) {
      return true;
    }
    long now = System.nanoTime();
    synchronized (overflowLock) {
      overflowDropped++;
      if (lastOverflowWarning == 0 || now - lastOverflowWarning > WARN_EVERY_NANOS) {
        lastOverflowWarning = now;
        LOG.warn("[{}] Redis publish queue full ({} events): dropped {} event(s) so far",
            options.nodeId(), options.publishQueue(), overflowDropped);
      }
    }
    return false;
  }

  /** False after a failed publish until one succeeds again (and before the first check). */
  boolean isHealthy() {
    return healthy;
  }

  @Override
  public void run() {
    probe();
    List<Outgoing> batch = new ArrayList<>(MAX_BATCH);
    long tickNanos = Math.min(TimeUnit.SECONDS.toNanos(1), options.pingInterval().toNanos() / 4);
    long lastTick = System.nanoTime();
    try {
      while (true) {
        Outgoing first = queue.poll(tickNanos, TimeUnit.NANOSECONDS);
        long now = System.nanoTime();
        if (now - lastTick >= tickNanos) {
          lastTick = now;
          runTick();
        }
        if (first == null) {
          if (closed) {
            return;
          }
          if (!healthy && now - nextAttempt >= 0) {
            probe();
          }
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        boolean stop = batch.remove(STOP);
        if (!batch.isEmpty()) {
          if (healthy || now - nextAttempt >= 0) {
            send(batch);
          } else {
            droppedInOutage += batch.size();
          }
        }
        batch.clear();
        if (stop || (closed && queue.isEmpty())) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void runTick() {
    try {
      tick.run();
    } catch (RuntimeException e) {
      LOG.warn("[{}] Redis connection upkeep failed", options.nodeId(), e);
    }
  }

  private void send(List<Outgoing> batch) {
    List<byte[]> channels = new ArrayList<>(batch.size());
    List<byte[]> payloads = new ArrayList<>(batch.size());
    for (Outgoing o : batch) {
      try {
        payloads.add(EventCodec.encode(origin, options.nodeId(), o.event()));
        channels.add(o.channel().getBytes(StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        LOG.error("[{}] cannot encode broker event {}", options.nodeId(), o.event(), e);
      }
    }
    try (Jedis jedis = pool.getResource()) {
      Pipeline pipeline = jedis.pipelined();
      for (int i = 0; i < payloads.size(); i++) {
        pipeline.sendCommand(Protocol.Command.PUBLISH, channels.get(i), payloads.get(i));
      }
      pipeline.sync();
      succeeded();
    } catch (RuntimeException e) {
      failed(e, payloads.size());
    }
  }

  /** Checks the connection with a PING while nothing is being published. */
  private void probe() {
    try (Jedis jedis = pool.getResource()) {
      jedis.ping();
      succeeded();
    } catch (RuntimeException e) {
      failed(e, 0);
    }
  }

  private void succeeded() {
    backoffMillis = options.initialBackoff().toMillis();
    if (outageReported) {
      LOG.info("[{}] publishing to Redis at {} again; {} event(s) were dropped while it was unreachable",
          options.nodeId(), options.safeUrl(), droppedInOutage);
    }
    outageReported = false;
    droppedInOutage = 0;
    healthy = true;
  }

  private void failed(RuntimeException e, int lost) {
    healthy = false;
    droppedInOutage += lost;
    nextAttempt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
    backoffMillis = Math.min(backoffMillis * 2, options.maxBackoff().toMillis());
    if (!outageReported) {
      outageReported = true;
      LOG.warn("[{}] cannot publish to Redis at {} ({}); dropping events until it is back "
          + "(clients catch up with sync)", options.nodeId(), options.safeUrl(), e.getMessage());
    }
  }

  /** Asks the thread to publish what is queued and stop. */
  void close() {
    closed = true;
    if (!queue.offer(STOP)) {
      // full: the thread sees closed once the queue is drained
      LOG.debug("[{}] publish queue full at close", options.nodeId());
    }
  }
}
