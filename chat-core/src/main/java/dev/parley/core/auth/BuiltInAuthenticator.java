package dev.parley.core.auth;

import dev.parley.core.store.ChatStore;
import dev.parley.core.store.UserAccount;
import dev.parley.protocol.ChatException;

/**
 * Accepts the server's own access tokens (HS256 over the JWT secret) of users who exist and are
 * not disabled.
 */
public final class BuiltInAuthenticator implements Authenticator {
  private final TokenService tokens;
  private final ChatStore store;

  public BuiltInAuthenticator(TokenService tokens, ChatStore store) {
    this.tokens = tokens;
    this.store = store;
  }

  @Override
  public AuthenticatedUser authenticate(String accessToken) {
    if (accessToken == null || accessToken.isEmpty()) {
      throw ChatException.unauthorized("missing access token");
    }
    VerifiedToken token = tokens.verifyAccess(accessToken);
    UserAccount account = store.findAccount(token.userId())
        .orElseThrow(() -> ChatException.unauthorized("unknown user"));
    if (account.disabled()) {
      throw ChatException.unauthorized("user is disabled");
    }
    return new AuthenticatedUser(account.user(), token.expiresAtMillis());
  }
}
