package dev.parley.core.store;

/** A thread with log entries a webhook receiver has not been given: those above {@code cursor}. */
public record WebhookBacklog(String conversationId, long cursor, long lastSeq) {
}
