/**
 * The Redis broker for clusters: {@link dev.parley.core.broker.redis.RedisBroker}, configured with
 * {@link dev.parley.core.broker.redis.RedisBrokerOptions}. Nodes that share a Redis and a key
 * prefix exchange thread, membership and user events over Redis pub/sub.
 */
package dev.parley.core.broker.redis;
