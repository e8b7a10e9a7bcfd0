package dev.parley.protocol.model;

import java.util.List;

/**
 * A conversation: {@code {"id","kind","title"?,"creator","members":[user…],"createdAt","lastSeq"}}.
 * {@code kind} is {@link #DIRECT} or {@link #GROUP}; {@code title} is null for direct threads.
 */
public record ChatThread(String id, String kind, String title, String creator, List<User> members,
                         long createdAt, long lastSeq) {
  public static final String DIRECT = "direct";
  public static final String GROUP = "group";

  public ChatThread {
    members = List.copyOf(members);
  }

  public boolean isDirect() {
    return DIRECT.equals(kind);
  }

  public boolean hasMember(String userId) {
    for (User u : members) {
      if (u.id().equals(userId)) {
        return true;
      }
    }
    return false;
  }
}
