package dev.parley.core.store;

import dev.parley.protocol.model.ChatThread;

/** The direct thread of a pair and whether this call created it. */
public record DirectThreadResult(ChatThread thread, boolean created) {
}
