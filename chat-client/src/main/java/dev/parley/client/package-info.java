/**
 * The Parley Java client. {@link dev.parley.client.ChatClient} is one user's connection with acked
 * sends, an ordered outbox, reconnect with sync, and token refresh
 * ({@link dev.parley.client.TokenSupplier}, {@link dev.parley.client.RefreshingTokens}). The raw
 * multi-connection layer is in {@code dev.parley.client.transport}; {@code .internal} packages may
 * change in any release. See docs/java-client.md.
 */
package dev.parley.client;
