/**
 * Internal, may change without notice: Prometheus metrics.
 */
package dev.parley.server.internal.metrics;
