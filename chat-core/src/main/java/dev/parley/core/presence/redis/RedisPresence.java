package dev.parley.core.presence.redis;

import dev.parley.core.internal.redis.JedisPools;
import dev.parley.core.broker.Broker;
import dev.parley.core.broker.BrokerEvent;
import dev.parley.core.broker.redis.RedisBrokerOptions;
import dev.parley.core.presence.LocalUsers;
import dev.parley.core.presence.PresenceDirectory;
import dev.parley.core.store.ChatStore;
import dev.parley.core.internal.util.NamedThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;

/**
 * Cluster-wide presence kept in Redis, beside the {@link dev.parley.core.broker.redis.RedisBroker}
 * (same URL and key prefix).
 *
 * <h2>Keys</h2>
 * <ul>
 *   <li>{@code <prefix>presence:u:<userId>}: a sorted set of the node instances where the user is
 *       connected, each scored with the time (epoch ms) until which that node vouches for it.
 *   <li>{@code <prefix>presence:n:<instance>}: the set of users connected to one node instance.
 *   <li>{@code <prefix>presence:nodes}: a sorted set of the live node instances, scored the same.
 * </ul>
 * Every {@code ttl / 6} each node re-scores its instance and its users to {@code now + ttl} and
 * reads the other nodes' sets into an in-memory view, which answers presence queries without a
 * round trip. An instance whose score has passed is dead (crashed, or cut off from Redis for a
 * whole {@code ttl}): the first node to remove it from {@code presence:nodes} (ZREM answers 1 to
 * exactly one) removes it from each of its users and publishes {@code offline} for those left with
 * no node. So a crashed node's users go offline within {@code ttl} plus one refresh. A node that
 * stops cleanly does the same for itself at once (for at most {@link #LEAVE_BUDGET}; another node's
 * next refresh finishes what it could not).
 *
 * <h2>Events</h2>
 * An arrival adds this instance to the user's set and, in the same MULTI, counts the other live
 * instances: none means the user was offline everywhere, so {@code online} is published. A
 * departure removes this instance and publishes {@code offline} when none is left. Both run on one
 * thread of their own, in the order they happened. While Redis is down an arrival is published
 * anyway (only this node hears it) and a departure is retried at every refresh until it goes
 * through; presence events that fall into an outage may be missed by other nodes, but queries are
 * right again within one refresh after Redis is back.
 *
 * <p>Node clocks are compared through the scores: keep them within a small fraction of the TTL.
 */
public final class RedisPresence implements PresenceDirectory {
  private static final Logger log = LoggerFactory.getLogger(RedisPresence.class);

  /** How long a node vouches for its users when no TTL is given. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
  /** How long a stopping node spends taking its users offline before it leaves that to others. */
  static final Duration LEAVE_BUDGET = Duration.ofSeconds(3);

  private final String prefix;
  private final String nodeId;
  private final String instanceId;
  private final long ttlMillis;
  private final long refreshMillis;
  private final JedisPool pool;
  private final ScheduledExecutorService executor;
  private final ConcurrentHashMap<String, Mark> view = new ConcurrentHashMap<>();
  // touched on the executor only: departures that could not reach Redis, retried each refresh
  private final Map<String, List<String>> pendingDepartures = new LinkedHashMap<>();
  private volatile Broker broker;
  private volatile LocalUsers localUsers;
  private volatile ChatStore store;
  private volatile boolean healthy = true;
  private volatile boolean closed;

  private RedisPresence(RedisBrokerOptions options, Duration ttl) {
    this.prefix = options.keyPrefix() + "presence:";
    this.nodeId = options.nodeId();
    this.instanceId = options.nodeId() + "/" + UUID.randomUUID();
    this.ttlMillis = ttl.toMillis();
    if (ttlMillis < 600) {
      throw new IllegalArgumentException("presence TTL must be at least 600 ms");
    }
    this.refreshMillis = ttlMillis / 6;
    this.pool = JedisPools.open(options, 2);
    this.executor = Executors.newSingleThreadScheduledExecutor(
        new NamedThreadFactory("parley-presence-" + options.nodeId()));
  }

  /** Presence in the Redis of {@code options}, with the default TTL. Connects lazily. */
  public static RedisPresence create(RedisBrokerOptions options) {
    return create(options, DEFAULT_TTL);
  }

  /** Presence in the Redis of {@code options}; a node's users expire {@code ttl} after it stops. */
  public static RedisPresence create(RedisBrokerOptions options, Duration ttl) {
    return new RedisPresence(Objects.requireNonNull(options, "options"), ttl);
  }

