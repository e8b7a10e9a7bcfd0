package dev.parley.protocol.frame;

import dev.parley.protocol.model.ChatThread;
import java.util.Objects;

/** {@code {"type":"thread","thread":{…}}}: the user was added to a thread (a new one included). */
public record ThreadEvent(ChatThread thread) implements ServerFrame {
  public ThreadEvent {
    Objects.requireNonNull(thread, "thread");
  }

  @Override
  public String type() {
    return "thread";
  }
}
