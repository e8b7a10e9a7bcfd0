package dev.parley.server.internal.http;

import dev.parley.core.auth.AuthenticatedUser;
import dev.parley.core.auth.Authenticator;
import dev.parley.protocol.ChatException;

/** Reads an {@code Authorization: Bearer} header: the one parser the HTTP, upload and WebSocket paths share. */
public final class BearerTokens {
  private static final String BEARER = "Bearer ";

  private BearerTokens() {
  }

  /** The token of a {@code Bearer} header (scheme matched ignoring case), or null when there is none. */
  public static String token(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return null;
    }
    String token = authorization.substring(BEARER.length()).trim();
    return token.isEmpty() ? null : token;
  }

  /**
   * Authenticates the header's token; a missing one is {@code unauthorized}. Blocks on the store: call
   * it on a worker.
   */
  public static AuthenticatedUser authenticate(Authenticator authenticator, String authorization) {
    String token = token(authorization);
    if (token == null) {
      throw ChatException.unauthorized("missing bearer token");
    }
    return authenticator.authenticate(token);
  }
}
