package dev.parley.core.auth;

import dev.parley.core.accounts.SessionService;
import dev.parley.core.store.ChatStore;
import dev.parley.core.store.UserAccount;
import dev.parley.protocol.ChatException;

/**
 * Accepts the server's own access tokens (HS256 over the JWT secret) of users who exist and are
 * not disabled, from login sessions that were not revoked. The revocation check is an in-memory
 * lookup ({@link SessionService#isRevoked}), not a query.
 */
public final class BuiltInAuthenticator implements Authenticator {
  private final TokenService tokens;
  private final ChatStore store;
  private final SessionService sessions;

  public BuiltInAuthenticator(TokenService tokens, ChatStore store, SessionService sessions) {
    this.tokens = tokens;
    this.store = store;
    this.sessions = sessions;
  }

  @Override
  public AuthenticatedUser authenticate(String accessToken) {
    if (accessToken == null || accessToken.isEmpty()) {
      throw ChatException.unauthorized("missing access token");
    }
    VerifiedToken token = tokens.verifyAccess(accessToken);
    if (sessions.isRevoked(token.sessionId())) {
      throw ChatException.unauthorized("session revoked");
    }
    UserAccount account = store.findAccount(token.userId())
        .orElseThrow(() -> ChatException.unauthorized("unknown user"));
    if (account.disabled()) {
      throw ChatException.unauthorized("user is disabled");
    }
    return new AuthenticatedUser(account.user(), token.expiresAtMillis(), token.sessionId());
  }
}
