package dev.parley.client;

/**
 * The server's {@code ack} of a send: the message is durably stored as {@code seq} of
 * {@code thread}. A retried send (same {@code clientId}) gets the first send's values.
 */
public record SendAck(String thread, long seq, String messageId, long ts, String clientId) {
}
