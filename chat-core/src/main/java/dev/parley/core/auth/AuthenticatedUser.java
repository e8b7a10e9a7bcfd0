package dev.parley.core.auth;

import dev.parley.protocol.model.User;

/** Who a token belongs to, and when it stops being valid (epoch ms). */
public record AuthenticatedUser(User user, long expiresAtMillis) {
  public String id() {
    return user.id();
  }
}
