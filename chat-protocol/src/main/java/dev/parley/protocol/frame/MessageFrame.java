package dev.parley.protocol.frame;

import dev.parley.protocol.model.Message;
import java.util.Objects;

/** {@code {"type":"message",…message fields…}}: a stored message, delivered live or by sync. */
public record MessageFrame(Message message) implements ServerFrame {
  public MessageFrame {
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String type() {
    return "message";
  }
}
