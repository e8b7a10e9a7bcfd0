/**
 * Internal, may change without notice: what the Redis-backed broker, presence and rate limits share.
 */
package dev.parley.core.internal.redis;
