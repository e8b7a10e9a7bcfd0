package dev.parley.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds JWTs by hand (base64url header.payload.signature) so that tests can forge the tokens a
 * server must refuse: {@code alg: none}, another HMAC algorithm, a wrong secret, an expired one.
 */
public final class Jwts {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private Jwts() {
  }

  /**
   * Claims {@code sub, sid, gen, iat, exp, typ} as the server issues them (a session id that was
   * never revoked), times in epoch seconds.
   */
  public static ObjectNode claims(String userId, long iat, long exp, String typ) {
    ObjectNode c = TestServer.JSON.createObjectNode();
    c.put("sub", userId);
    c.put("sid", "hand-made-session");
    c.put("gen", 0);
    c.put("iat", iat);
    c.put("exp", exp);
    c.put("typ", typ);
    return c;
  }

  /** An access token valid for {@code ttlSeconds} from now. */
  public static ObjectNode accessClaims(String userId, long ttlSeconds) {
    long now = System.currentTimeMillis() / 1000;
    return claims(userId, now, now + ttlSeconds, "access");
  }

  /** HMAC-signed token; {@code alg} is HS256, HS384 or HS512. */
  public static String hmac(String alg, String secret, JsonNode claims) {
    String signingInput = encode("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + encode(claims.toString());
    String javaAlg = "Hmac" + "SHA" + alg.substring(2);
    try {
      Mac mac = Mac.getInstance(javaAlg);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), javaAlg));
      byte[] sig = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64.encodeToString(sig);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** HS256 over the test server's secret. */
  public static String hs256(JsonNode claims) {
    return hmac("HS256", TestServer.SECRET, claims);
  }

  /** An unsigned token: {@code alg: none} and an empty signature. */
  public static String none(JsonNode claims) {
    return encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + encode(claims.toString()) + ".";
  }

  /** The payload of a token, decoded (no verification). */
  public static JsonNode payload(String token) {
    String[] parts = token.split("\\.");
    try {
      return TestServer.JSON.readTree(B64D.decode(parts[1]));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String encode(String json) {
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
