package dev.parley.core.internal.redis;

import dev.parley.core.broker.redis.RedisBrokerOptions;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

/** The one way Parley's Redis parts (broker, presence, rate limits) open their connection pools. */
public final class JedisPools {
  private JedisPools() {
  }

  /**
   * A pool of at most {@code connections} connections to the Redis of {@code options}, with its
   * connect and read timeout. Connects lazily; keeps no idle minimum and no JMX bean.
   */
  public static JedisPool open(RedisBrokerOptions options, int connections) {
    GenericObjectPoolConfig<Jedis> config = new GenericObjectPoolConfig<>();
    config.setMaxTotal(connections);
    config.setMaxIdle(connections);
    config.setMinIdle(0);
    config.setJmxEnabled(false);
    int timeout = (int) options.timeout().toMillis();
    return new JedisPool(config, options.url(), timeout, timeout);
  }
}
