package dev.parley.protocol.frame;

/** {@code {"type":"synced","id"?}}: everything a sync asked for has been sent. */
public record SyncedFrame(String id) implements ServerFrame {
  @Override
  public String type() {
    return "synced";
  }
}
