package dev.parley.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class TokenServiceTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef-test-secret";
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration ACCESS_TTL = Duration.ofSeconds(900);
  private static final Duration REFRESH_TTL = Duration.ofDays(30);

  private final TokenService tokens = serviceAt(NOW);

  private static TokenService serviceAt(Instant instant) {
    return TokenService.create(SECRET, ACCESS_TTL, REFRESH_TTL, Clock.fixed(instant, ZoneOffset.UTC));
  }

  // --- issuing and accepting -----------------------------------------------------------------

  @Test
  void issuesTokensThatVerifyWithSubjectAndTimes() {
    TokenPair pair = tokens.issue("user-1", "session-1");

    assertThat(pair.expiresIn()).isEqualTo(900);
    VerifiedToken access = tokens.verifyAccess(pair.access());
    assertThat(access.userId()).isEqualTo("user-1");
    assertThat(access.issuedAtMillis()).isEqualTo(NOW.toEpochMilli());
    assertThat(access.expiresAtMillis()).isEqualTo(NOW.plus(ACCESS_TTL).toEpochMilli());
    VerifiedToken refresh = tokens.verifyRefresh(pair.refresh());
    assertThat(refresh.userId()).isEqualTo("user-1");
    assertThat(refresh.expiresAtMillis()).isEqualTo(NOW.plus(REFRESH_TTL).toEpochMilli());
  }

  @Test
  void writesTheContractClaims() {
    TokenPair pair = tokens.issue("user-1", "session-1");

    String header = json(pair.access(), 0);
    String payload = json(pair.access(), 1);
    assertThat(header).contains("\"alg\":\"HS256\"");
    assertThat(payload)
        .contains("\"sub\":\"user-1\"")
        .contains("\"typ\":\"access\"")
        .contains("\"iat\":" + NOW.getEpochSecond())
        .contains("\"exp\":" + NOW.plus(ACCESS_TTL).getEpochSecond())
        .contains("\"jti\":");
    assertThat(json(pair.refresh(), 1)).contains("\"typ\":\"refresh\"");
  }

  @Test
  void tokensOfTwoSessionsIssuedInTheSameSecondDiffer() {
    TokenPair first = tokens.issue("user-1", "session-1");
    TokenPair second = tokens.issue("user-1", "session-2");

    assertThat(first.access()).isNotEqualTo(second.access());
    assertThat(first.refresh()).isNotEqualTo(second.refresh());
  }

  @Test
  void eachGenerationOfASessionGetsOtherTokens() {
    TokenPair first = tokens.issue("user-1", "session-1", 0, NOW.toEpochMilli());
    TokenPair second = tokens.issue("user-1", "session-1", 1, NOW.toEpochMilli());

    assertThat(first.refresh()).isNotEqualTo(second.refresh());
    assertThat(tokens.verifyRefresh(second.refresh()).generation()).isEqualTo(1);
  }

  @Test
  void issuingIsDeterministicSoARepeatedRefreshCanGetTheSameAnswer() {
    TokenPair first = tokens.issue("user-1", "session-1", 3, NOW.toEpochMilli());
    TokenPair again = tokens.issue("user-1", "session-1", 3, NOW.toEpochMilli() + 999);

    assertThat(again).isEqualTo(first);
  }

  @Test
  void refusesATokenWithoutSessionClaims() {
    String withoutSid = payload("user-1", "access", NOW, NOW.plus(ACCESS_TTL))
        .replace(",\"sid\":\"session-1\"", "");
    String withoutGen = payload("user-1", "access", NOW, NOW.plus(ACCESS_TTL))
        .replace(",\"gen\":0", "");

    assertUnauthorized(() -> tokens.verifyAccess(hs("HmacSHA256", "HS256", SECRET, withoutSid)))
        .hasMessageContaining("sid");
    assertUnauthorized(() -> tokens.verifyAccess(hs("HmacSHA256", "HS256", SECRET, withoutGen)))
        .hasMessageContaining("gen");
  }

  @Test
  void tokensCarryTheirSession() {
    TokenPair pair = tokens.issue("user-1", "session-1");

    assertThat(tokens.verifyAccess(pair.access()).sessionId()).isEqualTo("session-1");
    assertThat(tokens.verifyRefresh(pair.refresh()).sessionId()).isEqualTo("session-1");
    assertThat(tokens.verifyRefresh(pair.refresh()).generation()).isZero();
    assertThat(json(pair.access(), 1)).contains("\"sid\":\"session-1\"");
  }

  @Test
  void logoutAcceptsAnExpiredRefreshTokenAndNothingElse() {
    TokenPair pair = tokens.issue("user-1", "session-1");
    TokenService muchLater = TokenService.create(SECRET, ACCESS_TTL, REFRESH_TTL,
        Clock.fixed(NOW.plus(REFRESH_TTL).plus(Duration.ofDays(400)), ZoneOffset.UTC));

    assertUnauthorized(() -> muchLater.verifyRefresh(pair.refresh())).hasMessageContaining("expired");
    assertThat(muchLater.verifyRefreshForLogout(pair.refresh()).sessionId()).isEqualTo("session-1");
    assertUnauthorized(() -> muchLater.verifyRefreshForLogout(pair.access()));
    assertUnauthorized(() -> muchLater.verifyRefreshForLogout(pair.refresh() + "x"));
  }

  @Test
  void anotherInstanceWithTheSameSecretAcceptsTheTokens() {
    TokenPair pair = tokens.issue("user-1", "session-1");

    assertThat(serviceAt(NOW.plusSeconds(60)).verifyAccess(pair.access()).userId()).isEqualTo("user-1");
  }

  @Test
  void acceptsTokenJustBeforeExpiry() {
    TokenPair pair = tokens.issue("user-1", "session-1");

    assertThat(serviceAt(NOW.plus(ACCESS_TTL).minusMillis(1)).verifyAccess(pair.access()).userId())
        .isEqualTo("user-1");
  }

  @Test
  void acceptsHandBuiltTokenWithCorrectSignature() {
    String token = hs("HmacSHA256", "HS256", SECRET, payload("user-7", "access", NOW, NOW.plusSeconds(60)));

    assertThat(tokens.verifyAccess(token).userId()).isEqualTo("user-7");
  }

  @Test
  void toleratesSmallClockSkewOnIssuedAt() {
    String token = hs("HmacSHA256", "HS256", SECRET,
        payload("user-7", "access", NOW.plusSeconds(3), NOW.plusSeconds(60)));

    assertThat(tokens.verifyAccess(token).userId()).isEqualTo("user-7");
  }

  // --- expiry and grace ----------------------------------------------------------------------

  @Test
  void rejectsExpiredToken() {
    TokenPair pair = tokens.issue("user-1", "session-1");
    TokenService later = serviceAt(NOW.plus(ACCESS_TTL));

    assertUnauthorized(() -> later.verifyAccess(pair.access())).hasMessageContaining("expired");
  }

  @Test
  void rejectsExpiredRefreshToken() {
    TokenPair pair = tokens.issue("user-1", "session-1");
    TokenService later = serviceAt(NOW.plus(REFRESH_TTL).plusSeconds(1));

    assertUnauthorized(() -> later.verifyRefresh(pair.refresh())).hasMessageContaining("expired");
  }

  @Test
  void rejectsTokenExpiredLongAgo() {
    TokenPair pair = tokens.issue("user-1", "session-1");
    TokenService muchLater = serviceAt(NOW.plus(Duration.ofDays(3)));

    assertUnauthorized(() -> muchLater.verifyAccess(pair.access())).hasMessageContaining("expired");
    assertUnauthorized(() -> muchLater.verifyAccess(pair.access(), Duration.ofSeconds(30)))
        .hasMessageContaining("expired");
  }

  @Test
  void acceptsExpiredTokenWithinGrace() {
    TokenPair pair = tokens.issue("user-1", "session-1");
    TokenService later = serviceAt(NOW.plus(ACCESS_TTL).plusSeconds(29));

    VerifiedToken verified = later.verifyAccess(pair.access(), Duration.ofSeconds(30));

    assertThat(verified.userId()).isEqualTo("user-1");
    assertThat(verified.expiresAtMillis()).isEqualTo(NOW.plus(ACCESS_TTL).toEpochMilli());
  }

  @Test
  void rejectsExpiredTokenOnceGraceHasPassed() {
    TokenPair pair = tokens.issue("user-1", "session-1");
    TokenService later = serviceAt(NOW.plus(ACCESS_TTL).plusSeconds(30));

    assertUnauthorized(() -> later.verifyAccess(pair.access(), Duration.ofSeconds(30)))
        .hasMessageContaining("expired");
  }

  @Test
  void refusesGraceOutsideItsRange() {
    TokenPair pair = tokens.issue("user-1", "session-1");

    assertThatThrownBy(() -> tokens.verifyAccess(pair.access(), Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tokens.verifyAccess(pair.access(), TokenService.MAX_GRACE.plusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // --- forged and wrong tokens ---------------------------------------------------------------

  @Test
  void rejectsAlgNone() {
    String payload = payload("user-1", "access", NOW, NOW.plusSeconds(60));
    String unsigned = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(payload) + ".";
    String unsignedNoDot = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(payload);
    String noneUpper = b64("{\"alg\":\"None\"}") + "." + b64(payload) + ".";

    assertUnauthorized(() -> tokens.verifyAccess(unsigned)).hasMessageContaining("algorithm");
    assertUnauthorized(() -> tokens.verifyAccess(unsignedNoDot));
    assertUnauthorized(() -> tokens.verifyAccess(noneUpper));
  }

  @Test
  void rejectsAlgNoneCarryingAValidHs256Signature() {
    String payload = payload("user-1", "access", NOW, NOW.plusSeconds(60));
    String genuine = hs("HmacSHA256", "HS256", SECRET, payload);
    String signature = genuine.substring(genuine.lastIndexOf('.') + 1);
    String forged = b64("{\"alg\":\"none\"}") + "." + b64(payload) + "." + signature;

    assertUnauthorized(() -> tokens.verifyAccess(forged));
  }

  @Test
  void rejectsHs512WithTheSameSecret() {
    String token = hs("HmacSHA512", "HS512", SECRET, payload("user-1", "access", NOW, NOW.plusSeconds(60)));

    assertUnauthorized(() -> tokens.verifyAccess(token)).hasMessageContaining("algorithm");
  }

  @Test
  void rejectsHs384WithTheSameSecret() {
    String token = hs("HmacSHA384", "HS384", SECRET, payload("user-1", "access", NOW, NOW.plusSeconds(60)));

    assertUnauthorized(() -> tokens.verifyAccess(token)).hasMessageContaining("algorithm");
  }

  @Test
  void rejectsRs256() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(generator.generateKeyPair().getPrivate());
    String signingInput = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "."
        + b64(payload("user-1", "access", NOW, NOW.plusSeconds(60)));
    rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    String token = signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());

    assertUnauthorized(() -> tokens.verifyAccess(token)).hasMessageContaining("algorithm");
  }

  @Test
  void rejectsWrongSecret() {
    String token = hs("HmacSHA256", "HS256", "another-secret-that-is-long-enough-0123456789",
        payload("user-1", "access", NOW, NOW.plusSeconds(60)));

    assertUnauthorized(() -> tokens.verifyAccess(token)).hasMessageContaining("signature");
  }

  @Test
  void rejectsTamperedPayload() {
    TokenPair pair = tokens.issue("user-1", "session-1");
    String[] parts = pair.access().split("\\.");
    String tampered = parts[0] + "." + b64(payload("admin", "access", NOW, NOW.plusSeconds(60))) + "." + parts[2];

    assertUnauthorized(() -> tokens.verifyAccess(tampered)).hasMessageContaining("signature");
  }

  @Test
  void rejectsHandBuiltExpiredToken() {
    String token = hs("HmacSHA256", "HS256", SECRET,
        payload("user-1", "access", NOW.minusSeconds(120), NOW.minusSeconds(60)));

    assertUnauthorized(() -> tokens.verifyAccess(token)).hasMessageContaining("expired");
  }

  @Test
  void rejectsNotBeforeInTheFuture() {
    String payload = "{\"sub\":\"user-1\",\"sid\":\"session-1\",\"gen\":0,\"typ\":\"access\",\"iat\":" + NOW.getEpochSecond()
        + ",\"nbf\":" + NOW.plusSeconds(60).getEpochSecond()
        + ",\"exp\":" + NOW.plusSeconds(600).getEpochSecond() + "}";
    String token = hs("HmacSHA256", "HS256", SECRET, payload);

    assertUnauthorized(() -> tokens.verifyAccess(token)).hasMessageContaining("not valid yet");
  }

  @Test
  void rejectsIssuedAtInTheFuture() {
    String token = hs("HmacSHA256", "HS256", SECRET,
        payload("user-1", "access", NOW.plusSeconds(60), NOW.plusSeconds(600)));

    assertUnauthorized(() -> tokens.verifyAccess(token)).hasMessageContaining("not valid yet");
  }

  @Test
  void rejectsRefreshTokenAsAccessToken() {
    TokenPair pair = tokens.issue("user-1", "session-1");

    assertUnauthorized(() -> tokens.verifyAccess(pair.refresh())).hasMessageContaining("access token expected");
    assertUnauthorized(() -> tokens.verifyAccess(pair.refresh(), Duration.ofSeconds(30)));
  }

  @Test
  void rejectsAccessTokenAsRefreshToken() {
    TokenPair pair = tokens.issue("user-1", "session-1");

    assertUnauthorized(() -> tokens.verifyRefresh(pair.access())).hasMessageContaining("refresh token expected");
  }

  @Test
  void rejectsTokenWithoutType() {
    String payload = "{\"sub\":\"user-1\",\"iat\":" + NOW.getEpochSecond()
        + ",\"exp\":" + NOW.plusSeconds(600).getEpochSecond() + "}";
    String token = hs("HmacSHA256", "HS256", SECRET, payload);

    assertUnauthorized(() -> tokens.verifyAccess(token));
    assertUnauthorized(() -> tokens.verifyRefresh(token));
  }

  @Test
  void rejectsTokenWithUnknownType() {
    String token = hs("HmacSHA256", "HS256", SECRET, payload("user-1", "id", NOW, NOW.plusSeconds(60)));

    assertUnauthorized(() -> tokens.verifyAccess(token)).hasMessageContaining("wrong token type");
  }

  @Test
  void rejectsTokenWithoutSubject() {
    String payload = "{\"typ\":\"access\",\"iat\":" + NOW.getEpochSecond()
        + ",\"exp\":" + NOW.plusSeconds(600).getEpochSecond() + "}";
    String token = hs("HmacSHA256", "HS256", SECRET, payload);

    assertUnauthorized(() -> tokens.verifyAccess(token)).hasMessageContaining("sub");
  }

  @Test
  void rejectsTokenWithEmptySubject() {
    String token = hs("HmacSHA256", "HS256", SECRET, payload("", "access", NOW, NOW.plusSeconds(60)));

    assertUnauthorized(() -> tokens.verifyAccess(token)).hasMessageContaining("subject");
  }

  @Test
  void rejectsTokenWithoutExpiry() {
    String payload = "{\"sub\":\"user-1\",\"sid\":\"session-1\",\"gen\":0,\"typ\":\"access\",\"iat\":" + NOW.getEpochSecond() + "}";
    String token = hs("HmacSHA256", "HS256", SECRET, payload);

    assertUnauthorized(() -> tokens.verifyAccess(token)).hasMessageContaining("exp");
  }

  @Test
  void rejectsTokenWithoutIssuedAt() {
    String payload = "{\"sub\":\"user-1\",\"sid\":\"session-1\",\"gen\":0,\"typ\":\"access\",\"exp\":" + NOW.plusSeconds(600).getEpochSecond() + "}";
    String token = hs("HmacSHA256", "HS256", SECRET, payload);

    assertUnauthorized(() -> tokens.verifyAccess(token)).hasMessageContaining("iat");
  }

  @Test
  void rejectsNonNumericExpiry() {
    String payload = "{\"sub\":\"user-1\",\"sid\":\"session-1\",\"gen\":0,\"typ\":\"access\",\"iat\":" + NOW.getEpochSecond()
        + ",\"exp\":\"tomorrow\"}";
    String token = hs("HmacSHA256", "HS256", SECRET, payload);

    assertUnauthorized(() -> tokens.verifyAccess(token));
  }

  @Test
  void rejectsGarbage() {
    assertUnauthorized(() -> tokens.verifyAccess("garbage")).hasMessageContaining("malformed");
    assertUnauthorized(() -> tokens.verifyAccess("a.b.c")).hasMessageContaining("malformed");
    assertUnauthorized(() -> tokens.verifyAccess(b64("{\"alg\":\"HS256\"}") + "." + b64("not json") + ".xyz"));
    assertUnauthorized(() -> tokens.verifyAccess("..")).hasMessageContaining("malformed");
    assertUnauthorized(() -> tokens.verifyRefresh("Bearer xyz")).hasMessageContaining("malformed");
    assertUnauthorized(() -> tokens.verifyAccess("x".repeat(100_000))).hasMessageContaining("malformed");
  }

  @Test
  void rejectsMissingToken() {
    assertUnauthorized(() -> tokens.verifyAccess(null)).hasMessageContaining("missing");
    assertUnauthorized(() -> tokens.verifyAccess("")).hasMessageContaining("missing");
  }

  // --- construction --------------------------------------------------------------------------

  @Test
  void refusesShortSecret() {
    Clock clock = Clock.systemUTC();

    assertThatThrownBy(() -> TokenService.create("short", ACCESS_TTL, REFRESH_TTL, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32 bytes");
  }

  @Test
  void refusesTtlBelowOneSecond() {
    Clock clock = Clock.systemUTC();

    assertThatThrownBy(() -> TokenService.create(SECRET, Duration.ZERO, REFRESH_TTL, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokenService.create(SECRET, ACCESS_TTL, Duration.ofMillis(1500), clock))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keepsItsOwnCopyOfTheSecret() {
    byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
    TokenService service = new TokenService(secret, ACCESS_TTL, REFRESH_TTL, Clock.fixed(NOW, ZoneOffset.UTC));
    TokenPair pair = service.issue("user-1", "session-1");

    java.util.Arrays.fill(secret, (byte) 0);

    assertThat(service.verifyAccess(pair.access()).userId()).isEqualTo("user-1");
  }

  // --- helpers -------------------------------------------------------------------------------

  private static AbstractThrowableAssert<?, ? extends Throwable> assertUnauthorized(Runnable verification) {
    return assertThatThrownBy(verification::run)
        .isInstanceOf(ChatException.class)
        .satisfies(e -> assertThat(((ChatException) e).code()).isEqualTo(ErrorCode.UNAUTHORIZED));
  }

  private static String payload(String sub, String typ, Instant iat, Instant exp) {
    return "{\"sub\":\"" + sub + "\",\"typ\":\"" + typ + "\",\"iat\":" + iat.getEpochSecond()
        + ",\"exp\":" + exp.getEpochSecond() + ",\"sid\":\"session-1\",\"gen\":0"
        + ",\"jti\":\"hand-made\"}";
  }

  private static String hs(String macAlgorithm, String alg, String secret, String payload) {
    String signingInput = b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + b64(payload);
    try {
      Mac mac = Mac.getInstance(macAlgorithm);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), macAlgorithm));
      byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String json(String token, int part) {
    return new String(Base64.getUrlDecoder().decode(token.split("\\.")[part]), StandardCharsets.UTF_8);
  }
}
