package dev.parley.protocol.frame;

import java.util.Objects;

/** {@code {"type":"typing","id"?,"thread"}}: the user is typing in a thread. Never answered. */
public record TypingFrame(String id, String thread) implements ClientFrame {
  public TypingFrame {
    Objects.requireNonNull(thread, "thread");
  }

  @Override
  public ClientFrameType type() {
    return ClientFrameType.TYPING;
  }
}
