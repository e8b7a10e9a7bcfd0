/**
 * Public API: the chat engine ({@link dev.parley.core.ChatEngine}), its configuration, and the
 * host's extension points ({@link dev.parley.core.ChatListener}, {@link
 * dev.parley.core.MessageInterceptor}). No Netty.
 */
package dev.parley.core;
