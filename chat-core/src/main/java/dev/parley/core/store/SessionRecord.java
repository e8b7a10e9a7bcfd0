package dev.parley.core.store;

/**
 * A login session as the store keeps it.
 *
 * @param id the session id, the {@code sid} claim of its tokens
 * @param userId whose session it is
 * @param generation the generation of its newest refresh token (0 after login, +1 per refresh)
 * @param rotatedAt when that token was issued, epoch ms
 * @param revokedAt when the session was revoked, epoch ms, or null while it is live
 */
public record SessionRecord(String id, String userId, long generation, long rotatedAt,
                            Long revokedAt) {
  public boolean isRevoked() {
    return revokedAt != null;
  }
}
