package dev.parley.protocol.model;

import java.util.List;

/**
 * A conversation: {@code {"id","kind","title"?,"creator","members":[user…],"createdAt","lastSeq",
 * "admins"?,"muted"?}}. {@code kind} is {@link #DIRECT} or {@link #GROUP}; {@code title} is null
 * for direct threads. {@code admins} (contract 7.4) are the group's admins besides its creator,
 * empty for a direct thread; {@code muted} is the viewer's own setting, false in a snapshot that is
 * not shown to one user.
 */
public record ChatThread(String id, String kind, String title, String creator, List<User> members,
                         long createdAt, long lastSeq, List<String> admins, boolean muted) {
  public static final String DIRECT = "direct";
  public static final String GROUP = "group";

  public ChatThread {
    members = List.copyOf(members);
    admins = admins == null ? List.of() : List.copyOf(admins);
  }

  /** A thread with no admins, not muted: the shape of sections 1 to 6. */
  public ChatThread(String id, String kind, String title, String creator, List<User> members,
                    long createdAt, long lastSeq) {
    this(id, kind, title, creator, members, createdAt, lastSeq, List.of(), false);
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

  /** True for the group's creator and its admins. */
  public boolean isAdminOrCreator(String userId) {
    return !isDirect() && (creator.equals(userId) || admins.contains(userId));
  }

  /** The same thread as seen by a user who has (or has not) muted it. */
  public ChatThread withMuted(boolean mutedByViewer) {
    return mutedByViewer == muted ? this
        : new ChatThread(id, kind, title, creator, members, createdAt, lastSeq, admins, mutedByViewer);
  }

  /** The same thread with other admins. */
  public ChatThread withAdmins(List<String> newAdmins) {
    return new ChatThread(id, kind, title, creator, members, createdAt, lastSeq, newAdmins, muted);
  }
}
