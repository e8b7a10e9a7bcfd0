package dev.parley.server.internal.attachments;

import dev.parley.protocol.ChatException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived signed download links, so that a browser loads an attachment straight from the
 * server (with the server's protective headers) instead of the web client turning the bytes into
 * a blob: URL of the app's own origin. A link names the attachment, the user it was issued to and
 * its expiry, and carries an HMAC-SHA256 over the three under a key derived from the JWT secret
 * (a key of its own: a link is never a token, nor a token a link). Every node of a cluster shares
 * the JWT secret, so a link works on any node. Serving a link checks the user's access again.
 * Immutable and thread-safe.
 */
public final class AttachmentLinks {
  /** How long a link works by default. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
  private static final String HMAC = "HmacSHA256";
  private static final byte[] KEY_LABEL = "parley attachment links v1".getBytes(StandardCharsets.UTF_8);
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final SecretKeySpec key;
  private final Clock clock;
  private final Duration ttl;

  public AttachmentLinks(byte[] jwtSecret, Clock clock, Duration ttl) {
    this.key = new SecretKeySpec(hmac(new SecretKeySpec(jwtSecret, HMAC), KEY_LABEL), HMAC);
    this.clock = clock;
    this.ttl = ttl;
  }

  /**
   * A link issued to a user: the relative URL of the attachment, that of its thumbnail (the same
   * signed query: whoever may load the one may load the other), and when both stop working
   * (epoch ms).
   */
  public record Link(String url, String thumbnailUrl, long expiresAt) {
  }

  /** Issues a link to {@code attachmentId} for {@code userId}, who must already have been allowed to read it. */
  public Link issue(String attachmentId, String userId) {
    long exp = clock.instant().plus(ttl).getEpochSecond();
    String path = "/api/attachments/" + attachmentId;
    String query = "?u=" + userId + "&exp=" + exp + "&sig=" + sign(attachmentId, userId, exp);
    return new Link(path + "/content" + query, path + "/thumbnail/content" + query, exp * 1000);
  }

  /**
   * Checks a link's query parameters; returns the user it was issued to. A missing, malformed,
   * forged or expired link is a {@code forbidden} failure (403).
   */
  public String verify(String attachmentId, String userId, String exp, String sig) {
    if (userId == null || exp == null || sig == null || exp.length() > 19) {
      throw invalid();
    }
    long expiry;
    try {
      expiry = Long.parseLong(exp);
    } catch (NumberFormatException e) {
      throw invalid();
    }
    byte[] expected = sign(attachmentId, userId, expiry).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.US_ASCII))) {
      throw invalid();
    }
    if (clock.instant().getEpochSecond() >= expiry) {
      throw ChatException.forbidden("this download link has expired; ask the app for a new one");
    }
    return userId;
  }

  private String sign(String attachmentId, String userId, long exp) {
    // ids are opaque but never contain a newline (they come from a path segment and a query value)
    byte[] data = (attachmentId + '\n' + userId + '\n' + exp).getBytes(StandardCharsets.UTF_8);
    return B64.encodeToString(hmac(key, data));
  }

  private static byte[] hmac(SecretKeySpec k, byte[] data) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(k);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  private static ChatException invalid() {
    return ChatException.forbidden("invalid download link");
  }
}
