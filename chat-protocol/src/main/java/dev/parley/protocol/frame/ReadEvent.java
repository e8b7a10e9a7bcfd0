package dev.parley.protocol.frame;

import java.util.Objects;

/** {@code {"type":"read","thread","user","seq"}}: a member has read up to {@code seq}. */
public record ReadEvent(String thread, String user, long seq) implements ServerFrame {
  public ReadEvent {
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(user, "user");
  }

  @Override
  public String type() {
    return "read";
  }
}
