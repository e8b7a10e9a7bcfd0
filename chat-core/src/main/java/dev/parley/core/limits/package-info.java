/**
 * Public SPI: {@link dev.parley.core.limits.RateLimits}, the token buckets behind the per-user send
 * rate and the failed-login limits, in memory (one node) or in Redis (a cluster).
 */
package dev.parley.core.limits;
