/**
 * The client's low-level layer: many raw WebSocket connections on one Netty event loop group
 * ({@link dev.parley.client.transport.WsTransport}), text frames as UTF-8 buffers on the event
 * loop. Public so that load tools can drive it; most users want {@link dev.parley.client.ChatClient}.
 */
package dev.parley.client.transport;
