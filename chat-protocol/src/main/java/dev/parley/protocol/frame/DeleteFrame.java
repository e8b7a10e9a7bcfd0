package dev.parley.protocol.frame;

import java.util.Objects;

/** {@code {"type":"delete","id"?,"thread","target","clientId"?}}: delete (erase) a message. */
public record DeleteFrame(String id, String thread, long target, String clientId) implements ChangeFrame {
  public DeleteFrame {
    Objects.requireNonNull(thread, "thread");
  }

  @Override
  public ClientFrameType type() {
    return ClientFrameType.DELETE;
  }
}
