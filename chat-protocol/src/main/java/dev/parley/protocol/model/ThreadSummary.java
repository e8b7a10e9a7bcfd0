package dev.parley.protocol.model;

/** One row of a user's thread list: the thread, its last message (null if empty) and the unread count. */
public record ThreadSummary(ChatThread thread, Message lastMessage, long unread) {
}
