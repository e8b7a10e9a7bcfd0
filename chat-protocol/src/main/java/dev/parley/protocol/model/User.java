package dev.parley.protocol.model;

/**
 * A user as clients see it: {@code {"id","username","displayName","avatar"?}}.
 *
 * @param avatar where the user's picture is ({@link #avatarPath}), or null when they have none
 */
public record User(String id, String username, String displayName, String avatar) {
  /** A user without a picture. */
  public User(String id, String username, String displayName) {
    this(id, username, displayName, null);
  }

  /**
   * The path that serves a user's picture of one version: {@code /api/users/{id}/avatar/{version}}.
   * A new picture has a new version, so the bytes under one path never change.
   */
  public static String avatarPath(String userId, String version) {
    return "/api/users/" + userId + "/avatar/" + version;
  }
}
