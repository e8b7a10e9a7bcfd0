package dev.parley.core.auth;

import java.util.Objects;

/**
 * The tokens handed out at login and refresh.
 *
 * @param access the access token, for {@code Authorization: Bearer}, {@code ?token=} and {@code auth}
 * @param refresh the refresh token, only for {@code POST /api/auth/refresh}
 * @param expiresIn seconds until the access token expires, as sent in {@code "expiresIn"}
 */
public record TokenPair(String access, String refresh, long expiresIn) {
  public TokenPair {
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(refresh, "refresh");
  }
}
