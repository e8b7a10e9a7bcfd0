package dev.parley.core.internal.util;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable identifiers for users, threads, messages and attachments. */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private Ids() {
  }

  /** 128 random bits from a {@link SecureRandom}, base64url without padding: 22 characters. */
  public static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }
}
