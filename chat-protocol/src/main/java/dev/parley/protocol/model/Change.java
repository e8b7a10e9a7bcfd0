package dev.parley.protocol.model;

import java.util.Objects;

/**
 * What a change entry of a thread's log does to an earlier message (the {@code target} seq):
 * {@code edited} (the entry's body is the new text), {@code deleted}, or {@code reaction}
 * ({@code emoji} turned {@code on} or off by the entry's sender).
 *
 * @param emoji the reaction's emoji; null unless {@code kind} is {@link Kind#REACTION}
 */
public record Change(Kind kind, long target, String emoji, boolean on) {
  public Change {
    Objects.requireNonNull(kind, "kind");
  }

  public static Change edited(long target) {
    return new Change(Kind.EDITED, target, null, false);
  }

  public static Change deleted(long target) {
    return new Change(Kind.DELETED, target, null, false);
  }

  public static Change reaction(long target, String emoji, boolean on) {
    return new Change(Kind.REACTION, target, Objects.requireNonNull(emoji, "emoji"), on);
  }

  /** The kinds of change, each with its wire name (the entry's {@code "type"}) and store code. */
  public enum Kind {
    EDITED("edited", 1),
    DELETED("deleted", 2),
    REACTION("reaction", 3);

    private final String wire;
    private final int code;

    Kind(String wire, int code) {
      this.wire = wire;
      this.code = code;
    }

    public String wire() {
      return wire;
    }

    /** The number the store keeps in its {@code kind} column (0 is a message). */
    public int code() {
      return code;
    }

    /** The kind with this store code, or null for 0 (a message). */
    public static Kind ofCode(int code) {
      for (Kind k : values()) {
        if (k.code == code) {
          return k;
        }
      }
      if (code == 0) {
        return null;
      }
      throw new IllegalArgumentException("unknown entry kind " + code);
    }

    /** The kind with this wire name, or null. */
    public static Kind ofWire(String wire) {
      for (Kind k : values()) {
        if (k.wire.equals(wire)) {
          return k;
        }
      }
      return null;
    }
  }
}
