package dev.parley.core.store;

import dev.parley.protocol.model.Message;

/** What {@link ChatStore#appendBatch} did with one pending message. */
public record AppendResult(Message message, boolean duplicate) {
}
