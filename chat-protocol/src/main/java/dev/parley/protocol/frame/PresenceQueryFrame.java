package dev.parley.protocol.frame;

import java.util.List;

/** {@code {"type":"presence","id"?,"users":[ids…]}}: ask who of these users is online. */
public record PresenceQueryFrame(String id, List<String> users) implements ClientFrame {
  public PresenceQueryFrame {
    users = users == null ? List.of() : List.copyOf(users);
  }

  @Override
  public ClientFrameType type() {
    return ClientFrameType.PRESENCE;
  }
}
