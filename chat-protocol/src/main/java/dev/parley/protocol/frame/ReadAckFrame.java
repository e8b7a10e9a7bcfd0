package dev.parley.protocol.frame;

import java.util.Objects;

/** {@code {"type":"ack","id"?,"thread","seq"}}: the stored read position, answering a read frame. */
public record ReadAckFrame(String id, String thread, long seq) implements ServerFrame {
  public ReadAckFrame {
    Objects.requireNonNull(thread, "thread");
  }

  @Override
  public String type() {
    return "ack";
  }
}
