package dev.parley.core.store;

/** A session that was revoked, and when (epoch ms). */
public record RevokedSession(String sessionId, String userId, long revokedAt) {
}
