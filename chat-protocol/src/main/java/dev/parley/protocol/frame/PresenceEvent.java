package dev.parley.protocol.frame;

import java.util.Objects;

/** {@code {"type":"presence","user","status"}}: a user sharing a thread came online or went offline ({@code status} is {@link #ONLINE} or {@link #OFFLINE}). */
public record PresenceEvent(String user, String status) implements ServerFrame {
  public static final String ONLINE = "online";
  public static final String OFFLINE = "offline";

  public PresenceEvent {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(status, "status");
  }

  @Override
  public String type() {
    return "presence";
  }
}
