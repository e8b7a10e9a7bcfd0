/**
 * Public API: the WebSocket frames and their codec.
 */
package dev.parley.protocol.frame;
