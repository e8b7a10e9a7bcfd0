package dev.parley.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.auth.TokenService;
import dev.parley.core.auth.VerifiedToken;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.server.conformance.LeakDetectionExtension;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * {@link TokenService} on random, mutated and forged tokens: verification either accepts a token
 * of the user it was issued to or throws {@link ChatException} with {@code unauthorized}; never
 * another exception (a 500 where the contract says 401), and never another user.
 */
class TokenFuzzTest {
  private static final String SECRET = "parley-fuzz-secret-0123456789-abcdefghijklmnop";
  private static final String USER = "user-fuzz-1";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final TokenService tokens = TokenService.create(SECRET, Duration.ofMinutes(15),
      Duration.ofDays(30), Clock.systemUTC());
  private final String access = tokens.issue(USER, "session-1").access();
  private final String refresh = tokens.issue(USER, "session-1").refresh();

  @Property(tries = 1500)
  void mutatedTokensAreRefusedOrStillTheSameUser(@ForAll("mutatedTokens") String token) {
    verifiesOrRefuses(() -> tokens.verifyAccess(token));
    verifiesOrRefuses(() -> tokens.verifyAccess(token, Duration.ofSeconds(30)));
    verifiesOrRefuses(() -> tokens.verifyRefresh(token));
  }

  @Property(tries = 1000)
  void randomStringsAreRefused(@ForAll("randomTokens") String token) {
    refuses(() -> tokens.verifyAccess(token));
    refuses(() -> tokens.verifyRefresh(token));
  }

  @Property(tries = 1500)
  void forgedClaimsAreRefusedOrAccepted(@ForAll("forgedTokens") String token) {
    try {
      VerifiedToken v = tokens.verifyAccess(token, Duration.ofSeconds(30));
      assertThat(v.userId()).isNotEmpty();
    } catch (ChatException e) {
      assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.UNAUTHORIZED);
    }
    try {
      tokens.verifyRefresh(token);
    } catch (ChatException e) {
      assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.UNAUTHORIZED);
    }
  }

  @Provide
  Arbitrary<String> mutatedTokens() {
    return Mutations.mutated(List.of(access.getBytes(StandardCharsets.US_ASCII),
            refresh.getBytes(StandardCharsets.US_ASCII)))
        .map(b -> new String(b, StandardCharsets.ISO_8859_1));
  }

  @Provide
  Arbitrary<String> randomTokens() {
    Arbitrary<String> segment = Arbitraries.strings()
        .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/")
        .ofMaxLength(60);
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(200),
        segment,
        Combinators.combine(segment, segment, segment).as((a, b, c) -> a + "." + b + "." + c),
        Combinators.combine(segment, segment).as((a, b) -> a + "." + b + "."),
        Arbitraries.just("..").map(s -> s),
        Arbitraries.strings().withChars('.').ofMaxLength(10),
        Arbitraries.just("x".repeat(9000)));
  }

  /** Tokens with any header and any claims, signed with the right secret, a wrong one, or not at all. */
  @Provide
  Arbitrary<String> forgedTokens() {
    Arbitrary<String> header = Arbitraries.oneOf(
        Arbitraries.of("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"alg\":\"none\"}",
            "{\"alg\":\"HS384\"}", "{\"alg\":\"HS512\"}", "{\"alg\":\"RS256\"}", "{\"alg\":\"ES256\"}",
            "{\"alg\":\"\"}", "{\"alg\":null}", "{\"alg\":1}", "{\"alg\":[\"HS256\"]}", "{}", "[]",
            "\"HS256\"", "{\"alg\":\"HS256\",\"crit\":[\"x\"]}",
            "{\"alg\":\"HS256\",\"kid\":{\"a\":1}}", "{\"alg\":\"HS256\"", "not json"),
        Mutations.jsonValues());
    long now = System.currentTimeMillis() / 1000;
    Arbitrary<String> time = Arbitraries.of(Long.toString(now), Long.toString(now + 600),
        Long.toString(now - 600), Long.toString(now + 100_000), "0", "-1", "9223372036854775807",
        "9223372036854775808", "1e308", "1.5", "\"" + now + "\"", "null", "true", "[]", "{}",
        "99999999999999999999999999");
    Arbitrary<String> sub = Arbitraries.of("\"" + USER + "\"", "\"\"", "1", "null", "[\"u\"]",
        "{\"id\":\"u\"}", "\"\\ud800\"", "true");
    Arbitrary<String> typ = Arbitraries.of("\"access\"", "\"refresh\"", "\"ACCESS\"", "1", "null",
        "[\"access\"]", "{}", "\"\"");
    Arbitrary<String> claims = Combinators.combine(sub, time, time, typ, time)
        .as((s, iat, exp, t, nbf) -> "{\"sub\":" + s + ",\"iat\":" + iat + ",\"exp\":" + exp
            + ",\"typ\":" + t + ",\"nbf\":" + nbf + "}");
    Arbitrary<String> payload = Arbitraries.oneOf(claims, claims, claims,
        Mutations.jsonValues(),
        Mutations.mutated(List.of(("{\"sub\":\"" + USER + "\",\"iat\":" + now + ",\"exp\":"
            + (now + 600) + ",\"typ\":\"access\"}").getBytes(StandardCharsets.UTF_8)))
            .map(b -> new String(b, StandardCharsets.ISO_8859_1)));
    Arbitrary<Integer> signing = Arbitraries.integers().between(0, 3);
    return Combinators.combine(header, payload, signing).as(TokenFuzzTest::forge);
  }

  /**
   * A header or claims set of JSON {@code null} makes java-jwt throw a NullPointerException; the
   * token service must still answer 401. (The random properties above include such inputs.)
   */
  @Example
  void aHeaderOfJsonNullIsUnauthorized() {
    String claims = "{\"sub\":\"" + USER + "\",\"iat\":1,\"exp\":9999999999,\"typ\":\"access\"}";
    refuses(() -> tokens.verifyAccess(forge("null", claims, 0)));
  }

  @Example
  void claimsOfJsonNullAreUnauthorized() {
    refuses(() -> tokens.verifyAccess(forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "null", 0)));
  }

  private static String forge(String header, String payload, int signing) {
    String signed = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    switch (signing) {
      case 0:
      case 1:
        return signed + "." + B64.encodeToString(hmac(SECRET, signed));
      case 2:
        return signed + "." + B64.encodeToString(hmac(SECRET + "-wrong", signed));
      default:
        return signed + ".";
    }
  }

  private static byte[] hmac(String secret, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void verifiesOrRefuses(Supplier<VerifiedToken> verification) {
    VerifiedToken v;
    try {
      v = verification.get();
    } catch (ChatException e) {
      assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.UNAUTHORIZED);
      return;
    }
    assertThat(v.userId()).as("a mutated token may only ever verify as its own user").isEqualTo(USER);
  }

  private static void refuses(Supplier<VerifiedToken> verification) {
    try {
      VerifiedToken v = verification.get();
      throw new AssertionError("a random string verified as a token of " + v.userId());
    } catch (ChatException e) {
      assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.UNAUTHORIZED);
    }
  }

  @AfterContainer
  static void noBufferLeaked() {
    LeakDetectionExtension.assertNoLeaks();
  }
}
