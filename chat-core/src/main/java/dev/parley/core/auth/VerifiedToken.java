package dev.parley.core.auth;

import java.util.Objects;

/**
 * What a token that passed verification says.
 *
 * @param userId the {@code sub} claim
 * @param expiresAtMillis {@code exp} × 1000: the {@code expiresAt} of the WebSocket {@code hello}
 *     and {@code auth} answer
 * @param issuedAtMillis {@code iat} × 1000
 */
public record VerifiedToken(String userId, long expiresAtMillis, long issuedAtMillis) {
  public VerifiedToken {
    Objects.requireNonNull(userId, "userId");
  }
}
