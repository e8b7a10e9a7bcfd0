package dev.parley.core.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Issues and verifies the tokens of the built-in accounts: HS256 JWTs over the JWT secret with the
 * claims {@code sub} (user id), {@code sid} (the login session), {@code iat}, {@code exp}
 * (seconds), {@code typ} ({@code access} or {@code refresh}), {@code gen} (the refresh generation
 * of the session) and {@code jti} ({@code <sid>.<gen>}). Issuing is deterministic: the same user,
 * session, generation and second give the same tokens, which is how a refresh repeated within the
 * rotation leeway gets the same answer as the first time without any token being stored.
 *
 * <p>Verification refuses, always with {@code ChatException(UNAUTHORIZED, reason)}: a malformed
 * token; an {@code alg} other than HS256 ({@code none}, HS384, HS512, RS256, ...); a signature that
 * does not match the secret; an expired token; {@code nbf} or {@code iat} in the future beyond
 * {@link #CLOCK_SKEW}; a missing {@code sub}, {@code sid}, {@code gen}, {@code iat} or
 * {@code exp}; and a token of the other type (a refresh token where an access token is due, and the other way round).
 *
 * <p>One {@link JWTVerifier} per token type is built in the constructor. It checks everything but
 * the exact expiry, which it lets pass up to {@link #MAX_GRACE} late; this class then checks
 * {@code exp} against the clock and the caller's grace, so {@link #verifyAccess(String, Duration)}
 * needs no verifier of its own. Instances are immutable and thread-safe.
 */
public final class TokenService {
  /** How far in the future {@code iat} and {@code nbf} may lie, for clocks of cluster nodes that disagree a little. */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(5);
  /** The largest grace {@link #verifyAccess(String, Duration)} accepts. */
  public static final Duration MAX_GRACE = Duration.ofDays(1);
  /** Longer strings are not even parsed. */
  static final int MAX_TOKEN_CHARS = 8 * 1024;

  private static final String TYP = "typ";
  private static final String SID = "sid";
  private static final String GEN = "gen";
  /** How late an expired refresh token may still be presented to {@link #verifyRefreshForLogout}. */
  private static final long LOGOUT_LEEWAY_SECONDS = 100L * 365 * 24 * 3600;

  private final Algorithm algorithm;
  private final Duration accessTtl;
  private final Duration refreshTtl;
  private final Clock clock;
  private final JWTVerifier accessVerifier;
  private final JWTVerifier refreshVerifier;
  private final JWTVerifier logoutVerifier;

  /**
   * @param secret the JWT secret, at least {@link JwtSecrets#MIN_SECRET_BYTES} bytes; copied
   * @param accessTtl lifetime of access tokens (default 900 s), whole seconds, at least 1 s
   * @param refreshTtl lifetime of refresh tokens (default 30 days), whole seconds, at least 1 s
   * @param clock the time source for issuing and verifying
   */
  public TokenService(byte[] secret, Duration accessTtl, Duration refreshTtl, Clock clock) {
    JwtSecrets.requireStrong(Objects.requireNonNull(secret, "secret"));
    this.accessTtl = requireTtl(accessTtl, "accessTtl");
    this.refreshTtl = requireTtl(refreshTtl, "refreshTtl");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.algorithm = Algorithm.HMAC256(secret.clone());
    this.accessVerifier = verifier(TokenType.ACCESS, MAX_GRACE.toSeconds());
    this.refreshVerifier = verifier(TokenType.REFRESH, MAX_GRACE.toSeconds());
    this.logoutVerifier = verifier(TokenType.REFRESH, LOGOUT_LEEWAY_SECONDS);
  }

  /** A service whose secret is the UTF-8 bytes of {@code secret} (as given by a flag or the environment). */
  public static TokenService create(String secret, Duration accessTtl, Duration refreshTtl, Clock clock) {
    return new TokenService(JwtSecrets.fromString(secret), accessTtl, refreshTtl, clock);
  }

  /** Lifetime of access tokens. */
  public Duration accessTtl() {
    return accessTtl;
  }

  /** Lifetime of refresh tokens. */
  public Duration refreshTtl() {
    return refreshTtl;
  }

  /** Issues the first tokens of a new login session: generation 0, {@code iat} = now. */
  public TokenPair issue(String userId, String sessionId) {
    return issue(userId, sessionId, 0, clock.millis());
  }

  /**
   * Issues the access and refresh token of a session's generation {@code generation}, both with
   * {@code iat} = {@code issuedAtMillis} (truncated to the second). The same arguments always give
   * the same tokens.
   */
  public TokenPair issue(String userId, String sessionId, long generation, long issuedAtMillis) {
    if (userId == null || userId.isEmpty()) {
      throw new IllegalArgumentException("userId must not be empty");
    }
    if (sessionId == null || sessionId.isEmpty()) {
      throw new IllegalArgumentException("sessionId must not be empty");
    }
    if (generation < 0) {
      throw new IllegalArgumentException("generation must not be negative: " + generation);
    }
    Instant issuedAt = Instant.ofEpochSecond(Math.floorDiv(issuedAtMillis, 1000));
    String access = sign(userId, sessionId, generation, TokenType.ACCESS, issuedAt,
        issuedAt.plus(accessTtl));
    String refresh = sign(userId, sessionId, generation, TokenType.REFRESH, issuedAt,
        issuedAt.plus(refreshTtl));
    return new TokenPair(access, refresh, accessTtl.toSeconds());
  }

  /**
   * Verifies an access token (Bearer header, {@code ?token=}, {@code auth} frame).
   *
   * @throws ChatException with {@link ErrorCode#UNAUTHORIZED} and the reason, if the token is refused
   */
  public VerifiedToken verifyAccess(String token) {
    return verify(token, TokenType.ACCESS, Duration.ZERO);
  }

  /**
   * Verifies an access token like {@link #verifyAccess(String)}, but accepts one that expired less
   * than {@code grace} ago. Callers can tell from {@link VerifiedToken#expiresAtMillis()} whether
   * it has expired.
   *
   * @param grace from zero to {@link #MAX_GRACE}
   * @throws ChatException with {@link ErrorCode#UNAUTHORIZED} and the reason, if the token is refused
   */
  public VerifiedToken verifyAccess(String token, Duration grace) {
    Objects.requireNonNull(grace, "grace");
    if (grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
      throw new IllegalArgumentException("grace must be between 0 and " + MAX_GRACE + ", got " + grace);
    }
    return verify(token, TokenType.ACCESS, grace);
  }

  /**
   * Verifies a refresh token ({@code POST /api/auth/refresh}).
   *
   * @throws ChatException with {@link ErrorCode#UNAUTHORIZED} and the reason, if the token is refused
   */
  public VerifiedToken verifyRefresh(String token) {
    return verify(token, TokenType.REFRESH, Duration.ZERO);
  }

  /**
   * Verifies a refresh token presented to log out: like {@link #verifyRefresh}, except that an
   * expired one is accepted (logging out with it still ends its session).
   *
   * @throws ChatException with {@link ErrorCode#UNAUTHORIZED} and the reason, if the token is
   *     malformed, forged or not a refresh token
   */
  public VerifiedToken verifyRefreshForLogout(String token) {
    return verify(token, TokenType.REFRESH, null);
  }

  private String sign(String userId, String sessionId, long generation, TokenType type,
                      Instant issuedAt, Instant expiresAt) {
    return JWT.create()
        .withSubject(userId)
        .withClaim(SID, sessionId)
        .withClaim(GEN, generation)
        .withIssuedAt(issuedAt)
        .withExpiresAt(expiresAt)
        .withClaim(TYP, type.claim())
        .withJWTId(sessionId + "." + generation)
        .sign(algorithm);
  }

  private JWTVerifier verifier(TokenType type, long expiryLeewaySeconds) {
    JWTVerifier.BaseVerification verification = (JWTVerifier.BaseVerification) JWT.require(algorithm)
        .withClaimPresence("sub")
        .withClaimPresence(SID)
        .withClaimPresence(GEN)
        .withClaimPresence("iat")
        .withClaimPresence("exp")
        .withClaim(TYP, type.claim())
        .acceptIssuedAt(CLOCK_SKEW.toSeconds())
        .acceptNotBefore(CLOCK_SKEW.toSeconds())
        .acceptExpiresAt(expiryLeewaySeconds);
    return verification.build(clock);
  }

  /** {@code grace} null: any expiry is accepted (logout). */
  private VerifiedToken verify(String token, TokenType type, Duration grace) {
    if (token == null || token.isEmpty()) {
      throw unauthorized("missing token");
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw unauthorized("malformed token");
    }
    DecodedJWT jwt;
    try {
      JWTVerifier verifier = type == TokenType.ACCESS ? accessVerifier
          : grace == null ? logoutVerifier : refreshVerifier;
      jwt = verifier.verify(token);
    } catch (JWTVerificationException e) {
      throw unauthorized(reason(e, type));
    } catch (RuntimeException e) {
      // java-jwt trips over some forged inputs (a header or claims of JSON null): still just malformed
      throw unauthorized("malformed token");
    }
    String subject = jwt.getSubject();
    Instant expiresAt = jwt.getExpiresAtAsInstant();
    Instant issuedAt = jwt.getIssuedAtAsInstant();
    if (subject == null || subject.isEmpty()) {
      throw unauthorized("token has no subject");
    }
    if (expiresAt == null || issuedAt == null) {
      throw unauthorized("token has no exp or iat");
    }
    if (grace != null && !clock.instant().isBefore(expiresAt.plus(grace))) {
      throw unauthorized("token expired");
    }
    String sessionId = jwt.getClaim(SID).asString();
    Long generation = jwt.getClaim(GEN).asLong();
    if (sessionId == null || sessionId.isEmpty() || generation == null || generation < 0) {
      throw unauthorized("token has no valid session claims");
    }
    return new VerifiedToken(subject, sessionId, generation, expiresAt.toEpochMilli(),
        issuedAt.toEpochMilli());
  }

  private static String reason(JWTVerificationException e, TokenType expected) {
    if (e instanceof AlgorithmMismatchException) {
      return "token algorithm not accepted (only HS256)";
    }
    if (e instanceof SignatureVerificationException) {
      return "token signature does not match";
    }
    if (e instanceof TokenExpiredException) {
      return "token expired";
    }
    if (e instanceof JWTDecodeException) {
      return "malformed token";
    }
    if (e instanceof MissingClaimException missing) {
      return TYP.equals(missing.getClaimName())
          ? "token has no type; " + expected.claim() + " token expected"
          : "token has no " + missing.getClaimName() + " claim";
    }
    if (e instanceof IncorrectClaimException incorrect) {
      String claim = incorrect.getClaimName();
      if (TYP.equals(claim)) {
        return "wrong token type; " + expected.claim() + " token expected";
      }
      if ("iat".equals(claim) || "nbf".equals(claim)) {
        return "token not valid yet";
      }
      return "token claim " + claim + " not accepted";
    }
    return "token not accepted";
  }

  private static ChatException unauthorized(String reason) {
    return new ChatException(ErrorCode.UNAUTHORIZED, reason);
  }

  private static Duration requireTtl(Duration ttl, String name) {
    Objects.requireNonNull(ttl, name);
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.getNano() != 0) {
      throw new IllegalArgumentException(name + " must be a whole number of seconds, at least 1 s, got " + ttl);
    }
    return ttl;
  }
}
