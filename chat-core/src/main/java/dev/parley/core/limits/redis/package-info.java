/**
 * {@link dev.parley.core.limits.redis.RedisRateLimits}: token buckets shared by the nodes of a
 * cluster, kept in Redis and updated by one Lua script.
 */
package dev.parley.core.limits.redis;
