package dev.parley.core.store;

import dev.parley.protocol.model.Message;
import java.util.List;

/** A page of history, ascending by seq. */
public record MessagePage(List<Message> messages, boolean hasMore) {
}
