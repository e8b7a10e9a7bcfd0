package dev.parley.core.store;

import dev.parley.protocol.model.User;

/** A user with what only the server sees: the password hash and whether the account is disabled. */
public record UserAccount(User user, String passwordHash, boolean disabled) {
  public String id() {
    return user.id();
  }
}
