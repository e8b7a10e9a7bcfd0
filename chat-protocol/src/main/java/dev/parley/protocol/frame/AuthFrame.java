package dev.parley.protocol.frame;

import java.util.Objects;

/** {@code {"type":"auth","id"?,"token"}}: replace the connection's access token with a fresh one. */
public record AuthFrame(String id, String token) implements ClientFrame {
  public AuthFrame {
    Objects.requireNonNull(token, "token");
  }

  @Override
  public ClientFrameType type() {
    return ClientFrameType.AUTH;
  }

  @Override
  public String toString() {
    return "AuthFrame[id=" + id + ", token=***]";
  }
}
