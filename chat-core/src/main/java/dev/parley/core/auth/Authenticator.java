package dev.parley.core.auth;

/**
 * Turns an access token into a user. The built-in one checks the server's own HS256 tokens and
 * the account table; an embedding application can supply its own (its own JWT issuer, an opaque
 * session lookup).
 *
 * <p>May block (database, remote lookup): the engine calls it on a worker thread, never on an
 * event loop.
 */
@FunctionalInterface
public interface Authenticator {

  /**
   * Verifies the token and returns its user. Throws a {@link dev.parley.protocol.ChatException}
   * with code {@code unauthorized} when the token is missing, malformed, expired, wrongly signed,
   * of the wrong kind, or belongs to a disabled or unknown user.
   */
  AuthenticatedUser authenticate(String accessToken);
}
