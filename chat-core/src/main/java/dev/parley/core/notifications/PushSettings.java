package dev.parley.core.notifications;

import java.util.Locale;

/**
 * How the server sends Web Push.
 *
 * @param vapidPublicKey the VAPID public key (base64url uncompressed P-256 point), or null to
 *     generate a pair once and keep it in the store (so every node of a cluster signs alike)
 * @param vapidPrivateKey its private half (base64url 32-byte scalar); given with the public key
 * @param subject the JWT's {@code sub}: a {@code mailto:} or {@code https:} contact for the push
 *     services
 * @param allowLocal also accept {@code http} and {@code https} endpoints on loopback addresses
 *     (tests, local setups); never private or link-local ones
 */
public record PushSettings(String vapidPublicKey, String vapidPrivateKey, String subject,
                           boolean allowLocal) {
  public static final String DEFAULT_SUBJECT = "mailto:admin@example.com";

  public PushSettings {
    if ((vapidPublicKey == null) != (vapidPrivateKey == null)) {
      throw new IllegalArgumentException("give both VAPID keys or neither");
    }
    if (vapidPublicKey != null) {
      // both halves must decode: P-256 point and 32-byte scalar (IllegalArgumentException otherwise)
      dev.parley.core.internal.push.WebPushCrypto.vapidKeyPair(
          new dev.parley.core.store.VapidKeys(vapidPublicKey, vapidPrivateKey));
    }
    if (subject == null) {
      subject = DEFAULT_SUBJECT;
    }
    String lower = subject.toLowerCase(Locale.ROOT);
    if (!(lower.startsWith("mailto:") || lower.startsWith("https:"))) {
      throw new IllegalArgumentException("the push contact must be a mailto: or https: URL");
    }
  }

  /** Keys kept in the store, the default contact, public endpoints only. */
  public static PushSettings defaults() {
    return new PushSettings(null, null, DEFAULT_SUBJECT, false);
  }

  @Override
  public String toString() {
    return "PushSettings[vapidKeys=" + (vapidPublicKey == null ? "stored" : "given")
        + ", subject=" + subject + ", allowLocal=" + allowLocal + "]";
  }
}
