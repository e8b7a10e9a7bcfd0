/**
 * Presence: the SPI of a cluster-wide directory and the tracker of this node's users.
 */
package dev.parley.core.presence;
