package dev.parley.protocol.frame;

/** {@code {"type":"pong","id"?}}: the answer to a ping. */
public record PongFrame(String id) implements ServerFrame {
  @Override
  public String type() {
    return "pong";
  }
}
