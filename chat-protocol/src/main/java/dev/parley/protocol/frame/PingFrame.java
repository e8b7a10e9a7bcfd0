package dev.parley.protocol.frame;

/** {@code {"type":"ping","id"?}}: answered with a pong. */
public record PingFrame(String id) implements ClientFrame {
  @Override
  public ClientFrameType type() {
    return ClientFrameType.PING;
  }
}
