package dev.parley.protocol.frame;

/** {@code {"type":"ack","id"?,"expiresAt"}}: the connection now runs on the fresh token, valid until {@code expiresAt} (epoch ms). */
public record AuthAckFrame(String id, long expiresAt) implements ServerFrame {
  @Override
  public String type() {
    return "ack";
  }
}
