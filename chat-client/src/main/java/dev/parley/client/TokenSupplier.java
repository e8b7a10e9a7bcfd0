package dev.parley.client;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Gives {@link ChatClient} an access token: before every connection attempt and, once a connection
 * is open, when 80 % of its token's lifetime has passed (the client then sends it in an
 * {@code auth} frame, so the connection outlives the token). Called on the client's event loop:
 * return at once and do slow work (HTTP) asynchronously, as {@link RefreshingTokens} does.
 */
@FunctionalInterface
public interface TokenSupplier {
  /** Why a token is asked for. */
  enum Reason {
    /** a connection attempt; the token in hand will do if it is still valid */
    CONNECT,
    /** the open connection's token is about to expire: a fresh one is due */
    EXPIRING,
    /** the server refused the last token (HTTP 401 on the upgrade, close 4401, or an {@code auth} refusal) */
    REJECTED
  }

  CompletionStage<String> accessToken(Reason reason);

  /** Always the same token: for tests and short runs (no refresh). */
  static TokenSupplier of(String accessToken) {
    Objects.requireNonNull(accessToken, "accessToken");
    return reason -> CompletableFuture.completedFuture(accessToken);
  }
}
