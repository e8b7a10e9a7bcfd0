package dev.parley.core.broker.redis;

import dev.parley.core.testing.RedisServerProcess;

/**
 * A {@code redis-server} process of a test's own, on a fixed free port, that the test can kill,
 * pause and start again (the shared server must never be restarted): a {@link RedisServerProcess}
 * on a {@link TestRedis#freePort() free port}.
 */
final class PrivateRedis extends RedisServerProcess {
  PrivateRedis(String binary) {
    super(binary, TestRedis.freePort());
  }
}
