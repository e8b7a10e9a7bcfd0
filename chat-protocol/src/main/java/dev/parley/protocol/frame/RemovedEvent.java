package dev.parley.protocol.frame;

import java.util.Objects;

/** {@code {"type":"removed","thread"}}: the user was removed from a thread and gets nothing more from it. */
public record RemovedEvent(String thread) implements ServerFrame {
  public RemovedEvent {
    Objects.requireNonNull(thread, "thread");
  }

  @Override
  public String type() {
    return "removed";
  }
}
