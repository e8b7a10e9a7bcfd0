package dev.parley.core.auth;

import dev.parley.protocol.model.User;

/**
 * Who a token belongs to, and when it stops being valid (epoch ms).
 *
 * @param sessionId the built-in login session the token belongs to (its connections are closed
 *     when the session is revoked), or null for a token of the host's own authenticator
 */
public record AuthenticatedUser(User user, long expiresAtMillis, String sessionId) {
  /** A user of the host's own authenticator, outside any built-in session. */
  public AuthenticatedUser(User user, long expiresAtMillis) {
    this(user, expiresAtMillis, null);
  }

  public String id() {
    return user.id();
  }
}
