package dev.parley.protocol.frame;

import java.util.Objects;

/**
 * {@code {"type":"react","id"?,"thread","target","emoji","on","clientId"?}}: turn the sender's
 * reaction with {@code emoji} on or off.
 */
public record ReactFrame(String id, String thread, long target, String emoji, boolean on, String clientId)
    implements ChangeFrame {
  public ReactFrame {
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(emoji, "emoji");
  }

  @Override
  public ClientFrameType type() {
    return ClientFrameType.REACT;
  }
}
