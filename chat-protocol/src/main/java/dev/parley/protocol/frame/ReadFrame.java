package dev.parley.protocol.frame;

import java.util.Objects;

/** {@code {"type":"read","id"?,"thread","seq"}}: the user has read a thread up to {@code seq}. */
public record ReadFrame(String id, String thread, long seq) implements ClientFrame {
  public ReadFrame {
    Objects.requireNonNull(thread, "thread");
  }

  @Override
  public ClientFrameType type() {
    return ClientFrameType.READ;
  }
}
