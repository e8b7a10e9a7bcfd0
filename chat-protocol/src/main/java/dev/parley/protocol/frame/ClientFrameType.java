package dev.parley.protocol.frame;

/** The kinds of frame a client may send, each with its wire name (the value of {@code "type"}). */
public enum ClientFrameType {
  SEND("send"),
  TYPING("typing"),
  READ("read"),
  SYNC("sync"),
  PRESENCE("presence"),
  PING("ping"),
  AUTH("auth"),
  EDIT("edit"),
  DELETE("delete"),
  REACT("react");

  private final String wire;

  ClientFrameType(String wire) {
    this.wire = wire;
  }

  /** The name as written in the {@code "type"} field, e.g. {@code send}. */
  public String wire() {
    return wire;
  }

  /** The type with the given wire name, or null when there is none. */
  public static ClientFrameType fromWire(String wire) {
    if (wire == null) {
      return null;
    }
    switch (wire) {
      case "send":
        return SEND;
      case "typing":
        return TYPING;
      case "read":
        return READ;
      case "sync":
        return SYNC;
      case "presence":
        return PRESENCE;
      case "ping":
        return PING;
      case "auth":
        return AUTH;
      case "edit":
        return EDIT;
      case "delete":
        return DELETE;
      case "react":
        return REACT;
      default:
        return null;
    }
  }
}
