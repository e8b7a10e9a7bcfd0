package dev.parley.core.store;

import dev.parley.protocol.frame.ServerFrame;

/** One entry of a thread's log: its seq and the frame a connection receives for it. */
public record LogEntry(long seq, ServerFrame frame) {
}
