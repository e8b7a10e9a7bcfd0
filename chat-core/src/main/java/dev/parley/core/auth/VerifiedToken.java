package dev.parley.core.auth;

import java.util.Objects;

/**
 * What a token that passed verification says.
 *
 * @param userId the {@code sub} claim
 * @param sessionId the {@code sid} claim: the login session the token belongs to
 * @param generation the {@code gen} claim: which refresh of the session issued it (0 at login)
 * @param expiresAtMillis {@code exp} × 1000: the {@code expiresAt} of the WebSocket {@code hello}
 *     and {@code auth} answer
 * @param issuedAtMillis {@code iat} × 1000
 */
public record VerifiedToken(String userId, String sessionId, long generation, long expiresAtMillis,
                            long issuedAtMillis) {
  public VerifiedToken {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(sessionId, "sessionId");
  }
}
