package dev.parley.protocol.frame;

import java.util.Objects;

/** {@code {"type":"edit","id"?,"thread","target","body","clientId"?}}: replace a message's body. */
public record EditFrame(String id, String thread, long target, String body, String clientId)
    implements ChangeFrame {
  public EditFrame {
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(body, "body");
  }

  @Override
  public ClientFrameType type() {
    return ClientFrameType.EDIT;
  }
}
