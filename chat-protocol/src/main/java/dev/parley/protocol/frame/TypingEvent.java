package dev.parley.protocol.frame;

import java.util.Objects;

/** {@code {"type":"typing","thread","user"}}: another member is typing. */
public record TypingEvent(String thread, String user) implements ServerFrame {
  public TypingEvent {
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(user, "user");
  }

  @Override
  public String type() {
    return "typing";
  }
}
