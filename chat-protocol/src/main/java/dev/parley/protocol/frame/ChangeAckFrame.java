package dev.parley.protocol.frame;

import java.util.Objects;

/**
 * {@code {"type":"ack","id"?,"thread","seq","ts","changed"?}}: a change is durable at {@code seq}.
 * A reaction that changed nothing stored no entry: {@code changed} is false, written as
 * {@code "changed":false}, and {@code seq} is the thread's current last seq; otherwise the field
 * is left out.
 */
public record ChangeAckFrame(String id, String thread, long seq, long ts, boolean changed)
    implements ServerFrame {
  public ChangeAckFrame {
    Objects.requireNonNull(thread, "thread");
  }

  @Override
  public String type() {
    return "ack";
  }
}
