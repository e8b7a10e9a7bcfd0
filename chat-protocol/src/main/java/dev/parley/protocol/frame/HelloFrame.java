package dev.parley.protocol.frame;

import dev.parley.protocol.model.User;
import java.util.Objects;

/** {@code {"type":"hello","user":{…},"node","heartbeat":SECONDS,"expiresAt"}}: the first frame after the upgrade. */
public record HelloFrame(User user, String node, int heartbeat, long expiresAt) implements ServerFrame {
  public HelloFrame {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(node, "node");
  }

  @Override
  public String type() {
    return "hello";
  }
}
