/**
 * Internal, may change without notice: the WebSocket upgrade and connection handlers.
 */
package dev.parley.server.internal.ws;