  @Override
  public void start(Broker broker, LocalUsers localUsers, ChatStore store) {
    this.broker = Objects.requireNonNull(broker, "broker");
    this.localUsers = Objects.requireNonNull(localUsers, "localUsers");
    this.store = Objects.requireNonNull(store, "store");
    executor.scheduleWithFixedDelay(this::refresh, 0, refreshMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void arrived(String userId, List<String> threads) {
    run(() -> {
      pendingDepartures.remove(userId);
      boolean news = true;
      try {
        news = addHere(userId) == 0;
        ok();
      } catch (RuntimeException e) {
        failed("arrival of " + userId, e);
      }
      if (news) {
        broker.publish(new BrokerEvent.Presence(userId, true, threads));
      }
    });
  }

  @Override
  public void departed(String userId, List<String> threads) {
    run(() -> depart(userId, threads));
  }

  @Override
  public boolean isOnlineElsewhere(String userId) {
    Mark m = view.get(userId);
    return m != null && m.online;
  }

  @Override
  public void observed(BrokerEvent.Presence event) {
    view.put(event.user(), new Mark(event.online(), System.nanoTime()));
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    leave();
    pool.close();
  }

  /**
   * A clean stop: takes this node's users offline for the other nodes at once (unless another
   * node has them) instead of leaving it to their next refresh. Bounded by {@link #LEAVE_BUDGET};
   * when cut short, or when Redis cannot be reached, the node is marked gone so that another
   * node's next refresh buries the rest.
   */
  private void leave() {
    if (broker == null) {
      return; // never started
    }
    long deadline = System.nanoTime() + LEAVE_BUDGET.toNanos();
    try {
      bury(instanceId, true, deadline);
    } catch (RuntimeException e) {
      log.info("[{}] could not take this node's users offline at stop ({}); another node will",
          nodeId, e.toString());
      try (Jedis j = pool.getResource()) {
        j.zadd(prefix + "nodes", 0, instanceId); // gone: another node buries it
      } catch (RuntimeException again) {
        log.debug("[{}] could not mark this node gone; its entry expires", nodeId, again);
      }
    }
  }

  // ---- on the executor ------------------------------------------------------------------------

  /** Adds this instance to the user's set; returns how many other live instances have the user. */
  private long addHere(String userId) {
    long now = System.currentTimeMillis();
    String key = userKey(userId);
    try (Jedis j = pool.getResource()) {
      Transaction t = j.multi();
      t.zremrangeByScore(key, Double.NEGATIVE_INFINITY, now);
      Response<Long> count = t.zcard(key);
      Response<Double> mine = t.zscore(key, instanceId);
      t.zadd(key, now + ttlMillis, instanceId);
      t.pexpire(key, ttlMillis * 2);
      t.sadd(nodeKey(instanceId), userId);
      t.pexpire(nodeKey(instanceId), ttlMillis * 2);
      t.exec();
      return count.get() - (mine.get() == null ? 0 : 1);
    }
  }

  private void depart(String userId, List<String> threads) {
    if (localUsers.isOnline(userId)) {
      pendingDepartures.remove(userId); // back meanwhile
      return;
    }
    long left;
    try (Jedis j = pool.getResource()) {
      String key = userKey(userId);
      Transaction t = j.multi();
      t.zrem(key, instanceId);
      t.zremrangeByScore(key, Double.NEGATIVE_INFINITY, System.currentTimeMillis());
      Response<Long> count = t.zcard(key);
      t.srem(nodeKey(instanceId), userId);
      t.exec();
      left = count.get();
      ok();
    } catch (RuntimeException e) {
      failed("departure of " + userId, e);
      pendingDepartures.put(userId, threads);
      return;
    }
    pendingDepartures.remove(userId);
    if (left == 0) {
      broker.publish(new BrokerEvent.Presence(userId, false, threads));
    }
  }

  private void refresh() {
    if (closed) {
      return;
    }
    try {
      vouch();
      for (Map.Entry<String, List<String>> e : new ArrayList<>(pendingDepartures.entrySet())) {
        depart(e.getKey(), e.getValue());
      }
      reconcile();
      ok();
    } catch (RuntimeException e) {
      failed("refresh", e);
    }
  }

  /** Re-scores this instance and its users. */
  private void vouch() {
    long deadline = System.currentTimeMillis() + ttlMillis;
    List<String> users = new ArrayList<>();
    users.addAll(localUsers.userIds());
    users.removeAll(pendingDepartures.keySet());
    try (Jedis j = pool.getResource()) {
      Transaction t = j.multi();
      t.zadd(prefix + "nodes", deadline, instanceId);
      t.pexpire(prefix + "nodes", ttlMillis * 2); // gone with the last node
      String mine = nodeKey(instanceId);
      t.del(mine);
      for (String u : users) {
        String key = userKey(u);
        t.zadd(key, deadline, instanceId);
        t.pexpire(key, ttlMillis * 2);
        t.sadd(mine, u);
      }
      t.pexpire(mine, ttlMillis * 2);
      t.exec();
    }
  }

  /** Rebuilds the view from every live node's set; takes dead nodes' users offline. */
  private void reconcile() {
    long started = System.nanoTime();
    long now = System.currentTimeMillis();
    Set<String> online = new HashSet<>();
    List<String> dead;
    try (Jedis j = pool.getResource()) {
      List<String> live = j.zrangeByScore(prefix + "nodes", now, Double.POSITIVE_INFINITY);
      for (String instance : live) {
        online.addAll(j.smembers(nodeKey(instance)));
      }
      dead = j.zrangeByScore(prefix + "nodes", Double.NEGATIVE_INFINITY, now);
    }
    for (String u : online) {
      view.compute(u, (k, m) -> m == null || m.stamp < started ? new Mark(true, started) : m);
    }
    view.entrySet().removeIf(e -> e.getValue().stamp < started && !online.contains(e.getKey()));
    for (String instance : dead) {
      if (!instance.equals(instanceId)) {
        bury(instance, false, 0);
      }
    }
  }

  /**
   * Takes a node's users offline, unless another node has them: a dead node's, found by a
   * refresh, or this node's own when it stops ({@code leaving}: its connections are going away
   * whatever the registry still says; past {@code deadlineNanos} it stops and hands what is left
   * back to the other nodes' refreshes).
   */
  private void bury(String instance, boolean leaving, long deadlineNanos) {
    Set<String> users;
    try (Jedis j = pool.getResource()) {
      if (j.zrem(prefix + "nodes", instance) == 0 && !leaving) {
        return; // another node is burying it
      }
      users = j.smembers(nodeKey(instance));
    }
    if (leaving) {
      log.info("[{}] stopping: taking its {} users offline", nodeId, users.size());
    } else {
      log.info("[{}] node {} stopped vouching for its {} users", nodeId, instance, users.size());
    }
    long now = System.currentTimeMillis();
    for (String u : users) {
      if (leaving && System.nanoTime() - deadlineNanos > 0) {
        try (Jedis j = pool.getResource()) {
          j.zadd(prefix + "nodes", 0, instance); // the rest: another node's next refresh
        }
        log.info("[{}] left the users of {} not yet taken offline to the other nodes", nodeId,
            instance);
        return;
      }
      long left;
      try (Jedis j = pool.getResource()) {
        String key = userKey(u);
        Transaction t = j.multi();
        t.zrem(key, instance);
        t.zremrangeByScore(key, Double.NEGATIVE_INFINITY, now);
        Response<Long> count = t.zcard(key);
        t.srem(nodeKey(instance), u);
        t.exec();
        left = count.get();
      }
      if (left == 0 && (leaving || !localUsers.isOnline(u))) {
        List<String> threads;
        try {
          threads = store.conversationIdsOf(u);
        } catch (RuntimeException e) {
          log.warn("[{}] cannot read the threads of {}: {}", nodeId, u, e.toString());
          threads = List.of();
        }
        try {
          broker.publish(new BrokerEvent.Presence(u, false, threads));
        } catch (RuntimeException e) {
          if (!leaving) {
            throw e;
          }
          // queued for Redis first; only this node's own, already stopped, listeners refused it
          log.debug("[{}] offline of {} not delivered locally at stop: {}", nodeId, u, e.toString());
        }
      }
    }
    try (Jedis j = pool.getResource()) {
      j.del(nodeKey(instance));
    }
  }

  private void run(Runnable task) {
    try {
      executor.execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          log.error("[{}] presence task failed", nodeId, e);
        }
      });
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  private void ok() {
    if (!healthy) {
      healthy = true;
      log.info("[{}] presence in Redis works again", nodeId);
    }
  }

  private void failed(String what, RuntimeException e) {
    if (healthy) {
      healthy = false;
      log.warn("[{}] presence in Redis unavailable ({} failed: {}); retrying every {} ms", nodeId,
          what, e.toString(), refreshMillis);
    }
  }

  private String userKey(String userId) {
    return prefix + "u:" + userId;
  }

  private String nodeKey(String instance) {
    return prefix + "n:" + instance;
  }

  /** What is known of a user: online or not, and when that was learnt (System.nanoTime). */
  private record Mark(boolean online, long stamp) {
  }
}
