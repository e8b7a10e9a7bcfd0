/**
 * Public SPI: {@link dev.parley.core.broker.Broker}, how events travel between nodes; the
 * single-node in-memory broker.
 */
package dev.parley.core.broker;
