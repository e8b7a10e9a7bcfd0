package dev.parley.protocol.frame;

import java.util.Objects;

/** {@code {"type":"ack","id"?,"thread","seq","messageId","ts"}}: a sent message is durable. */
public record MessageAckFrame(String id, String thread, long seq, String messageId, long ts) implements ServerFrame {
  public MessageAckFrame {
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(messageId, "messageId");
  }

  @Override
  public String type() {
    return "ack";
  }
}
