package dev.parley.core.testing;

import dev.parley.core.auth.TokenPair;
import dev.parley.protocol.model.User;

/**
 * A user registered by {@link EngineFixture#register(String)}, with the password it was given and
 * the tokens of its login.
 */
public record TestUser(User user, String password, TokenPair tokens) {
  public String id() {
    return user.id();
  }

  public String username() {
    return user.username();
  }
}
